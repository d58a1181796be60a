"""PowerPoint attachments (.pptx, the slides of many 政策解读) are read instead of blocking until
signed off — and what a reviewer paging through the slides never sees is SEC014: a slide set not
to show, speaker notes (演讲者备注), comments. Their text, the slides' text, the master's and the
file's properties are scanned for markings and personal data."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable

import pytest
from pptx import Presentation
from pptx.util import Emu, Pt

from conftest import check_attachment
from office_files import with_parts

MakeSite = Callable[..., Path]
COMMENT = (
    '<p:cmLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cm authorId="0" idx="1">'
    '<p:pos x="10" y="10"/><p:text>{text}</p:text></p:cm></p:cmLst>'
)


def _pptx(
    titles: tuple[str, ...] = ("政策解读", "主要内容"),
    notes: dict[int, str] | None = None,
    hidden: int = 0,
    comment: str = "",
    subject: str = "",
) -> bytes:
    deck = Presentation()
    deck.core_properties.author = ""
    deck.core_properties.last_modified_by = ""
    deck.core_properties.subject = subject
    for number, title in enumerate(titles, start=1):
        slide = deck.slides.add_slide(deck.slide_layouts[5])
        slide.shapes.title.text = title
        if notes and number in notes:
            slide.notes_slide.notes_text_frame.text = notes[number]
        if number == hidden:
            slide._element.set("show", "0")
    out = io.BytesIO()
    deck.save(out)
    return with_parts(out.getvalue(), {"ppt/comments/comment1.xml": COMMENT.format(text=comment)} if comment else {})


def _check(make_site: MakeSite, data: bytes) -> list[dict[str, Any]]:
    return [f for f in check_attachment(make_site, "a.pptx", data) if f["rule"].startswith("SEC")]


def _of(found: list[dict[str, Any]], rule: str) -> list[str]:
    return [f["message"] for f in found if f["rule"] == rule]


def test_plain_slides_pass_without_a_sign_off(make_site: MakeSite) -> None:
    assert _check(make_site, _pptx()) == []


def test_a_marking_on_a_slide_is_found(make_site: MakeSite) -> None:
    assert _of(_check(make_site, _pptx(titles=("政策解读", "机密★5年"))), "SEC006")


def test_speaker_notes_are_hidden_content_and_scanned(make_site: MakeSite) -> None:
    found = _check(make_site, _pptx(notes={2: "讲解时补充：联系人 13812345678"}))
    assert any("第 2 张幻灯片有演讲者备注" in m for m in _of(found, "SEC014")), found
    assert _of(found, "SEC008")


def test_a_hidden_slide_is_hidden_content(make_site: MakeSite) -> None:
    found = _check(make_site, _pptx(titles=("政策解读", "内部测算", "结语"), hidden=2))
    assert any("隐藏的幻灯片：第 2 张" in m for m in _of(found, "SEC014")), found


def test_a_comment_is_hidden_content(make_site: MakeSite) -> None:
    assert any("1 条批注" in m for m in _of(_check(make_site, _pptx(comment="这页要删")), "SEC014"))


@pytest.mark.parametrize("subject,fires", [("机密★5年", True), ("政策解读", False)])
def test_properties_are_scanned(make_site: MakeSite, subject: str, fires: bool) -> None:
    assert bool(_of(_check(make_site, _pptx(subject=subject)), "SEC006")) is fires


def test_a_legacy_ppt_renamed_pptx_says_so(make_site: MakeSite) -> None:
    found = _of(_check(make_site, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512), "SEC015")
    assert found and "旧版 PowerPoint 文件（.ppt）" in found[0], found


def test_a_deck_of_pictures_has_no_text_to_check(make_site: MakeSite) -> None:
    """Every deck's masters hold prompt text ("Click to edit Master title style"): it does not make
    slides without text of their own checkable."""
    deck = Presentation()
    deck.slides.add_slide(deck.slide_layouts[6])  # blank: a scanned page would be a picture on it
    out = io.BytesIO()
    deck.save(out)
    assert any("没有可提取的文字" in m for m in _of(_check(make_site, out.getvalue()), "SEC015"))


def test_a_marking_in_the_master_is_found(make_site: MakeSite) -> None:
    deck = Presentation()
    deck.slide_masters[0].placeholders[0].text = "机密★5年"
    deck.slides.add_slide(deck.slide_layouts[5]).shapes.title.text = "政策解读"
    out = io.BytesIO()
    deck.save(out)
    found = _of(_check(make_site, out.getvalue()), "SEC006")
    assert found and "版式和母版" in found[0], found


def _deck_with_shape(place: Callable[[Any, Any], None], text: str = "内部测算：不公开") -> bytes:
    deck = Presentation()
    deck.core_properties.author = ""
    deck.core_properties.last_modified_by = ""
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "政策解读"
    box = slide.shapes.add_textbox(Emu(914400), Emu(914400), Emu(2743200), Emu(457200))
    box.text_frame.text = text
    place(deck, box)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _one_point(deck: Any, box: Any) -> None:
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(1)


def _eight_points(deck: Any, box: Any) -> None:
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(8)


def _hide(deck: Any, box: Any) -> None:
    box._element.nvSpPr.cNvPr.set("hidden", "1")


def _off_the_edge(deck: Any, box: Any) -> None:
    box.left = deck.slide_width + Emu(100)


def _half_off(deck: Any, box: Any) -> None:
    box.left = deck.slide_width - Emu(100)


@pytest.mark.parametrize(
    "place,text,said",
    [
        (_hide, "内部测算：不公开", "第 1 张幻灯片上有图形或文本框设为隐藏"),
        (_off_the_edge, "内部测算：不公开", "第 1 张幻灯片上有带文字的图形整个放在幻灯片之外"),
        (_hide, "", ""),  # a hidden empty box holds nothing
        (_half_off, "内部测算：不公开", ""),  # partly on the slide: shown, cut at the edge
        (lambda deck, box: None, "内部测算：不公开", ""),
        (_one_point, "内部测算：不公开", "第 1 张幻灯片上有字号不大于 1 磅的文字"),
        (_eight_points, "内部测算：不公开", ""),
    ],
    ids=["hidden-shape", "off-slide", "hidden-empty", "half-off", "plain", "1-pt", "8-pt"],
)
def test_shapes_hidden_or_off_the_slide(make_site: MakeSite, place: Any, text: str, said: str) -> None:
    found = _of(_check(make_site, _deck_with_shape(place, text)), "SEC014")
    assert (found and said in found[0]) if said else not found, found
