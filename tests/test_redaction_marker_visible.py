"""SEC011 counts only the ［已删减］ markers a reader sees: those the page shows as the redaction
placeholder. A marker inside inline code, a code block, a link definition's title or a Markdown
comment line is never shown as one, so a 删减后公开 record with no other marker is refused at that
marker's line and nothing of it reaches the output; a marker in the text builds, and its page shows
the placeholder — the check and the page read the body the same way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import record_text, run_cli

MakeSite = Callable[..., Path]
LEAD = "联络员名单如下。"  # the body's first paragraph: on the page only if the record is published
PLACEHOLDER = '<span class="redaction"'

HIDDEN = {
    "inline code": "名单：`［已删减］`",
    "fenced code": "```\n［已删减］\n```",
    "indented code": "    ［已删减：涉及个人隐私］",
    "unused link definition's title": '[x]: https://www.gov.cn/ "［已删减］"',
    "comment line": "[//]: # (［已删减］)",
    # a 落款 block's lines become paragraphs of their own on the page: this one, a link definition
    "link definition in a signature block": '测试局\n[x]: https://www.gov.cn/ "［已删减］"\n2026年11月3日',
}
SHOWN = {
    "text": "名单：［已删减］",
    "text with a reason": "名单：［已删减：涉及个人隐私］",
    "table cell": "| 姓名 | 电话 |\n|---|---|\n| 张某 | ［已删减］ |",
    "link text": "[［已删减］](https://www.gov.cn/)",
}


def redacted(part: str) -> str:
    return record_text(f"{LEAD}\n\n{part}\n", publicity="删减后公开", withhold_reason="《条例》第三十七条")


def sec011(site: Path) -> list[dict[str, Any]]:
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.code in (0, 1), result.err
    return [f for f in json.loads(result.out) if f["rule"] == "SEC011"]


def page(site: Path) -> str:
    pages = [p for p in (site / "build/d1").glob("2026-*.html")]
    assert len(pages) == 1, pages
    return pages[0].read_text(encoding="utf-8")


@pytest.mark.parametrize("hidden", sorted(HIDDEN))
def test_a_marker_the_page_does_not_show_is_no_redaction_marker(make_site: MakeSite, hidden: str) -> None:
    text = redacted(HIDDEN[hidden])
    site = make_site({"content/d1/r.md": text})
    (found,) = sec011(site)
    first = next(i for i, line in enumerate(text.split("\n"), 1) if "［已删减" in line)
    assert found["severity"] == "block" and (found["file"], found["line"]) == ("content/d1/r.md", first)
    assert "页面上不显示" in found["message"] and found["fix"]
    built = run_cli("build", "--site", site)
    assert built.code == 1 and "SEC011" in built.err
    assert not (site / "build").exists()
    # the same record with a marker in its text as well: built, and the page shows the placeholder
    (site / "content/d1/r.md").write_text(redacted(f"{HIDDEN[hidden]}\n\n{SHOWN['text']}"), encoding="utf-8")
    assert sec011(site) == []
    assert run_cli("build", "--site", site).code == 0
    assert LEAD in page(site) and PLACEHOLDER in page(site)


@pytest.mark.parametrize("shown", sorted(SHOWN))
def test_a_marker_the_page_shows_satisfies_sec011(make_site: MakeSite, shown: str) -> None:
    site = make_site({"content/d1/r.md": redacted(f"{HIDDEN['inline code']}\n\n{SHOWN[shown]}")})
    assert sec011(site) == []
    assert run_cli("build", "--site", site).code == 0
    html = page(site)
    assert html.count(PLACEHOLDER) == 1 and LEAD in html
    # without it, only the marker in code is left: refused
    (site / "content/d1/r.md").write_text(redacted(HIDDEN["inline code"]), encoding="utf-8")
    assert [f["severity"] for f in sec011(site)] == ["block"]
