"""OFD attachments (GB/T 33190 版式文档, the format of much 电子公文) are read, not only signed off:
the text of their pages is scanned for markings and personal data, text drawn invisible,
annotations and attached files are SEC014, the document information is scanned like a file's
properties, and a damaged or text-less OFD blocks (SEC015) as a PDF does."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import check_attachment
from office_files import OFD_TEXT as TEXT
from office_files import ofd_bytes as _ofd

MakeSite = Callable[..., Path]


def _check(make_site: MakeSite, data: bytes) -> list[dict[str, Any]]:
    return [f for f in check_attachment(make_site, "a.ofd", data) if f["rule"].startswith("SEC")]


def _rules(found: list[dict[str, Any]]) -> set[str]:
    return {f["rule"] for f in found}


def test_a_clean_ofd_passes_without_a_sign_off(make_site: MakeSite) -> None:
    assert _check(make_site, _ofd()) == []


def test_a_marking_on_a_page_is_found(make_site: MakeSite) -> None:
    found = _check(make_site, _ofd(TEXT.format(attributes="", text="机密★5年")))
    assert _rules(found) == {"SEC006"} and "附件 a.ofd" in found[0]["message"]


@pytest.mark.parametrize(
    "attributes,hidden",
    [
        (' Visible="false"', True),
        (' Fill="false"', True),
        (' Alpha="0"', True),
        (' Fill="false" Stroke="true"', False),  # outlined text is seen
        (' Alpha="128"', False),
        (' Size="0.3"', True),  # 0.85 pt
        (' Size="2.8"', False),  # 8 pt: small print, read
    ],
    ids=["not-visible", "not-filled", "transparent", "outlined", "half-transparent", "1-pt", "8-pt"],
)
def test_text_drawn_invisible_is_hidden_content(make_site: MakeSite, attributes: str, hidden: bool) -> None:
    drawn = TEXT.format(attributes=attributes, text="删去的内容")
    if "Size=" in attributes:  # in place of the template's own size
        drawn = TEXT.format(attributes="", text="删去的内容").replace(' Size="5"', attributes)
    objects = TEXT.format(attributes="", text="公开的正文") + drawn
    found = [f for f in _check(make_site, _ofd(objects)) if f["rule"] == "SEC014"]
    assert bool(found) is hidden, found
    assert not hidden or "第 1 页 1 处" in found[0]["message"]


@pytest.mark.parametrize("kind,hidden", [("Highlight", True), ("Link", False), ("Watermark", False)])
def test_annotations_other_than_links_watermarks_and_stamps_are_hidden_content(
    make_site: MakeSite, kind: str, hidden: bool
) -> None:
    annotation = f'<ofd:Annot ID="5" Type="{kind}"><ofd:Remark>审阅意见</ofd:Remark></ofd:Annot>'
    found = [f for f in _check(make_site, _ofd(annotation=annotation)) if f["rule"] == "SEC014"]
    assert bool(found) is hidden and (not hidden or kind in found[0]["message"])


def test_an_attached_file_is_hidden_content(make_site: MakeSite) -> None:
    found = [f for f in _check(make_site, _ofd(attachment="名单.xlsx")) if f["rule"] == "SEC014"]
    assert found and "OFD 内嵌文件：名单.xlsx" in found[0]["message"]


def test_document_information_is_scanned_and_names_the_author(make_site: MakeSite) -> None:
    info = "<ofd:Author>张三</ofd:Author><ofd:Abstract>联系人手机 13812345678</ofd:Abstract>"
    found = _check(make_site, _ofd(doc_info=info))
    assert any(f["rule"] == "SEC008" and "文件属性“摘要”" in f["message"] for f in found), found
    assert any(f["rule"] == "SEC012" and "张三" in f["message"] for f in found), found


@pytest.mark.parametrize(
    "data,said",
    [
        (_ofd(objects=""), "没有可提取的文字"),
        (b"PK\x03\x04 not really a zip", "已损坏"),
        (_ofd().replace(b"OFD.xml", b"XYZ.xml"), "缺少 OFD.xml"),
    ],
    ids=["no-text", "damaged", "no-root"],
)
def test_an_ofd_that_cannot_be_checked_blocks(make_site: MakeSite, data: bytes, said: str) -> None:
    found = [f for f in _check(make_site, data) if f["rule"] == "SEC015"]
    assert [f["severity"] for f in found] == ["block"] and said in found[0]["message"], found
