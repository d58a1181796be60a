"""A flat front matter read without libyaml gives what libyaml and the walk give, or is not read.

generator/yamlflat.py reads the `key: value` lines most records are made of. What it returns must
be exactly what `yamlsrc.parse` made of the same text before it existed: the same data, of the
same types, and the same line for every key, in the same order. Anything else it must leave to
libyaml, which reports the faults (a key written twice, a tag, a bad date) as it always has.
The property below draws texts from the pieces that matter to YAML — indicators, quotes, colons
and comments, tabs, Word's ideographic space, unusual line breaks, keys that load as true or
null, dates that do not exist, lists and mappings under a key, uneven indentation — and holds
the two readers to each other wherever the flat reader answers.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import yamlflat, yamlsrc

# keys that load as their text, and a few that do not (true, null)
KEYS = ["title", "publicity", "review", "keywords", "drafter", "opinion", "a", "_b", "x1"] * 3 + ["yes", "null", "True"]
# text that any reader takes as it is, and the pieces that may change how YAML reads a value
PLAIN = ["主动公开", "不予公开", "关于印发", "〔2026〕1号", "a", "1", "2026-11-30", "1.5", "x y", "李 明"]
TROUBLE = [
    "2026-02-30",
    "2026-11-30 10:00:00",
    "0x1F",
    ".inf",
    "~",
    "null",
    "true",
    "=",
    "<<",
    " ",
    "  ",
    ":",
    ": ",
    " #",
    "#",
    "'",
    "''",
    '"',
    "\\",
    "-",
    "- ",
    "?",
    ",",
    "[",
    "]",
    "{",
    "}",
    "&a",
    "*a",
    "!",
    "!!str ",
    "|",
    ">",
    "%",
    "@",
    "`",
    "\t",
    "\u3000",
    "\u00a0",
    "\u0085",
    "\u2028",
    "\ufeff",
    "\r",
    "\x00",
    "\x7f",
    "\U0001d7cf",
]

# most values plain, so that most drawn texts are ones the flat reader answers for
values = st.lists(
    st.integers(0, 9).flatmap(lambda n: st.sampled_from(TROUBLE if n == 0 else PLAIN)), min_size=1, max_size=4
).map("".join)
keys = st.sampled_from(KEYS)


@st.composite
def scalars(draw: st.DrawFn) -> str:
    """A value as it may follow `key: `: plain, quoted, or a one-line mapping, maybe a comment after."""
    kind = draw(st.sampled_from(["plain", "plain", "plain", "single", "double", "flow"]))
    if kind == "single":
        written = "'" + draw(values) + "'"
    elif kind == "double":
        written = '"' + draw(values) + '"'
    elif kind == "flow":
        items = draw(st.lists(st.tuples(keys, values), min_size=0, max_size=3))
        written = "{" + ", ".join(f"{key}: {value}" for key, value in items) + "}"
    else:
        written = draw(values)
    if draw(st.integers(0, 3)) == 0:
        written += draw(st.sampled_from([" # 注", "  #x", "#x", " #"]))
    return written


@st.composite
def lines(draw: st.DrawFn) -> list[str]:
    """One line of a front matter, or `key:` with the lines of a list or mapping under it."""
    kind = draw(st.sampled_from(["pair"] * 8 + ["under"] * 3 + ["comment", "blank", "other"]))
    if kind == "pair":
        return [f"{draw(keys)}: {draw(scalars())}"]
    if kind == "comment":
        return [" " * draw(st.integers(0, 3)) + "# " + draw(values)]
    if kind == "blank":
        return [draw(st.sampled_from(["", "", " "]))]
    if kind == "other":
        return [draw(values)]
    head = draw(keys) + ":" + draw(st.sampled_from(["", "", "", " # 注", " "]))
    listed = draw(st.booleans())
    indent = draw(st.sampled_from([0, 2, 2, 3]))
    rows = [head]
    for _ in range(draw(st.sampled_from([0, 1, 2, 2, 3, 3]))):
        if draw(st.integers(0, 5)) == 0:  # now and then a line unlike the others
            listed, indent = draw(st.booleans()), draw(st.sampled_from([0, 1, 2, 4]))
        body = draw(scalars()) if listed else f"{draw(keys)}: {draw(scalars())}"
        rows.append(" " * indent + ("- " if listed else "") + body)
    return rows


texts = st.lists(lines(), min_size=1, max_size=6).map(lambda parts: "\n".join(row for part in parts for row in part))


def typed(value: Any) -> Any:
    """A value with the type of every part spelled out (1 == True == 1.0 would hide a difference)."""
    if isinstance(value, dict):
        return ("dict", [(typed(key), typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    return (type(value).__name__, repr(value))


def libyaml(text: str, max_chars: int, monkeypatch: pytest.MonkeyPatch) -> yamlsrc.Parsed | yamlsrc.YamlError:
    """What `yamlsrc.parse` makes of `text` with the flat reader out of the way."""
    with monkeypatch.context() as patch:
        patch.setattr(yamlflat, "parse", lambda *args: None)
        try:
            return yamlsrc.parse(text, 1, max_chars)
        except yamlsrc.YamlError as error:
            return error


@settings(max_examples=1500, deadline=None)
@given(text=texts, max_chars=st.sampled_from([4, 12, 10_000]))
def test_what_the_flat_reader_answers_is_what_libyaml_gives(text: str, max_chars: int) -> None:
    flat = yamlflat.parse(text, yamlsrc._plain, max_chars)
    if flat is None:
        return
    with pytest.MonkeyPatch.context() as monkeypatch:
        slow = libyaml(text, max_chars, monkeypatch)
    assert isinstance(slow, yamlsrc.Parsed), f"libyaml refuses what the flat reader read: {slow}"
    data, where = flat
    assert typed(data) == typed(slow.data)
    assert list(where.items()) == list(slow.lines.items())


RECORD = """\
# 演示记录：一条注释
index_no: 11530424015340024D/2026-00001
title: '关于印发《华宁县政务公开工作要点》的通知'
category: 法定主动公开内容/通知公告
written: 2026-11-13
published: 2026-11-17
publicity: 主动公开  # 公开属性
review:
  drafter: 陈静
  opinion: 主动公开
  approved_on: 2026-11-17
signoff: {drafter: 李明, approved_on: 2018-08-14}
keywords:
- 政务公开
- "要点"
"""


def test_a_record_written_as_the_format_shows_is_read_flat_and_as_libyaml_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    flat = yamlflat.parse(RECORD, yamlsrc._plain, 10_000)
    assert flat is not None, "the usual record no longer takes the flat reader"
    data, where = flat
    assert data["written"] == datetime.date(2026, 11, 13)
    assert data["review"] == {"drafter": "陈静", "opinion": "主动公开", "approved_on": datetime.date(2026, 11, 17)}
    assert data["publicity"] == "主动公开" and data["keywords"] == ["政务公开", "要点"]
    assert (
        where[("review", "approved_on")] == 11 and where[("keywords", 1)] == 15 and where[("signoff", "drafter")] == 12
    )
    slow = libyaml(RECORD, 10_000, monkeypatch)
    assert isinstance(slow, yamlsrc.Parsed)
    assert typed(slow.data) == typed(data) and list(slow.lines.items()) == list(where.items())


@pytest.mark.parametrize(
    "text",
    [
        "publicity: 主动公开\ntitle: 甲\npublicity: 不予公开",  # a merge conflict resolved carelessly
        "review:\n  opinion: 主动公开\n  opinion: 不予公开",
        "review: {opinion: 主动公开, opinion: 不予公开}",
        "publicity:\u3000不予公开\ntitle: 甲",  # Word's ideographic space after the colon
        "title: 甲\tpublicity: 不予公开",
        "title: 甲\u2028publicity: 不予公开",
        "yes: 主动公开",
        "written: 2026-02-30",
        "title: !!python/object:os.system x",
        "title: &a 甲\nsummary: *a",
    ],
)
def test_what_needs_libyaml_is_left_to_it(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The faults and the doubtful cases are not read flat: libyaml reads them, and reports a key
    written twice as before."""
    assert yamlflat.parse(text, yamlsrc._plain, 10_000) is None
    if "不予公开" in text and text.count("opinion") + text.count("publicity") == 2:
        slow = libyaml(text, 10_000, monkeypatch)
        assert isinstance(slow, yamlsrc.YamlError) and "重复" in slow.message


def test_a_key_written_twice_in_a_flat_front_matter_is_still_an_error_naming_both_lines() -> None:
    with pytest.raises(yamlsrc.YamlError) as raised:
        yamlsrc.parse("publicity: 主动公开\ntitle: 甲\npublicity: 不予公开", line_offset=1)
    assert "第 2 行与第 4 行" in raised.value.message
