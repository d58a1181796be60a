"""The selection cache (generator/selectcache.py): an edit build makes the public form of the
changed records alone from their front matter; every other listed record is made from the row the
last selection kept for its file's bytes — and the output is a clean build's every time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DEPARTMENT_YAML, DEPT_USCC, record_text, run_cli
from generator import jsontext, model, selectcache
from test_incremental import MakeSite, _clean_build, _files, _record

OTHER_USCC = "11530400MB0000002R"


def _d2(serial: int, body: str, **meta: object) -> str:
    return record_text(body, index_no=f"{OTHER_USCC}/2026-{serial:05d}", publisher="另一局", **meta)


def _site(make_site: MakeSite) -> Path:
    """Two departments; records with and without a summary, with an attachment, a 解读 and its
    policy, one that supersedes another, and one listed as metadata only."""
    return make_site(
        {
            "site.yaml": "title: 测试站点\ntoday: 2026-11-21\nlist_on_request: true\n"
            "rules: {STL008: 'off', STL010: 'off', INS001: 'off', INS002: 'off', INS003: 'off', INS006: 'off'}\n",
            "content/d1/a.md": _record(1, "第一条正文。第二句。", attachments="[a.txt]", keywords="[甲, 乙]"),
            "content/d1/a.files/a.txt": "附件文字。",
            "content/d1/b.md": _record(
                2, "第二条正文。", summary="第二条的概述", superseded_by=f"{DEPT_USCC}/2026-00001"
            ),
            "content/d1/c.md": _record(
                3, "第三条正文。", category="法定主动公开内容/政策解读", interprets=f"{DEPT_USCC}/2026-00001"
            ),
            "content/d1/d.md": _record(
                4,
                "只列目录的正文。",
                publicity="依申请公开",
                withhold_reason="《中华人民共和国政府信息公开条例》第十六条",
            ),
            "content/d2/department.yaml": DEPARTMENT_YAML.replace("测试局", "另一局").replace(DEPT_USCC, OTHER_USCC),
            "content/d2/x.md": _d2(1, "另一局的正文。", title="另一局的通知"),
            "content/d2/y.md": _d2(
                2, "另一局的第二条正文。", title="另一局的第二个通知", status="已废止", status_date="2026-11-10"
            ),
        }
    )


def _fronts_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The record files whose public front matter the selection reads from now on."""
    read: list[str] = []
    original = model.Record.public_front
    monkeypatch.setattr(model.Record, "public_front", lambda record: read.append(record.file) or original(record))
    return read


def _rows(site: Path, dept: str) -> Path:
    return site / selectcache.CACHE / f"{dept}.json"


def _built_as_clean(site: Path, tmp_path: Path) -> None:
    assert run_cli("build", "--site", site).code == 0
    assert _files(site / "build") == _clean_build(site, tmp_path / "clean")


def test_an_edit_build_reads_the_front_matter_of_the_changed_record_alone(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(make_site)
    assert run_cli("build", "--site", site).code == 0
    d2_file = _rows(site, "d2").stat()
    read = _fronts_read(monkeypatch)

    (site / "content/d1/c.md").write_text(
        _record(3, "第三条正文，已修改。", category="法定主动公开内容/政策解读", interprets=f"{DEPT_USCC}/2026-00001"),
        encoding="utf-8",
    )
    _built_as_clean(site, tmp_path)
    assert read == ["content/d1/c.md"]
    assert "第三条正文，已修改" in (site / "build/d1/2026-00003.html").read_text(encoding="utf-8")
    after = _rows(site, "d2").stat()  # d2's rows are the ones read: its file is not written again
    assert (after.st_ino, after.st_mtime_ns) == (d2_file.st_ino, d2_file.st_mtime_ns)

    read.clear()  # what the last build kept is taken whole: nothing is read at all
    _built_as_clean(site, tmp_path)
    assert read == []

    # a title changed by hand in a front matter: the new bytes are read, the old row is not taken
    b = site / "content/d2/y.md"
    b.write_text(b.read_text(encoding="utf-8").replace("另一局的第二个通知", "另一局的第二个决定"), encoding="utf-8")
    _built_as_clean(site, tmp_path)
    assert read == ["content/d2/y.md"]
    assert "另一局的第二个决定" in (site / "build/d2/2026-00002.html").read_text(encoding="utf-8")


def test_rows_of_records_no_longer_listed_are_let_go(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(make_site)
    assert run_cli("build", "--site", site).code == 0
    assert set(jsontext.loads(_rows(site, "d1").read_bytes())["rows"]) == {f"content/d1/{n}.md" for n in "abcd"}

    (site / "content/d1/b.md").write_text(
        _record(
            2,
            "第二条正文。",
            publicity="不予公开",
            review=None,
            withhold_reason="《中华人民共和国政府信息公开条例》第十四条",
        ),
        encoding="utf-8",
    )
    (site / "content/d1/d.md").unlink()
    shutil.rmtree(site / "content/d2/")
    read = _fronts_read(monkeypatch)
    _built_as_clean(site, tmp_path)
    assert read == []  # a, c: made from their rows
    assert set(jsontext.loads(_rows(site, "d1").read_bytes())["rows"]) == {"content/d1/a.md", "content/d1/c.md"}
    assert not _rows(site, "d2").exists()

    # what cannot be removed from the cache's folder (a folder named like a department's file) stays there
    (site / selectcache.CACHE / "d9.json").mkdir()
    (site / "content/d1/a.md").write_text(_record(1, "第一条正文，已修改。"), encoding="utf-8")
    _built_as_clean(site, tmp_path)


@pytest.mark.parametrize(
    "damage",
    ["garbage", "another release", "rows of another shape", "a date that is none", "a row cut short"],
)
def test_a_damaged_selection_cache_is_made_anew(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    site = _site(make_site)
    assert run_cli("build", "--site", site).code == 0
    path = _rows(site, "d1")
    data = jsontext.loads(path.read_bytes())
    rows = data["rows"]
    a = rows["content/d1/a.md"]
    if damage == "garbage":
        path.write_bytes(b'{"product": ')
    else:
        if damage == "another release":
            data["product"] = "another"
        elif damage == "rows of another shape":
            rows["content/d1/a.md"] = a[:2]
            rows["content/d1/b.md"] = "row"
        elif damage == "a date that is none":
            a[2][3] = "2026-13-45"  # written
        else:
            a[2] = a[2][:-1]
        path.write_bytes(jsontext.dumps(data))
    read = _fronts_read(monkeypatch)
    _built_as_clean(site, tmp_path)
    assert "content/d1/a.md" in read and not any(file.startswith("content/d2/") for file in read)
    read.clear()
    _built_as_clean(site, tmp_path)  # what the build made anew was kept again
    assert read == []
