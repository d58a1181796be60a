"""The properties of an Office Open XML file (docProps/core.xml, app.xml, custom.xml): the
ones that name a person or body (SEC012), and every one that holds text, which the secrecy
scan reads like the document's own text — Word and Excel ship them inside the file, shown in
no page (文件 → 信息 → 属性)."""

from __future__ import annotations

import zipfile

from lxml import etree

from .extract import element_text, parse_xml

CORE, APP, CUSTOM = "docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"
# The text fields of core.xml by local name (dates, revision and language say nothing of their own).
CORE_FIELDS = {
    "title": "标题",
    "subject": "主题",
    "creator": "作者",
    "keywords": "关键词",
    "description": "备注",
    "lastModifiedBy": "最后修改人",
    "category": "类别",
    "contentStatus": "状态",
    "identifier": "标识",
    "version": "版本",
}
APP_FIELDS = {"Company": "单位", "Manager": "经理", "HyperlinkBase": "超链接基址"}
IDENTIFYING = ("作者", "最后修改人", "单位", "经理")  # SEC012: they name a person or body


def properties(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(label, text) of every filled-in text property: core.xml's fields, app.xml's company,
    manager and hyperlink base, and each custom property (自定义属性, labelled with its name)."""
    found: list[tuple[str, str]] = []
    parts = {name: archive.read(name) for name in (CORE, APP, CUSTOM) if name in archive.namelist()}
    for part, fields in ((CORE, CORE_FIELDS), (APP, APP_FIELDS)):
        if part in parts:
            for element in parse_xml(parts[part]):
                label = fields.get(etree.QName(element).localname)
                if label and element_text(element):
                    found.append((label, element_text(element)))
    if CUSTOM in parts:
        for element in parse_xml(parts[CUSTOM]):
            if element_text(element):
                found.append((f"自定义属性“{element.get('name') or ''}”", element_text(element)))
    return found


def identifying(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The properties among `found` that name a person or body (SEC012)."""
    return [(label, value) for label, value in found if label in IDENTIFYING]
