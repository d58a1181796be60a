"""Which Word template the annual report is laid out in: the site's own (site.yaml
`word_template`) or the product's reference.docx. Kept apart from word.py, so that an
incremental build whose reports did not change never loads python-docx."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..config import SiteConfig
from ..errors import DisclosureError

REFERENCE = Path(__file__).with_name("reference.docx")  # GB/T 9704 layout (scripts/make-word-template)


class TemplateError(DisclosureError):
    """site.yaml `word_template` names no usable .docx inside the site."""


def template_of(config: SiteConfig) -> Path | None:
    """The site's own Word template (site.yaml `word_template`), None for the reference."""
    if not config.word_template:
        return None
    root = config.root.resolve()
    path = (root / config.word_template).resolve()
    if not path.is_relative_to(root):
        raise TemplateError(f"site.yaml word_template“{config.word_template}”在站点目录之外；请把模板放在站点目录内")
    if not path.is_file():
        raise TemplateError(f"site.yaml word_template 指定的模板“{config.word_template}”不存在")
    if not zipfile.is_zipfile(path) or not _is_document(path):
        raise TemplateError(
            f"site.yaml word_template“{config.word_template}”不是 Word 文档（.docx）；"
            "模板（.dotx）请在 Word 中另存为 .docx 后使用"
        )
    return path


def _is_document(path: Path) -> bool:
    """Whether python-docx opens `path` as a document (a .dotx or a renamed .xlsx it refuses)."""
    from docx import Document  # only for a site's own template

    try:
        Document(str(path))
    except Exception:  # python-docx raises ValueError, KeyError, lxml errors … on what it cannot open
        return False
    return True
