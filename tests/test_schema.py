"""generator/schema.py is the one declaration of the content format: what the code publishes,
scans, checks and loads follows it, key for key."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
from pathlib import Path

from conftest import DEPT_USCC, record_text
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import publicity, schema, yamlsrc
from generator.annual.template import FIGURES
from generator.load import split_front_matter
from generator.config import load_config
from generator.model import Application, Record, Site
from generator.schema import Exposure, RecordFront
from generator.secrecy.texts import published_texts


def record(meta: dict[str, object], body: str = "正文。") -> Record:
    lines = {(key,): i + 2 for i, key in enumerate(meta)}
    return Record("d1", "/nonexistent/a.md", "content/d1/a.md", meta, yamlsrc.Parsed(meta, lines), body, 20)


def parsed(text: str) -> dict[str, object]:
    split = split_front_matter(text)
    assert split is not None
    return dict(yamlsrc.parse(split[0]).data)


def test_every_key_is_marked_public_or_internal_in_the_model() -> None:
    for declaration in schema.DECLARATIONS:
        model = declaration.model()
        assert list(model.model_fields) == list(declaration.keys)
        for name, info in model.model_fields.items():
            marks = info.json_schema_extra
            assert isinstance(marks, dict) and isinstance(marks["public"], bool), (declaration.__name__, name)
            assert marks["exposure"] in {e.value for e in Exposure}
            assert info.title and info.description


def test_a_public_record_carries_exactly_the_public_keys() -> None:
    """PublicRecord's fields: the keys the schema marks public, and what publicity.py derives."""
    fields = {f.name for f in dataclasses.fields(publicity.PublicRecord)}
    public = {key.name for key in RecordFront.keys.values() if key.public}
    internal = {key.name for key in RecordFront.keys.values() if not key.public}
    assert fields == public | set(publicity.DERIVED)
    assert not fields & internal


def selected(meta: dict[str, object]) -> publicity.PublicRecord:
    config, _ = load_config(Path("/nonexistent"))
    (public,) = publicity.select(Site(config, Path("/nonexistent"), records=[record(meta)])).records
    return public


def test_metadata_only_records_get_only_the_listed_keys() -> None:
    public = selected(
        parsed(
            record_text(
                publicity="依申请公开",
                withhold_reason="《条例》第十四条",
                summary="概述",
                keywords="[甲, 乙]",
                valid_until="2030-01-01",
            )
        )
    )
    assert not public.full and public.summary == "" and public.keywords == [] and public.body == publicity.NO_BODY
    assert (
        public.title == "关于测试工作的通知"
        and public.publisher == ["测试局"]
        and public.written == dt.date(2026, 11, 2)
    )
    full = selected(parsed(record_text(summary="概述", keywords="[甲, 乙]")))
    assert full.full and full.summary == "概述" and full.keywords == ["甲", "乙"]


def test_the_output_scan_reads_the_public_free_texts_of_the_declaration() -> None:
    meta = parsed(
        record_text(doc_no="测发〔2026〕1号", summary="概述", keywords="[甲]", withhold_reason="不公开的理由")
    )
    scanned = [text.where for text in published_texts(record(meta))]
    assert scanned == ["标题", "内容概述", "文号", "关键词", "正文"]
    meta = parsed(record_text(publicity="依申请公开", doc_no="测发〔2026〕1号", summary="概述"))
    assert [text.where for text in published_texts(record(meta))] == ["标题"]  # its 文号 is not published
    assert list(published_texts(record(parsed(record_text(publicity="不予公开"))))) == []
    labels = {key.scan for key in RecordFront.keys.values() if key.scan}
    assert labels == {"标题", "文号", "内容概述", "关键词"}
    assert all(key.public for key in RecordFront.keys.values() if key.scan)


def test_a_record_with_its_typed_front_matter_pickles() -> None:
    """Records cross the forked worker pool (and a cluster's): the typed view reads the same there."""
    loaded = record(parsed(record_text(review=None)))
    front = loaded.public_front()
    assert front.index_no == f"{DEPT_USCC}/2026-00001" and front.status == "现行有效"
    again = pickle.loads(pickle.dumps(loaded))
    assert again.public_front() == front and again.meta == loaded.meta
    assert pickle.loads(pickle.dumps(front)) == front


_VALUES = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8), st.dates(),
        st.datetimes(), st.sampled_from(["主动公开", "依申请公开", "现行有效", "已废止", "2026-03-01", " 政策/ 文件 "]),
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([*RecordFront.keys, "unknown"]), _VALUES, max_size=10))
def test_the_public_keys_read_alone_as_in_the_whole_front_matter(meta: dict[str, object]) -> None:
    """The selection reads a record's public keys alone (read_public: a fraction of the time): each
    reads as the whole front matter's read gives it, whatever was written, and nothing else is read."""
    public = RecordFront.read_public(meta)
    whole = RecordFront.read(meta)
    names = [name for name, key in RecordFront.keys.items() if key.public]
    assert list(type(public).model_fields) == names
    assert {name: getattr(public, name) for name in names} == {name: getattr(whole, name) for name in names}


def test_reading_never_fails_and_checking_names_each_wrong_value() -> None:
    meta = {
        "title": ["a"],
        "written": "昨天",
        "status": "有效",
        "review": {"opinion": "同意", "approved_on": "x"},
        "publisher": [1],
        "keywords": "一行",
        "declassified": "无",
    }
    front = RecordFront.read(meta)
    assert front.written is None and front.publisher == ["1"] and front.keywords == ["一行"]
    found = [(problem.loc, problem.code) for problem in RecordFront.problems(meta)]
    assert found == [
        (("title",), "text"),
        (("publisher",), "publishers"),
        (("written",), "date"),
        (("review", "opinion"), "enum"),
        (("review", "approved_on"), "date"),
        (("declassified",), "map"),
        (("status",), "enum"),
    ]


def test_register_rows_and_report_figures_follow_the_schema() -> None:
    located = {"dept", "year", "file", "line"}
    assert [f.name for f in dataclasses.fields(Application) if f.name not in located] == list(
        schema.ApplicationRow.keys
    )
    figures = [(k, v.label) for k, v in schema.ReportFigures.keys.items() if v.kind in (schema.COUNT, schema.AMOUNT)]
    assert [(row.key, row.label) for row in FIGURES] == figures
    assert set(schema.ReportFigures.keys) - {key for key, _ in figures} == {"published"}  # the report's date
    assert schema.register_date("2025/3/1") == dt.date(2025, 3, 1)  # looser than a front-matter date, on purpose
    assert schema.as_date("2025/3/1") is None


def test_what_each_publicity_shows() -> None:
    assert publicity.FULL == ("主动公开", "删减后公开", "脱密后公开")
    assert publicity.METADATA_ONLY == ("依申请公开",)
    assert set(schema.SHOWN) == set(schema.Publicity)
    assert "owners" not in publicity.DEPT_PUBLIC_KEYS and "reviewed" not in publicity.DEPT_PUBLIC_KEYS
