"""A record without a summary is listed with its body's first sentence. For speed only the first
paragraphs are parsed; whatever Markdown follows them, the sentence must be the one the whole
body gives (compared here with a parse of the whole body, on generated bodies). And a text of
nothing but paragraphs of words is read and rendered without the parser: its words and its HTML
must be the parser's."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import markdown

WORDS = ["通知", "第一条", "为了规范", "本办法", "政府信息", "公开", "工作", "abc", "139", "＊", "　"]
ENDS = ["。", "！", "？", "!", "?", "", "", ""]
INLINE = ["*", "**", "_", "`", "~~", "\\", "&amp;", "&#12290;", "［已删减］", "［已删减：个人信息］", "|", ":"]
# links: inline ones end within their paragraph; a reference one takes its text from a definition
# that may come later (a line starting "[a]: "), and so may change the text before it
INLINE += ["[", "]", "[a]", "[链接](a.md)", "[字体:[ 大 中 小 ]]", "](", "![图](b.png)", "[a][]"]
LINE_STARTS = [
    "",
    "",
    "",
    "# ",
    "## ",
    "> ",
    "- ",
    "1. ",
    "* ",
    "    ",
    "```",
    "~~~",
    "---",
    "===",
    "| a | b |",
    "|---|---|",
    "  - ",
    "   ",
    "\t",
    "[a]: ",
    "[a]: /u\n",
]


@st.composite
def bodies(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 30))):
        start = draw(st.sampled_from(LINE_STARTS))
        pieces = draw(st.lists(st.sampled_from(WORDS + INLINE), max_size=8))
        end = draw(st.sampled_from(ENDS))
        lines.append(start + "".join(pieces) + end)
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", "  ", "\t"])))
    return "\n".join(lines)


def whole(body: str, limit: int = 100) -> str:
    text = " ".join(markdown.plain_text(body).split())
    match = markdown.SENTENCE_END.search(text)
    sentence = text[: match.end()] if match else text
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


@settings(max_examples=400, deadline=None)
@given(body=bodies(), lead=st.integers(0, 120))
def test_the_first_sentence_is_the_whole_bodys(body: str, lead: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(markdown, "LEAD_CHARS", lead)
        assert markdown.first_sentence(body) == whole(body)


def test_a_sentence_after_an_unclosed_fence_in_the_prefix_is_not_taken() -> None:
    body = "```\n" + "代码。\n" * 100 + "\n```\n\n正文第一句。"
    assert markdown.first_sentence(body) == whole(body) == "正文第一句。"


# pieces of a body that holds no Markdown, or nearly none: every kind of space at a line's ends,
# blank lines of spaces, lines that only look like list items, code or headings in Chinese
PLAIN = [
    "第一条",
    "为了规范",
    "政府信息",
    "公开。",
    "abc",
    "139",
    "2018-08-14",
    "1、",
    "（一）",
    "!",
    "?",
    ".",
    '"',
    "'",
]
SPACES = [" ", "  ", "   ", "    ", "\u00a0", "\u3000", "\u2028", "\u2003", "\t", "\r"]
MARKS = [
    "1. ",
    "1) ",
    "12.",
    "12. ",
    "2)\n",
    "1.",
    "- ",
    "-",
    "+ ",
    "* ",
    "# ",
    "> ",
    "=",
    "~",
    "_",
    "*",
    "`",
    "|",
    "[",
    "<",
    "&",
    "\\",
]
MARKS += ["~~~", "```", "***", "---", "===", "［已删减］", "［已删减：个人信息］", "\x00"]


@st.composite
def plain_texts(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        pieces = draw(st.lists(st.sampled_from(PLAIN * 4 + SPACES * 2 + MARKS), max_size=6))
        lines.append("".join(pieces))
    return "\n".join(lines)


@settings(max_examples=1500, deadline=None)
@given(text=plain_texts())
def test_a_text_read_without_the_parser_has_the_parsers_words(text: str) -> None:
    assert " ".join(markdown._plain_words(text).split()) == " ".join(markdown.plain_text(text).split())


def test_a_body_of_plain_paragraphs_is_read_without_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    body = "  第五条　行政机关应在自身职责范围内\n发布政府信息。 \n\n\u00a0\n  第六条 根据法律。\n"
    monkeypatch.setattr(markdown, "plain_text", lambda text: pytest.fail("the parser was asked"))
    assert markdown.first_sentence(body) == "第五条 行政机关应在自身职责范围内发布政府信息。"


@settings(max_examples=1500, deadline=None)
@given(text=plain_texts())
def test_a_body_rendered_without_the_parser_is_the_parsers_html(text: str) -> None:
    plain = markdown._plain_html(text)
    if plain is not None:
        assert plain == markdown._RENDER.renderer.render(markdown._RENDER.parse(text), markdown._RENDER.options, {})


def test_a_body_of_plain_paragraphs_is_rendered_without_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    body = '\u3000\u3000第五条  \n  发布"政府信息"。\n\n\u00a0\n'
    monkeypatch.setattr(markdown._RENDER, "parse", lambda *args: pytest.fail("the parser was asked"))
    assert markdown.render(body, str) == "<p>第五条<br />\n发布&quot;政府信息&quot;。</p>\n<p></p>\n"
