"""The last net: scan the rendered output for secrecy markings (SEC006) and personal data
(SEC008) before it replaces the previous build. Whatever the templates, search index or
feeds did with the text, a hit here aborts the build.

Only text formats are read (gzip files are decompressed); attachments were read at the
source. Matches that a reviewer signed off at the source, or that the site publishes on
purpose (phone numbers in department contact facts or the footer), are allowed.
"""

from __future__ import annotations

import gzip
import html
from itertools import chain
from pathlib import Path

from ..findings import Finding
from .markings import secrecy_markings
from .matches import excerpt, half_width
from .personal import personal_data

TEXT_SUFFIXES = {".html", ".htm", ".xml", ".json", ".txt", ".csv", ".js", ".rss", ".atom", ".svg", ".webmanifest"}


class LeakFound(Exception):
    """The rendered output holds what must not be published; the build is abandoned."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"{len(findings)} 处泄密风险")
        self.findings = findings


def _text_of(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix == ".gz":
        if Path(path.stem).suffix.lower() not in TEXT_SUFFIXES:
            return None
        data = gzip.decompress(path.read_bytes())
    elif suffix in TEXT_SUFFIXES:
        data = path.read_bytes()
    else:
        return None
    return half_width(html.unescape(data.decode("utf-8", errors="replace")))


def scan_output(root: Path, label: str, allowed: set[str]) -> list[Finding]:
    """Findings for every marking or personal datum in the text files under `root`;
    `label` names the output folder in the findings' file paths."""
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        text = _text_of(path)
        if text is None:
            continue
        rel = f"{label}/{path.relative_to(root).as_posix()}"
        for match in chain(secrecy_markings(text), personal_data(text)):
            if match.raw in allowed:
                continue
            found.append(Finding(match.rule, rel, text.count("\n", 0, match.start) + 1,
                                 f"生成的输出中{match.message}，已中止生成，上一次的输出保持不变",
                                 excerpt=excerpt(text, match)))
    return found


def guard(root: Path, label: str, allowed: set[str]) -> None:
    """Raise LeakFound when the output under `root` holds a marking or personal datum."""
    leaks = scan_output(root, label, allowed)
    if leaks:
        raise LeakFound(leaks)
