"""INS004 finds the same near misses wherever its names are cut in two.

generator/inspection/typos.py cuts each name into two halves and looks for a near miss only where
a half stands (one wrong character inside a name leaves one side whole). Which cut it takes is
chosen for speed (`_cuts`: halves beginning with characters that begin something already), and
must never change what is found: these properties hold the chosen cuts to the middle cut of every
name, on texts made of pieces of the names (each cut, one character changed, added or dropped),
including names that share halves and names with repeated characters at an end.
"""

from __future__ import annotations

from typing import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.inspection import typos

NAMES = [
    "中华人民共和国立法法",
    "中华人民共和国政府信息公开条例",
    "中华人民共和国",
    "国务院办公厅",
    "国家档案局",
    "国家保密局",
    "云南省人民政府",
    "玉溪市人民政府",
    "楚雄彝族自治州人民政府",
    "阿尔山市人民政府",
    "国家发展和改革委员会",
    "市人力资源和社会保障局",
    "哈哈哈调查队",
    "研究中心中心中心",
]


def pieces() -> Iterator[str]:
    for name in NAMES:
        yield name
        for cut in range(1, len(name)):
            yield name[:cut]
            yield name[cut:]
        for i in range(1, len(name) - 1):
            yield name[:i] + "错" + name[i + 1 :]  # changed
            yield name[:i] + name[i + 1 :]  # dropped
            yield name[:i] + "多" + name[i:]  # added
    yield from ("，", "\n", " ", "的", "关于")


TEXTS = st.lists(st.sampled_from(sorted(set(pieces()))), max_size=12).map("".join)


def middle_cuts(terms: list[str]) -> dict[str, int]:
    return {term: len(term) // 2 for term in terms}


@pytest.fixture(scope="module")
def both() -> tuple[typos.Terms, typos.Terms]:
    chosen = typos.build(NAMES)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typos, "_cuts", middle_cuts)
        middle = typos.build(NAMES)
    return chosen, middle


@settings(max_examples=4000, deadline=None)
@given(TEXTS)
def test_the_chosen_cuts_find_what_the_middle_cuts_find(both: tuple[typos.Terms, typos.Terms], text: str) -> None:
    chosen, middle = both
    assert list(typos.find(text, chosen)) == list(typos.find(text, middle))


def test_the_cuts_differ_and_find_something(both: tuple[typos.Terms, typos.Terms]) -> None:
    """The property above compares two different sets of halves, and they do find near misses."""
    chosen, middle = both
    assert set(chosen.prefixes) != set(middle.prefixes)
    assert list(typos.find("依据中华人民共合国政府信息公开条例和国家档按局的规定", chosen)) == [
        (2, "中华人民共合国政府信息公开条例", "中华人民共和国政府信息公开条例"),
        (18, "国家档按局", "国家档案局"),
    ]


def test_every_cut_leaves_two_characters_or_more_on_each_side() -> None:
    names = [name for name in typos.shipped() if len(name) >= typos.MIN_LENGTH and typos.CJK_RUN.fullmatch(name)]
    cuts = typos._cuts(sorted(names))
    assert set(cuts) == set(names)
    assert all(2 <= cut <= len(name) - 2 for name, cut in cuts.items())
