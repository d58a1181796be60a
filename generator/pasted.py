"""A second record pasted into one file below the first: refused (FMT001, while loading).

The front matter ends at its second `---`; whatever follows is the body, and Markdown shows a
pasted record's own front matter as a rule and a heading, then its text — under the first
record's 公开属性, whatever its own says. So a body is refused when it holds a **second front
matter**:

1. a line that is `---` (spaces around it allowed: as the front matter's own lines), not inside a
   fenced (``` or ~~~) or indented code block as the renderer parses the body;
2. whose first following line that is neither blank nor a YAML comment (`#…`) is a *record key
   line*, and
3. the lines after it, up to the next `---` or `...` line or the first line that no front matter
   holds — one that is not blank, a comment, indented, a list item (`- …`) or `key:` — hold at
   least two record key lines (two different keys).

A *record key line* begins, unindented, with a key of the record's front matter by its English
name (`index_no`, `title`, `publicity` … : `schema.RecordFront`, with the variants of case, width,
spacing and invisible characters `schema.key_skeleton` reads alike), then `:` and a space or the end
of the line. Keys by their 中文名 do not count here: `发布机构: …` lines are ordinary Chinese text.

Not refused: a `---` thematic break followed by text; one followed by a single `title: …` line; a
front matter shown inside a ``` code block (as docs show one); a `---` under a line of text (a
heading) followed by text.
"""

from __future__ import annotations

import re

from . import markdown
from .schema import RecordFront, key_skeleton

MESSAGE = "正文中出现了第二段前置元数据（可能把两条记录粘贴进了同一个文件）：第 {line} 行的 --- 之后是 {keys} 等键"
FIX = (
    "每条记录单独一个文件：把从第 {line} 行的 --- 起的第二条记录移到一个新的 .md 文件中（索引号可用 disclosure new "
    "分配）；若确要在正文中展示这样的文字，把它放进 ``` 代码块。"
)

_KEY_LINE = re.compile(r"""^(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#:'"\-][^:\n]*?|-[^\s:\n][^:\n]*?))[ \t]*:(?:[ \t]|$)""")
_ENDS = ("---", "...")
_DASHES = re.compile(r"^\s*---\s*$", re.MULTILINE)
_RECORD_KEYS = {key_skeleton(name): name for name in RecordFront.keys}


def _key(line: str) -> str | None:
    """The key of an unindented `key:` line (any key), or None."""
    match = _KEY_LINE.match(line)
    if match is None:
        return None
    return next(group for group in match.groups() if group is not None)


def _record_key(line: str) -> str | None:
    """The record key (by its English name) that an unindented `key:` line begins with, or None."""
    key = _key(line)
    return None if key is None else _RECORD_KEYS.get(key_skeleton(key))


def _held(line: str) -> bool:
    """Whether a front matter could hold the line: blank, a comment, indented, a list item or `key:`."""
    stripped = line.strip()
    return (
        not stripped
        or stripped.startswith("#")
        or line[:1] in (" ", "\t")
        or stripped == "-"
        or line.startswith("- ")
        or _key(line) is not None
    )


def second_front_matter(body: str) -> tuple[int, list[str]] | None:
    """The first second front matter in `body`: its `---` line (0-based in the body) and the record
    keys it holds, in order; None when the body holds none."""
    if "---" not in body or _DASHES.search(body) is None:  # most bodies: no line of `---` (a table's |---| is none)
        return None
    lines = body.split("\n")
    code: list[range] | None = None  # the code blocks' lines, parsed at the first candidate
    for number, line in enumerate(lines):
        if line.strip() != "---":
            continue
        keys: list[str] = []
        for after in range(number + 1, len(lines)):  # up to the next `---` at most: each line read once or twice
            following = lines[after]
            stripped = following.strip()
            if stripped in _ENDS or not _held(following):
                break
            if not stripped or stripped.startswith("#"):
                continue
            key = _record_key(following)
            if not keys and key is None:
                break  # the first line of a front matter is a key of it
            if key is not None and key not in keys:
                keys.append(key)
        if len(keys) < 2:
            continue
        if code is None:
            code = markdown.code_lines(body)
        if not any(number in block for block in code):
            return number, keys
    return None
