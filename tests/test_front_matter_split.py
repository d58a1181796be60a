"""A record file is cut into its front matter and its body where a clerk sees the front matter end.

The first line is ---; the front matter ends at the next line that is --- or ... (spaces of any
kind around it allowed, as Word and editors leave them); the body is everything after that line,
and its first line's number is what findings in the body count from. load.split_front_matter
looks only at the front matter's lines (a city's bodies are 1.6 GB): the property holds it to the
rule written out over the whole list of lines.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.load import split_front_matter


def by_lines(text: str) -> tuple[str, str, int] | None:
    """The rule, over every line of the text."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    return None


PIECES = ["---", "...", "--", "----", "-", ".", "\n", "\n\n", " ", "\t", "\u3000", "\r", "title: 通知", "x"]


@settings(max_examples=5000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_the_front_matter_ends_where_the_rule_says(text: str) -> None:
    assert split_front_matter(text) == by_lines(text)


def test_examples_a_clerk_writes() -> None:
    assert split_front_matter("---\ntitle: 通知\n---\n正文第一行\n第二行") == ("title: 通知", "正文第一行\n第二行", 4)
    assert split_front_matter("---\ntitle: 通知\n...\n") == ("title: 通知", "", 4)  # YAML's end marker
    assert split_front_matter("--- \n\u3000---\u3000\n正文") == ("", "正文", 3)  # spaces Word leaves around it
    assert split_front_matter("---\ntitle: 通知\n---") == ("title: 通知", "", 4)  # the file's last line
    assert split_front_matter("---\ntitle: 通知\n正文") is None  # never closed
    assert split_front_matter("---") is None
    assert split_front_matter("title: 通知\n---\n") is None  # does not begin with ---
