"""Record bodies: CommonMark with tables, raw HTML never rendered, redactions visible.

One parser configuration for the whole product, so what the checks see is what the
renderer renders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, NamedTuple, Protocol, Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import escape

REDACTION = re.compile(r"［已删减(?:[：:](?P<reason>[^］\n]*))?］")


def _split_redactions(state: StateCore) -> None:
    """Turn each ［已删减…］ inside text into a `redaction` token of its own."""
    for block in state.tokens:
        if block.type != "inline" or not block.children or "［已删减" not in block.content:
            continue
        children: list[Token] = []
        for child in block.children:
            if child.type != "text" or "［已删减" not in child.content:
                children.append(child)
                continue
            pos = 0
            for match in REDACTION.finditer(child.content):
                if match.start() > pos:
                    text = Token("text", "", 0)
                    text.content = child.content[pos : match.start()]
                    children.append(text)
                mark = Token("redaction", "span", 0)
                mark.meta = {"reason": (match.group("reason") or "").strip()}
                children.append(mark)
                pos = match.end()
            if pos < len(child.content):
                text = Token("text", "", 0)
                text.content = child.content[pos:]
                children.append(text)
        block.children = children


def _render_redaction(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    reason = tokens[idx].meta["reason"]
    label = f"［已删减：{reason}］" if reason else "［已删减］"
    return f'<span class="redaction" title="此处内容依法删减">{escape(label)}</span>'


def _parser(html: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": html}).enable("table")
    md.core.ruler.after("inline", "redaction", _split_redactions)
    md.add_render_rule("redaction", _render_redaction)
    return md


_RENDER = _parser(html=False)
_DETECT = _parser(html=True)  # only to find raw HTML (FMT008) and links; never renders
_DETECT.validateLink = lambda url: True  # type: ignore[method-assign]  # sees links _RENDER drops: FMT009


@dataclass
class Link:
    href: str
    line: int  # 0-based line within the body


@dataclass
class RawHtml:
    text: str
    line: int  # 0-based line within the body


def scan(body: str) -> tuple[list[Link], list[RawHtml]]:
    """Links and raw HTML in a body, with their body lines."""
    if "<" not in body and ("[" not in body or ("](" not in body and "]:" not in body)):
        # CommonMark has no HTML or autolink without "<", and no link or image without "[" and
        # either "](" (inline) or "]:" (the definition a reference link needs): nothing to parse
        return [], []
    return parsed_scan(body)


def parsed_scan(body: str) -> tuple[list[Link], list[RawHtml]]:
    """`scan` by the parser, whatever the body holds."""
    links: list[Link] = []
    html: list[RawHtml] = []
    for block in _DETECT.parse(body):
        line = block.map[0] if block.map else 0
        if block.type == "html_block":
            html.append(RawHtml(block.content.strip(), line))
        for child in block.children or []:
            if child.type == "html_inline":
                html.append(RawHtml(child.content, line))
            elif child.type in ("link_open", "image"):
                href = child.attrGet("href") if child.type == "link_open" else child.attrGet("src")
                if href:
                    links.append(Link(str(href), line))
    return links, html


def code_lines(body: str) -> list[range]:
    """The 0-based body lines of each fenced or indented code block, as the renderer parses the body."""
    return [range(*token.map) for token in _RENDER.parse(body) if token.type in ("fence", "code_block") and token.map]


def render(body: str, rewrite: Callable[[str], str]) -> str:
    """Body as HTML; every link and image target goes through `rewrite` (record → page URL).

    An empty rewrite (a target that is not published) keeps the words and drops the target.
    A body of nothing but paragraphs of words is rendered without the parser (_plain_html).
    """
    plain = _plain_html(body)
    if plain is not None:
        return plain
    tokens = _RENDER.parse(body)
    for block in tokens:
        for child in block.children or []:
            if child.type == "link_open":
                href = rewrite(str(child.attrGet("href") or ""))
                if href:
                    child.attrSet("href", href)
                else:
                    child.attrs.pop("href", None)
            elif child.type == "image":
                src = rewrite(str(child.attrGet("src") or ""))
                if src:
                    child.attrSet("src", src)
                else:
                    child.type, child.tag, child.content = "text", "", child.content
                    child.attrs, child.children = {}, None
    return _RENDER.renderer.render(tokens, _RENDER.options, {})


# The 落款 of a notice: a block of short lines (the issuing body, maybe a second one) ending in
# the date, written one under the other. Markdown would join them into one line.
_DATE_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_SIGNATURE_MAX = 40  # characters: a line longer than this is prose, not an issuing body
_PROSE_END = tuple("。；，：！？;,:!?")


def _is_signature(lines: list[str]) -> bool:
    *names, date = [line.strip() for line in lines]
    return (
        len(lines) > 1
        and _DATE_LINE.fullmatch(date) is not None
        and all(0 < len(name) <= _SIGNATURE_MAX and not name.endswith(_PROSE_END) for name in names)
        and not any(line.startswith(("    ", "\t", "|", "#", ">", "-", "*", "`")) for line in lines)
    )


def signature_lines(body: str) -> str:
    """The body with each line of a signature block (署名 … 日期) made a paragraph of its own,
    by a blank line between them: plain Markdown, so no HTML is written by hand and the
    renderer's escaping applies as to any other text. Elsewhere a line break inside a paragraph
    stays a soft break (Markdown's breaks option stays off: hard-wrapped prose must not break).
    A record page is `render(signature_lines(body), …)` (render/records.py); SEC011 reads the same
    Markdown (shows_redaction)."""
    blocks = re.split(r"(\n[ \t]*\n)", body)
    for i in range(0, len(blocks), 2):
        lines = blocks[i].strip("\n").split("\n")
        if _is_signature(lines):
            blocks[i] = "\n\n".join(lines)
    return "".join(blocks)


def shows_redaction(body: str) -> bool:
    """Whether the page of a record with this body shows at least one redaction placeholder: a
    ［已删减…］ that the renderer turns into its `redaction` token (_split_redactions) in the Markdown
    a record page renders (signature_lines). A marker the reader never sees is none: one inside
    inline code or a code block, a link definition's title, a `[//]: # (…)` comment line."""
    if REDACTION.search(body) is None:
        return False
    tokens = _RENDER.parse(signature_lines(body))
    return any(child.type == "redaction" for block in tokens for child in block.children or [])


def plain_text(body: str) -> str:
    """The body's words without Markdown syntax (for summaries and search)."""
    parts: list[str] = []
    for block in _RENDER.parse(body):
        for child in block.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type == "redaction":
                parts.append("［已删减］")
        if block.type in ("paragraph_close", "heading_close", "td_close", "th_close"):
            parts.append("\n")
    return "".join(parts).strip()


# What CommonMark (with tables) gives a meaning anywhere in a line, what the parser itself rewrites
# (\0, \r; a tab is columns) and the redaction mark; and a line that may begin a block other than a
# paragraph (up to three spaces, then a marker; or four spaces: code). A text holding none of these is
# paragraphs of words: see _plain_words.
_SYNTAX_ANYWHERE = re.compile("[\\\\`*_\\[\\]<>&|\t\r\0]|［已删减")
# (an ordered list's marker is followed by a space or the line's end: 1.贯彻落实 is words, as written
# in most Chinese documents)
_BLOCK_START = re.compile(r"^(?: {4}| {0,3}(?:[-+*=_#>~]|[0-9]{1,9}[.)](?: |$)))", re.MULTILINE)
SENTENCE_END = re.compile(r"[。！？!?]")
LEAD_CHARS = 400  # the first sentence nearly always ends within the first few paragraphs
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _plain_words(text: str) -> str:
    """The words of `text` as `plain_text` gives them, whitespace aside: `" ".join(_plain_words(t).split())`
    is `" ".join(plain_text(t).split())`. A text of nothing but paragraphs of words (no syntax, no block
    marker: _only_paragraphs) is read without the parser (a body's first sentence: 0.34 → 0.05 ms): the parser
    makes each paragraph one text, its lines joined with nothing between them (a line break inside a
    paragraph is a soft break, which `plain_text` drops) and each line's spaces at either end left
    out; a line of nothing but spaces ends a paragraph. Any other text goes to the parser
    (tests/test_markdown_lead.py holds the two to each other)."""
    if not _only_paragraphs(text):
        return plain_text(text)
    return "\n".join("".join(line.strip(" ") for line in lines) for lines in _paragraphs(text))


def _only_paragraphs(text: str) -> bool:
    """Whether `text` is nothing but paragraphs of words: no syntax, no line that may begin a block."""
    return _SYNTAX_ANYWHERE.search(text) is None and _BLOCK_START.search(text) is None


def _paragraphs(text: str) -> list[list[str]]:
    """The lines of each paragraph of a text of nothing but paragraphs (a line of spaces ends one)."""
    paragraphs: list[list[str]] = []
    lines: list[str] = []
    for line in text.split("\n"):
        if line.strip(" "):
            lines.append(line)
        elif lines:
            paragraphs.append(lines)
            lines = []
    if lines:
        paragraphs.append(lines)
    return paragraphs


def _plain_html(body: str) -> str | None:
    """What the parser renders of a body of nothing but paragraphs of words (see _plain_words), or
    None for any other body. Each paragraph is its lines with its first and last whitespace left out
    (any whitespace, U+3000 too, as the parser strips a paragraph); inside it, a line's leading spaces
    are left out and its trailing ones end it: one, a soft break (a line break), two or more, a hard
    break (<br />); the words escaped as the parser escapes them (a body here holds no & < >: only ").
    A city's cold build renders every record page: 0.9 ms a body through the parser, 0.26 with this
    (tests/test_markdown_lead.py holds the two to each other)."""
    if not _only_paragraphs(body):
        return None
    html: list[str] = []
    for lines in _paragraphs(body):
        content = "\n".join(lines).strip().split("\n")
        html.append("<p>")
        for i, line in enumerate(content):
            line = line.lstrip(" ") if i else line
            if i == len(content) - 1:
                html.append(escapeHtml(line))
                continue
            words = line.rstrip(" ")
            html += [escapeHtml(words), "<br />\n" if len(line) - len(words) > 1 else "\n"]
        html.append("</p>\n")
    return "".join(html)


def first_sentence(body: str, limit: int = 100) -> str:
    """The body's first sentence as plain text (cut at `limit` characters).

    Only the paragraphs up to a blank line after LEAD_CHARS are parsed when the body has no `]:`
    and no `<`: without link reference definitions and HTML, nothing after a blank line changes the
    text before it (a fence or list it continues adds text after, never before; an inline link
    ends within its paragraph), so the words of that prefix begin the words of the whole body, and
    a sentence ending inside it is the one the whole body gives. Without such an end the whole body
    is parsed. The first paragraph alone is tried before: it most often holds the sentence."""
    if "]:" not in body and "<" not in body:
        for lead in (0, LEAD_CHARS):
            if (blank := _BLANK_LINE.search(body, lead)) is None:
                break
            text = " ".join(_plain_words(body[: blank.end()]).split())
            match = SENTENCE_END.search(text)
            if match:
                return _limited(text[: match.end()], limit)
    text = " ".join(_plain_words(body).split())
    match = SENTENCE_END.search(text)
    return _limited(text[: match.end()] if match else text, limit)


def _limited(sentence: str, limit: int) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


# Link and image targets as written in a body (inline and reference definitions): what a
# record page's links depend on besides the record itself.
_TARGETS = re.compile(r"\]\(\s*<?([^)\s>]+)|^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)


class BodyFacts(NamedTuple):
    """What the site needs of a published body before its page is rendered."""

    lead: str  # the first sentence: the summary of a record that gives none
    length: int  # in characters: the search shards are cut by it
    links: tuple[str, ...]  # the link targets written in it, sorted: part of the record page's key


class Facts(Protocol):
    """The facts of published bodies by their record's file, as a dict of them gives them (or
    recordwork.FactsAsked, which reads each when asked for)."""

    def get(self, file: str, /) -> BodyFacts | None: ...


def body_facts(body: str) -> BodyFacts:
    links = tuple(sorted({a or b for a, b in _TARGETS.findall(body)})) if "]" in body else ()  # each holds one
    return BodyFacts(first_sentence(body), len(body), links)
