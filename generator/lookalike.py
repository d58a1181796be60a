"""Keys that read as another key: refused like a key written twice (FMT001, while loading).

YAML refuses nothing here: `Publicity: 不予公开` beside `publicity: 主动公开` is two different keys,
the unknown one is ignored (an FMT002 warning) and the record is published in full. So is
`公开属性`, the key's 中文名, and so are `publicity` with U+3000 or U+200B after it, `publicity_`
and `ｐublicity`. A key *reads as* a declared key when `schema.key_skeleton` makes the same of both
(NFKC, case folded, only letters and digits kept), or when it is that key's 中文名 — the
declaration's `spellings`, next to the keys in generator/schema.py. Then, in one mapping
(a record's front matter, its `review` or `declassified`, a department.yaml):

- a key that reads as a key written there too (or as another key that reads as the same one): the
  same key written twice — FMT001 at the look-alike's line naming both lines, as yamlsrc reports a
  duplicate (two look-alikes of an absent key: at the second);
- a key that reads as a key the secrecy decision depends on (`Key.decides`: publicity,
  withhold_reason, review, declassified — and any key inside review or declassified), written
  alone: FMT001, the secrecy check would never read it. Any other look-alike written alone stays
  the FMT002 warning "unknown key ignored" (its real key, when required, is reported missing);
- a key of the record's top level inside `review` or `declassified`, or a key of one of those two
  mappings at the top level while the record has that mapping: an indentation error, FMT001.

The check reads nothing but the parsed data and the line of every key (`yamlsrc.Parsed`), which
the flat reader (yamlflat) and libyaml give alike, so both give the same findings. The record is
then not loaded: nothing of it is published (load.py).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from . import yamlsrc
from .schema import Declaration, RecordFront, key_skeleton

KeyPath = tuple[str | int, ...]
Fault = tuple[int, str, str]  # 1-based line in the file, message, fix (Chinese)

DUPLICATE_FIX = "同一层级的键只能出现一次：核对两处的值，删去错误的一个；保留的一个写作 {name}。"


def shown(key: str) -> str:
    """A key as a message shows it: each space or invisible character as its code point."""
    return "".join(ch if ch == " " or unicodedata.category(ch)[0] not in "CZ" else f"<U+{ord(ch):04X}>" for ch in key)


def _why(written: str, name: str, label: str) -> str:
    """How a look-alike differs from the key it reads as, in Chinese."""
    if key_skeleton(written) == key_skeleton(label):
        return f"“{label}”是 {name} 的中文名，不能作键名"
    return f"与 {name} 只差大小写、全角半角、空格、不可见字符或符号"


def _dotted(path: KeyPath, name: str) -> str:
    return ".".join(str(part) for part in (*path, name))


def faults(parsed: yamlsrc.Parsed, declaration: type[Declaration], offset: int = 0) -> list[Fault]:
    """The look-alike keys of a document declared by `declaration` (its top level a mapping), in
    the order of their lines; `offset`: the file line before the document's first (a record's front
    matter: 1)."""
    data = parsed.data
    if not isinstance(data, dict):
        return []
    found: list[Fault] = []
    where = _Where(parsed, offset)
    _mapping(where, data, declaration, (), False, found)
    if declaration is RecordFront:
        _misplaced(where, data, found)
    found.sort(key=lambda fault: fault[0])
    return found


class _Where:
    """The file line of a key path."""

    def __init__(self, parsed: yamlsrc.Parsed, offset: int) -> None:
        self.parsed, self.offset = parsed, offset

    def __call__(self, *path: str | int) -> int:
        return self.parsed.line_of(*path, default=1) + self.offset


def _mapping(
    line_of: _Where,
    data: dict[Any, Any],
    declaration: type[Declaration],
    path: KeyPath,
    decides: bool,
    found: list[Fault],
) -> None:
    """The look-alikes in one mapping (`path`: where it lies; `decides`: inside a mapping the secrecy
    decision reads), then in its declared nested mappings."""
    keys = declaration.keys
    first: dict[str, Any] = {}  # key name → the key written first that reads as it
    for written in data:
        if written in keys:
            first.setdefault(written, written)
    for written in data:
        if written in keys:
            continue
        name = declaration.reads_as(written)
        if name is None:
            continue
        key = keys[name]
        line = line_of(*path, written)
        other = first.setdefault(name, written)
        if other != written:  # the key itself, or a look-alike of it written first
            other_line = line_of(*path, other)
            earlier, later = sorted(((other_line, other), (line, written)), key=lambda pair: pair[0])
            found.append(
                (
                    line,
                    f"键 '{_dotted(path, name)}'（{key.label}）重复：第 {earlier[0]} 行的 '{shown(earlier[1])}' 与"
                    f"第 {later[0]} 行的 '{shown(later[1])}' 是同一个键的不同写法（{_why(written, name, key.label)}），"
                    "合并冲突后请只保留一个",
                    DUPLICATE_FIX.format(name=name),
                )
            )
        elif decides or key.decides:
            found.append(
                (
                    line,
                    f"键 '{shown(written)}' 应写作 '{_dotted(path, name)}'（{key.label}）：写法不同的键会被忽略，"
                    "保密审查读不到它",
                    f"把键名改为 {name}（半角英文小写，前后不加空格；中文名不能作键名）。",
                )
            )
    for name, key in keys.items():
        nested = key.kind.mapping
        value = data.get(name)
        if nested is not None and isinstance(value, dict):
            _mapping(line_of, value, nested, (*path, name), decides or key.decides, found)


def _misplaced(line_of: _Where, data: dict[Any, Any], found: list[Fault]) -> None:
    """A top-level key of a record inside `review` or `declassified`, and a key of one of them at the
    top level while the record has that mapping: indentation errors (a top-level key once, under
    the first mapping it belongs in)."""
    dedented: set[str] = set()
    for parent, key in RecordFront.keys.items():
        nested = key.kind.mapping
        inner = data.get(parent)
        if nested is None or not isinstance(inner, dict):
            continue
        for written in inner:
            if nested.reads_as(written) is not None:
                continue  # its own key (a look-alike of one: _mapping)
            name = RecordFront.reads_as(written)
            if name is None:
                continue
            label = RecordFront.keys[name].label
            found.append(
                (
                    line_of(parent, written),
                    f"缩进错误：'{shown(written)}'（{label}）是记录的顶层键，却缩进写在了 {parent} 下面，不会被读取",
                    f"把 {name} 移到行首（不缩进），与 {parent} 对齐；顶层若已有 {name}，核对两处的值，只保留一个。",
                )
            )
        for written in data:
            if written in dedented or RecordFront.reads_as(written) is not None:
                continue
            name = nested.reads_as(written)
            if name is None:
                continue
            dedented.add(written)
            found.append(
                (
                    line_of(written),
                    f"缩进错误：'{shown(written)}'（{nested.keys[name].label}）是 {parent}（{key.label}）中的键，"
                    "却写在了顶层，不会被读取",
                    f"把它写进 {parent} 中（在 {parent}: 下一行缩进两个空格，或写进 {{…}} 中）；"
                    f"{parent} 中若已有 {name}，核对两处的值，只保留一个。",
                )
            )
