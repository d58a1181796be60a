"""PDF attachments with pypdf: page text, plus what a viewer does not show — earlier
revisions kept by incremental saves, annotations and embedded files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pypdf import PdfReader

from .extract import Extract

HARMLESS_ANNOTATIONS = {"/Link"}
METADATA = {"/Author": "作者", "/LastModifiedBy": "最后修改人", "/Company": "单位"}


def _revisions(raw: bytes) -> int:
    """Saved revisions: one %%EOF each, except the extra one a linearized file starts with."""
    count = raw.count(b"%%EOF")
    return count - 1 if count > 1 and b"/Linearized" in raw[:2048] else count


def read_pdf(path: Path) -> Extract:
    raw = path.read_bytes()
    reader = PdfReader(path)
    if reader.is_encrypted:
        reader.decrypt("")
    found = Extract()
    revisions = _revisions(raw)
    if revisions > 1:
        found.hidden.append(f"PDF 经过增量保存（{revisions} 个版本），早先版本的内容仍留在文件中")
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        pages.append(page.extract_text() or "")
        kinds = []
        for annotation in page.get("/Annots") or []:
            subtype = str(annotation.get_object().get("/Subtype", ""))
            if subtype not in HARMLESS_ANNOTATIONS:
                kinds.append(subtype.lstrip("/"))
                contents = annotation.get_object().get("/Contents")
                if contents:
                    pages.append(str(contents))
        if kinds:
            found.hidden.append(f"第 {number} 页有 {len(kinds)} 个注释（{'、'.join(sorted(set(kinds)))}）")
    embedded = list(reader.attachments)
    if embedded:
        found.hidden.append(f"PDF 内嵌文件：{'、'.join(embedded)}")
    found.text = "\n".join(pages)
    info: Any = reader.metadata or {}
    for key, label in METADATA.items():
        value = str(info.get(key) or "").strip()
        if value:
            found.metadata.append((label, value))
    return found
