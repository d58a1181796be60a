"""FMT008 and FMT009 read a body's links and raw HTML. Most bodies hold neither, and the parser is
the costly part of a cold check, so a body that cannot hold one is not parsed: the answer must be
the parser's, whatever the body (compared here on generated bodies full of brackets)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import markdown

PIECES = [
    "[",
    "]",
    "(",
    ")",
    ":",
    "!",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\t",
    "    ",
    "\\",
    "`",
    "*",
    "<",
    ">",
    "&#93;",
    "&#x5b;",
    "链接",
    "第一条",
    "a",
    "/u",
    "http://example.cn/a",
    "mailto:x@y.cn",
    "[a]",
    "[a]: /u",
    "](",
    "]:",
    "[[",
    "]]",
    "> ",
    "- ",
    "1. ",
    "|",
    "---",
    "〔2019〕",
    "【",
    "】",
    "［已删减］",
]
# a reference link has no "](": it needs its definition, which has "]:"; HTML and autolinks need "<"
# (each sampled as often as all of PIECES)
OTHER_FORMS = [
    "[a]",
    "[a][]",
    "[b][a]",
    "![a]",
    "\n[a]: /u\n",
    "\n[a]:\n/u\n",
    "\n   [a]: <x>\n",
    "\n[a]: /u 'title'\n",
    "<https://example.cn>",
    "<b>",
    "</b>",
    "<!-- 注 -->",
    "\n<div>\n",
]


@settings(max_examples=600, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(PIECES) | st.sampled_from(OTHER_FORMS), max_size=30))
def test_a_body_skipped_by_the_quick_test_has_no_link_or_html_to_find(pieces: list[str]) -> None:
    body = "".join(pieces)
    assert markdown.scan(body) == markdown.parsed_scan(body)


def test_links_and_html_are_found_in_each_form() -> None:
    body = "见[通知](a.md)。\n\n![图](b.png)\n\n[参考][r]\n\n[r]: c.md\n\n<https://example.cn>\n\n<b>粗</b>\n"
    links, html = markdown.scan(body)
    assert [link.href for link in links] == ["a.md", "b.png", "c.md", "https://example.cn"]
    assert [h.text for h in html] == ["<b>", "</b>"]
