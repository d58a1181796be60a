"""What a PDF keeps beside its pages' text: layers (optional content) its default view turns
off — drawn in the file, extracted with its text, shown on no page — are SEC014; a form field's
value and tooltip are scanned like its text, on the widget or the field it belongs to."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable

import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from conftest import check_attachment
from office_files import pdf_bytes

MakeSite = Callable[..., Path]


def _with_layer(off: bool) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes("Public text")))
    layer = writer._add_object(
        DictionaryObject({NameObject("/Type"): NameObject("/OCG"), NameObject("/Name"): TextStringObject("批注层")})
    )
    default = DictionaryObject({NameObject("/OFF"): ArrayObject([layer] if off else [])})
    writer._root_object[NameObject("/OCProperties")] = DictionaryObject(
        {NameObject("/OCGs"): ArrayObject([layer]), NameObject("/D"): default}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _with_field(value: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes("Public text")))
    field = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("phone"),
            NameObject("/V"): TextStringObject(value),
        }
    )
    widget = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (20, 20, 200, 40)]),
            NameObject("/Parent"): writer._add_object(field),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(widget)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _check(make_site: MakeSite, data: bytes) -> list[dict[str, Any]]:
    return [f for f in check_attachment(make_site, "a.pdf", data) if f["rule"].startswith("SEC")]


@pytest.mark.parametrize("off", [True, False])
def test_a_layer_turned_off_is_hidden_content(make_site: MakeSite, off: bool) -> None:
    found = [f["message"] for f in _check(make_site, _with_layer(off)) if f["rule"] == "SEC014"]
    assert any("1 个默认关闭的图层" in m for m in found) is off, found


@pytest.mark.parametrize("value,fires", [("13812345678", True), ("同意", False)])
def test_a_form_fields_value_is_scanned(make_site: MakeSite, value: str, fires: bool) -> None:
    assert any(f["rule"] == "SEC008" for f in _check(make_site, _with_field(value))) is fires
