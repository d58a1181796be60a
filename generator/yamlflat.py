"""The flat front matter most records are, read without libyaml — or not at all.

A record's front matter is nearly always one `key: value` per line: a plain value, a value
in single or double quotes, or a one-line `{key: value, …}`; a list (`keywords:`) or a mapping
(the sign-off `review:`) indented under its key; comments after a value or on lines of their
own. Composing it with libyaml and walking the nodes was a fifth of a record's own work in a
cold `check` (140 µs a record); reading such lines directly takes a third of that.

`parse` accepts only a strict subset of YAML, whose meaning is not in doubt, and returns None
for anything else — a second level, a list of lists or mappings, an unevenly indented or
continued line, an empty value, a tab, an escape, a control
character or an unusual line break (NEL, U+2028, U+2029, a byte-order mark), a key written
twice, a key that does not load as text (`yes`, `null`), a value whose first character is a
YAML indicator, a value that holds a mapping indicator, a value longer than the limit, or a
value the loader's constructor would refuse. The caller (`yamlsrc.parse`) then reads the text
with libyaml as before, and reports any fault as before. What `parse` returns is what
`yamlsrc.parse` makes of the same text: the same data, the same types, the same line of every
key (tests/test_yaml_flat.py; and every record of the bench corpus, `bench/yaml_same.py`).
"""

from __future__ import annotations

import re
from typing import Any, Callable

NOT_PLAIN = object()  # what `plain` returns for a value it will not vouch for

_KEY = r"[A-Za-z_][A-Za-z0-9_]*"  # a key as plain ASCII text (it must still load as that text)
# a line: a key, ": ", and the value
_LINE = re.compile(f"({_KEY}): (.+)")
_OPEN = re.compile(f"({_KEY}):(?: +#.*)?")  # a key whose list or mapping follows, indented
# anything that could change how libyaml reads the text: a character it refuses or treats as a
# line break or byte-order mark (NEL U+0085, U+2028, U+2029, U+FEFF), a tab, a carriage return
_UNUSUAL = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_COMMENT = r"(?: +#.*)?"  # what may follow a value: spaces, then a comment to the end of the line
# a plain value in block context, as YAML reads it: no indicator first, no space first or last, no
# mapping indicator (": " or ":" at the end) inside; " #" begins the comment that may follow
_BLOCK_PLAIN = re.compile(r"([^-?:,\[\]{}#&*!|>'\"%@` ](?:(?!: | #).)*(?<![: ]))" + _COMMENT)
# the commonest line, `key: plain value`, in one match
_PLAIN_PAIR = re.compile(f"({_KEY}): " + _BLOCK_PLAIN.pattern)
_SINGLE = re.compile(r"'((?:[^']|'')*)'" + _COMMENT)
_DOUBLE = re.compile(r'"([^"\\]*)"' + _COMMENT)
# a one-line flow mapping of plain keys and plain values (no flow indicator, colon, comment or
# quote inside a value; single spaces between its items)
_FLOW_VALUE = r"[^-?:,\[\]{}#&*!|>'\"%@` ][^,\[\]{}:#'\"?]*(?<! )"
_FLOW = re.compile(f"\\{{({_KEY}: {_FLOW_VALUE}(?:, {_KEY}: {_FLOW_VALUE})*)\\}}" + _COMMENT)
_FLOW_ITEM = re.compile(f"({_KEY}): ({_FLOW_VALUE})")

Plain = Callable[[str], Any]
TEXT_KEYS_KEPT = 10_000  # keys known to load as their own text, per process
_TEXT_KEYS: set[str] = set()
KeyPath = tuple[str | int, ...]


def parse(text: str, plain: Plain, max_chars: int) -> tuple[dict[str, Any], dict[KeyPath, int]] | None:
    """The data and the line of every key (1-based) of a flat front matter, or None: not flat.

    Flat: each line `key: value`, or `key:` followed by the lines of one list (`- value`) or one
    mapping (`key: value`), all indented alike (a list may stand at the key's own indentation), as
    `keywords:` and the sign-off `review:` are written. `plain(text)` makes a plain scalar's value
    as the loader would (a string, a date, a number…) or returns NOT_PLAIN; it is also asked about
    every key, which must load as the same text. It must be the loader's own (`yamlsrc`): the keys
    it said that of are kept for the process."""
    if not text or _UNUSUAL.search(text) is not None:
        return None
    data: dict[str, Any] = {}
    lines: dict[KeyPath, int] = {}
    inner: list[tuple[KeyPath, int]] = []  # paths inside a value: after every outer key, as the walk sets them
    opened = ""  # the key of a `key:` line while its list or mapping follows
    below: list[Any] | dict[str, Any] | None = None  # that list or mapping, once its first line is read
    indent = 0  # the indentation of its lines
    for number, row in enumerate(text.split("\n"), 1):
        written = row.lstrip(" ")
        if not row or written.startswith("#"):  # a blank line or a comment
            continue
        width = len(row) - len(written)
        if opened and below is None:  # the first line under `key:` says what follows
            below = [] if written.startswith("- ") else {} if width else None
            if below is None:
                return None
            data[opened], indent = below, width
        if below is not None and width == indent and (width or written.startswith("- ")):
            if isinstance(below, list):
                value = _value(written[2:], plain, max_chars) if written.startswith("- ") else NOT_PLAIN
                if value is NOT_PLAIN or isinstance(value, dict):
                    return None
                inner.append(((opened, len(below)), number))
                below.append(value)
                continue
            item = _item(written, below, plain, max_chars)
            if item is None or isinstance(item[1], dict):
                return None
            inner.append(((opened, item[0]), number))
            below[item[0]] = item[1]
            continue
        if width:
            return None  # indented otherwise: a continued value, a deeper level
        opened, below = "", None
        item = _item(row, data, plain, max_chars)
        if item is None:
            key = _OPEN.fullmatch(row)
            if key is None or not _new_key(key.group(1), data, plain, max_chars):
                return None
            opened = key.group(1)
            lines[(opened,)] = number
            continue
        key_name, value = item
        data[key_name] = value
        lines[(key_name,)] = number
        if isinstance(value, dict):
            inner += [((key_name, name), number) for name in value]
    if (opened and below is None) or not data:
        return None
    lines.update(inner)
    return data, lines


def _new_key(key: str, mapping: dict[str, Any], plain: Plain, max_chars: int) -> bool:
    """A key not yet in `mapping` that loads as its own text (known of a site's few keys once asked)."""
    if key in mapping or len(key) > max_chars:
        return False
    if key in _TEXT_KEYS:
        return True
    if plain(key) != key:
        return False
    if len(_TEXT_KEYS) < TEXT_KEYS_KEPT:
        _TEXT_KEYS.add(key)
    return True


def _item(row: str, mapping: dict[str, Any], plain: Plain, max_chars: int) -> tuple[str, Any] | None:
    """`key: value` as (key, value), or None: not such a line, or a key already in `mapping`."""
    pair = _PLAIN_PAIR.fullmatch(row)
    if pair is not None:
        key, text = pair.group(1, 2)
        if not _new_key(key, mapping, plain, max_chars):
            return None
        value = _plain_value(text, plain, max_chars)
        return None if value is NOT_PLAIN else (key, value)
    line = _LINE.fullmatch(row)
    if line is None or not _new_key(line.group(1), mapping, plain, max_chars):
        return None
    value = _value(line.group(2), plain, max_chars)
    return None if value is NOT_PLAIN else (line.group(1), value)


def _value(written: str, plain: Plain, max_chars: int) -> Any:
    if not written:
        return NOT_PLAIN
    first = written[0]
    if first == "'":
        quoted = _SINGLE.fullmatch(written)
        if quoted is None:
            return NOT_PLAIN
        text = quoted.group(1).replace("''", "'")
        return text if len(text) <= max_chars else NOT_PLAIN
    if first == '"':
        quoted = _DOUBLE.fullmatch(written)
        if quoted is None or len(quoted.group(1)) > max_chars:
            return NOT_PLAIN
        return quoted.group(1)
    if first == "{":
        return _flow(written, plain, max_chars)
    value = _BLOCK_PLAIN.fullmatch(written)
    return NOT_PLAIN if value is None else _plain_value(value.group(1), plain, max_chars)


def _plain_value(text: str, plain: Plain, max_chars: int) -> Any:
    """A plain value's data, or NOT_PLAIN: longer than the limit (libyaml's walk reports it), or
    one `plain` will not vouch for."""
    return NOT_PLAIN if len(text) > max_chars else plain(text)


def _flow(written: str, plain: Plain, max_chars: int) -> Any:
    flow = _FLOW.fullmatch(written)
    if flow is None:
        return NOT_PLAIN
    mapping: dict[str, Any] = {}
    for item in _FLOW_ITEM.finditer(written, 1, flow.end(1)):
        key, text = item.groups()
        if not _new_key(key, mapping, plain, max_chars) or len(text) > max_chars:
            return NOT_PLAIN
        value = plain(text)
        if value is NOT_PLAIN:
            return NOT_PLAIN
        mapping[key] = value
    return mapping
