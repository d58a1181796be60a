"""Office Open XML properties that identify people or bodies, including those python-docx and
openpyxl do not expose (docProps/app.xml)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from .extract import parse_xml

APP_PROPS = "docProps/app.xml"
APP_FIELDS = {"Company": "单位", "Manager": "经理"}


def identifying_properties(path: Path, author: str | None, last_modified_by: str | None) -> list[tuple[str, str]]:
    """(label, value) of every filled-in property that names a person or body (SEC012):
    the core author and last editor the reading library gives, and docProps/app.xml."""
    found = [
        (label, (value or "").strip())
        for label, value in (("作者", author), ("最后修改人", last_modified_by))
        if (value or "").strip()
    ]
    return found + app_properties(path)


def app_properties(path: Path) -> list[tuple[str, str]]:
    """(label, value) of the identifying extended properties that are filled in."""
    with zipfile.ZipFile(path) as archive:
        if APP_PROPS not in archive.namelist():
            return []
        root = parse_xml(archive.read(APP_PROPS))
    found = []
    for element in root:
        name = etree.QName(element).localname
        if name in APP_FIELDS and (element.text or "").strip():
            found.append((APP_FIELDS[name], element.text.strip()))
    return found
