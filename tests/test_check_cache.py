"""The check cache (.cache/check): a warm `check` gives exactly what a cold one gives — the same
findings in the same order, with the same lines, messages, fingerprints and excerpts — while
parsing, scanning and reading attachments only for files that changed. What looks at other
files or at the date (duplicate 索引号, link targets, sign-offs) is looked at every time."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import DEPARTMENT_YAML, SITE_YAML, copy_demo, record_text, run_cli
from generator import checkcache, checking, load, markdown, pipeline, recordwork, secrecy, workers
from generator.inspection import typos
from generator.config import load_config
from office_files import docx_bytes

MakeSite = Callable[..., Path]
QUOTE = "第七条 网站不得带有领导批示内容。"


@pytest.fixture(autouse=True, params=["read", "vouched"])
def vouching(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test twice: with every file read by every check, and with files vouched for by their
    status as soon as a check has read them once (SETTLED_NS: 11 days, or none) — that status read
    in a child that walks the folders while the check reads its cache, as a city's check does
    (checking.WALK_APART_FROM)."""
    monkeypatch.setattr(checkcache, "SETTLED_NS", 0 if request.param == "vouched" else 10**15)
    if request.param == "vouched":
        monkeypatch.setattr(checking, "WALK_APART_FROM", 0)
    return str(request.param)


def check(site: Path, *args: str) -> tuple[int, str]:
    result = run_cli("check", "--site", site, "--format", "json", *args)
    assert "Traceback" not in result.err, result.err
    return result.code, result.out


def rules(out: str) -> list[tuple[str, str]]:
    return [(f["rule"], f["file"]) for f in json.loads(out)]


def cold(site: Path, *args: str) -> tuple[int, str]:
    """A check without the cache (deleted first), which leaves a fresh one behind."""
    shutil.rmtree(site / checkcache.CACHE, ignore_errors=True)
    return check(site, *args)


def shards(site: Path) -> list[Path]:
    return sorted((site / checkcache.CACHE).glob("*.json"))


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """After calling it, parsing front matter, scanning a body, looking for secrecy candidates or
    checking the front matter's secrecy rules fails."""

    def forbid() -> None:
        def fail(*_: Any, **__: Any) -> Any:
            raise AssertionError("parsed again although the file did not change")

        monkeypatch.setattr(load, "_parse_record", fail)  # a record file (annual reports are not cached)
        monkeypatch.setattr(markdown, "scan", fail)
        monkeypatch.setattr(secrecy, "_content_candidates", fail)
        monkeypatch.setattr(secrecy, "own_findings", fail)

    return forbid


def test_demo_cold_warm_and_deleted_are_identical(tmp_path: Path, no_parsing: Callable[[], None]) -> None:
    site = copy_demo(tmp_path / "demo")
    first = cold(site)
    assert shards(site), "a cold check leaves the cache behind"
    signoffs = run_cli("check", "--site", site, "--list-signoffs", "--format", "json").out
    assert check(site) == first
    shutil.rmtree(site / checkcache.CACHE)  # safe to delete
    assert check(site) == first
    no_parsing()  # from here on, every record comes from the cache
    assert check(site) == first
    assert run_cli("check", "--site", site, "--list-signoffs", "--format", "json").out == signoffs
    written = {p.name: p.read_bytes() for p in shards(site)}
    assert check(site) == first
    assert {p.name: p.read_bytes() for p in shards(site)} == written, "a warm check with nothing changed writes nothing"


def test_demo_text_report_identical(tmp_path: Path) -> None:
    site = copy_demo(tmp_path / "demo")
    first = run_cli("check", "--site", site)
    again = run_cli("check", "--site", site)
    assert (again.code, again.out, again.err) == (first.code, first.out, first.err)


def sample_files(fingerprint: str = "0000000000000000", signed_on: str = "2026-11-20") -> dict[str, str | bytes]:
    """Two records sharing one 索引号, a link to a record that does not exist, a marking a
    sign-off accepts, an attachment hiding a sentence."""
    signoff = (
        f"[{{rule: SEC007, fingerprint: {fingerprint}, reviewers: [王芳, 赵刚], date: {signed_on}, "
        "reason: 条文引用该词，不是批示内容}]"
    )
    return {
        "content/d1/a.md": record_text("见[另一份通知](missing.md)。"),
        "content/d1/b.md": record_text("另一份正文。", title="关于另一项工作的通知"),  # the same 索引号 as a.md
        "content/d1/c.md": record_text(QUOTE, index_no="11530400MB0000001N/2026-00003", signoffs=signoff),
        "content/d1/d.md": record_text("见附件。", index_no="11530400MB0000001N/2026-00004", attachments="[说明.docx]"),
        "content/d1/d.files/说明.docx": docx_bytes("公开的说明", hidden="隐藏的一句"),
    }


@pytest.fixture
def sample(make_site: MakeSite) -> Path:
    site = make_site(sample_files())
    (quoted,) = [f for f in json.loads(cold(site)[1]) if f["rule"] == "SEC007"]
    return make_site(sample_files(quoted["fingerprint"]))


def test_a_build_leaves_the_check_cache_warm(tmp_path: Path, no_parsing: Callable[[], None]) -> None:
    """A build keeps what the pages need of each body in the check cache, beside what the check
    keeps: the next check (and build) parses no record file again."""
    site = copy_demo(tmp_path / "demo")
    first = cold(site)
    assert run_cli("build", "--site", site).code == 0
    no_parsing()
    assert check(site) == first


def test_made_site_cold_warm_and_deleted_are_identical(sample: Path, no_parsing: Callable[[], None]) -> None:
    first = cold(sample)
    found = rules(first[1])
    assert ("FMT003", "content/d1/b.md") in found  # duplicate 索引号
    assert ("FMT007", "content/d1/a.md") in found  # link to a missing record
    assert ("SEC014", "content/d1/d.md") in found  # hidden text in the attachment
    assert ("SEC007", "content/d1/c.md") not in found  # accepted by its sign-off
    assert first[0] == 1
    no_parsing()
    assert check(sample) == first
    assert check(sample) == first
    shutil.rmtree(sample / checkcache.CACHE)
    assert shards(sample) == []


def test_made_site_after_deleting_the_cache(sample: Path) -> None:
    first = cold(sample)
    assert check(sample) == first
    shutil.rmtree(sample / ".cache")
    assert check(sample) == first


def test_the_date_is_looked_at_every_time(sample: Path, no_parsing: Callable[[], None]) -> None:
    cold(sample)
    # the sign-off dates from after this "today": it no longer counts, and the marking is back
    earlier = check(sample, "--today", "2026-11-19")
    assert ("SEC007", "content/d1/c.md") in rules(earlier[1])
    assert earlier == cold(sample, "--today", "2026-11-19")
    no_parsing()
    assert check(sample, "--today", "2026-11-19") == earlier


def test_cross_file_changes_without_editing_the_record(sample: Path) -> None:
    before = cold(sample)
    assert ("FMT007", "content/d1/a.md") in rules(before[1])
    (sample / "content/d1/missing.md").write_text(
        record_text("正文。", index_no="11530400MB0000001N/2026-00005"), encoding="utf-8"
    )
    (sample / "content/d1/b.md").unlink()
    shutil.rmtree(sample / "content/d1/d.files")
    warm = check(sample)
    found = rules(warm[1])
    assert ("FMT007", "content/d1/a.md") not in found
    assert ("FMT003", "content/d1/b.md") not in found
    assert ("FMT007", "content/d1/d.md") in found and ("SEC014", "content/d1/d.md") not in found
    assert warm == cold(sample)


def test_a_build_writes_each_changed_part_of_the_cache_once(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build saves the check cache after its check and again after finding what the pages need
    of the bodies: the second save writes only what the first had not — nothing, when the check
    found it all."""
    cold(sample)
    record = sample / "content/d1/a.md"
    record.write_text(record_text("正文已修改。"), encoding="utf-8")
    written: list[str] = []
    replace = Path.replace
    monkeypatch.setattr(
        Path, "replace", lambda self, target: written.append(Path(target).name) or replace(self, target)
    )
    checked = pipeline.check(load_config(sample)[0], dt.date(2026, 5, 1), 1)
    assert f"{checkcache.digest_of(record.read_bytes())[:2]}.json" in written  # the edited record's part
    assert len(written) == len(set(written))
    first = list(written)
    pipeline.body_facts(checked, 1)
    checked.cache.save()
    assert written == first
    assert check(sample) == cold(sample)


def held_in_shards(site: Path) -> set[str]:
    """The hashes the check cache's shards hold, as written on disk."""
    return {digest for path in shards(site) for digest in json.loads(path.read_bytes().partition(b"\n")[2])}


def test_an_edit_keeps_the_other_entries_of_the_shard_it_lands_in(sample: Path) -> None:
    """Saving writes only the shards that changed, each with all it holds: the edited record's new
    entry lands in a shard with another record's, and that one stays (else its record would be
    parsed again by the next check)."""
    cold(sample)
    before = held_in_shards(sample)
    record = sample / "content/d1/a.md"
    edited = checkcache.digest_of(record.read_bytes())
    other = next(d for d in sorted(before) if d != edited)
    text = next(
        t for n in range(10_000) if checkcache.digest_of((t := record_text(f"正文第{n}稿。")).encode())[:2] == other[:2]
    )
    record.write_text(text, encoding="utf-8")
    check(sample)
    after = held_in_shards(sample)
    assert checkcache.digest_of(text.encode()) in after
    assert before - {edited} <= after


def test_an_edited_record_is_checked_again(sample: Path) -> None:
    cold(sample)
    record = sample / "content/d1/a.md"
    record.write_text(record_text("见[另一份通知](missing.md)。联系电话 13812345678。"), encoding="utf-8")
    warm = check(sample)
    assert ("SEC008", "content/d1/a.md") in rules(warm[1])  # a new finding
    assert warm == cold(sample)
    record.write_text(record_text("正文。"), encoding="utf-8")
    warm = check(sample)
    assert ("FMT007", "content/d1/a.md") not in rules(warm[1])  # one gone
    assert ("SEC008", "content/d1/a.md") not in rules(warm[1])
    assert warm == cold(sample)
    # a replaced attachment is read again
    (sample / "content/d1/d.files/说明.docx").write_bytes(docx_bytes("公开的说明"))
    warm = check(sample)
    assert ("SEC014", "content/d1/d.md") not in rules(warm[1])
    assert warm == cold(sample)


def test_new_sensitive_terms_reach_cached_records(sample: Path) -> None:
    first = cold(sample)
    assert "SEC009" not in {rule for rule, _ in rules(first[1])}
    (sample / "site.yaml").write_text(SITE_YAML + "sensitive_terms: [另一份正文]\n", encoding="utf-8")
    warm = check(sample)
    assert ("SEC009", "content/d1/b.md") in rules(warm[1])
    assert warm == cold(sample)


def test_settings_and_department_names_reach_cached_front_matter_findings(sample: Path) -> None:
    """A withhold reason citing a basis site.yaml adds later is accepted without the record being
    edited (SEC002, cached with the record); a renamed department is compared with every record's
    publisher again (SEC013, not cached)."""
    reason = "涉及本局保密工作规定第三条所列事项"
    (sample / "content/d1/e.md").write_text(
        record_text(index_no="11530400MB0000001N/2026-00005", publicity="依申请公开", withhold_reason=reason),
        encoding="utf-8",
    )
    first = cold(sample)
    assert ("SEC002", "content/d1/e.md") in rules(first[1])
    assert "SEC013" not in {rule for rule, _ in rules(first[1])}
    (sample / "site.yaml").write_text(SITE_YAML + "withhold_bases: [本局保密工作规定]\n", encoding="utf-8")
    warm = check(sample)
    assert ("SEC002", "content/d1/e.md") not in rules(warm[1])
    assert warm == cold(sample)
    dept = sample / "content/d1/department.yaml"
    dept.write_text(dept.read_text(encoding="utf-8").replace("name: 测试局", "name: 测试市测试局"), encoding="utf-8")
    warm = check(sample)
    assert ("SEC013", "content/d1/e.md") in rules(warm[1])
    assert warm == cold(sample)


def test_a_corrupt_cache_is_ignored(sample: Path) -> None:
    first = cold(sample)
    for shard in shards(sample):
        shard.write_bytes(b"\x00\xff garbage \x89PNG" * 50)
    assert check(sample) == first
    assert check(sample) == first  # rewritten, then used


def rewrite(shard: Path, entries: dict[str, Any]) -> None:
    """A shard of this release holding `entries`, with a matching checksum."""
    head = json.loads(shard.read_bytes().partition(b"\n")[0])
    body = json.dumps(entries, ensure_ascii=False).encode("utf-8")
    head["sha256"] = hashlib.sha256(body).hexdigest()
    shard.write_bytes(json.dumps(head).encode("ascii") + b"\n" + body)


def test_a_damaged_entry_is_ignored(sample: Path) -> None:
    """Well-formed shards of this release whose entries are nonsense: each is computed again."""
    first = cold(sample)
    damages = [
        {"load": 5},
        {"load": [], "body": 1, "front": "{{"},
        {"load": [], "body": 1, "front": "[[], []]"},
        {"load": [["NOPE", 1, "", "", "", "", "", 1]], "body": 1},
        {"load": [], "body": "x"},
        {"load": [], "body": 1, "front": '[{}, [[["a"], "x"]]]'},
        {"load": [], "body": 1, "front": "[{}]"},
        # a date's place that is not one: no such key, not a date's text, no place at all, no places
        {"load": [], "body": 1, "front": '[{"a": "x"}, [["b"]]]', "lines": "[]"},
        {"load": [], "body": 1, "front": '[{"a": "x"}, [["a"]]]', "lines": "[]"},
        {"load": [], "body": 1, "front": '[{"a": ["2026-01-01"]}, [[]]]', "lines": "[]"},
        {"load": [], "body": 1, "front": '[{"a": "2026-01-01"}, [["a", 0]]]', "lines": "[]"},
        {"load": [], "body": 1, "front": '{"a": "2026-01-01"}', "lines": "[]"},
        {"load": [], "body": 1, "front": '[{"a": "2026-01-01"}, 7]', "lines": "[]"},
    ]
    for i, shard in enumerate(shards(sample)):
        entries = json.loads(shard.read_bytes().partition(b"\n")[2])
        rewrite(shard, {digest: damages[(i + n) % len(damages)] for n, digest in enumerate(entries)})
    assert check(sample) == first
    assert check(sample) == first
    for shard in shards(sample):  # and the later parts of an entry
        entries = json.loads(shard.read_bytes().partition(b"\n")[2])
        for entry in entries.values():
            entry.update(scan=7, own=[["x"]], sec=[1, 2]) if "front" in entry else None
        rewrite(shard, entries)
    assert check(sample) == first


def test_damaged_parts_of_files_the_workers_read_again_are_computed_again(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that reads a file of known bytes takes what the cache holds of it only when every part
    is well formed: nonsense where the secrecy candidates belong is found again, never a crash."""
    first = cold(sample)
    for shard in shards(sample):
        entries = json.loads(shard.read_bytes().partition(b"\n")[2])
        for entry in entries.values():
            entry.update(sec={"x": 1}, meta=[["x"]]) if "front" in entry else None
        rewrite(shard, entries)
    for path in (sample / "content").rglob("*.md"):
        path.write_bytes(path.read_bytes())  # the same bytes, a new status: each is sent to a worker
    monkeypatch.setattr(recordwork, "WORTH_SPREADING", 1)
    monkeypatch.setattr(workers, "MIN_PER_WORKER", 1)
    assert check(sample, "--jobs", "2") == first


def test_a_damaged_lines_table_stops_the_check_with_what_to_do(sample: Path) -> None:
    """A record's lines table is read only when one of its lines is looked up, long after the
    entry was taken: nonsense there (in a shard whose checksum matches) is a clear error that
    says to delete the cache, never a finding on a wrong line; without the cache all is well."""
    first = cold(sample)
    for shard in shards(sample):
        entries = json.loads(shard.read_bytes().partition(b"\n")[2])
        for entry in entries.values():
            if "lines" in entry:
                entry["lines"] = '[[["index_no"], "第二行"]]'
        rewrite(shard, entries)
    result = run_cli("check", "--site", sample)
    assert result.code == 2 and "Traceback" not in result.err
    assert ".cache/check" in result.err and "删除" in result.err
    shutil.rmtree(sample / checkcache.CACHE)
    assert check(sample) == first


def test_a_changed_byte_is_noticed(sample: Path) -> None:
    """A shard whose entries no longer match its checksum (a flipped bit inside a string) is ignored."""
    first = cold(sample)
    for shard in shards(sample):
        data = shard.read_bytes()
        shard.write_bytes(data.replace("测试局".encode(), "测试同".encode()).replace(b"2026-", b"2025-"))
    assert check(sample) == first


def test_another_release_does_not_read_the_cache(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = cold(sample)
    monkeypatch.setattr(checkcache, "version", lambda: "another release")
    parsed: list[str] = []
    original = load.parse_front_matter
    monkeypatch.setattr(load, "parse_front_matter", lambda *a: parsed.append(a[1]) or original(*a))
    assert check(sample) == first
    assert len(parsed) == 4  # every record parsed again


@pytest.mark.parametrize(
    "front",
    [
        "index_no: 11530400MB0000001N/2026-00009\nwhen: 2026-11-02 10:30:00+08:00\nsome: !!binary aGk=\n"
        "pairs: !!pairs [{a: 1}, {a: 2}]\nset: !!set {x}\n1: one\n2026-01-01: new year\nnan: .nan\n"
        'empty: ~\n"\\0": nul\nnested: {"\\0": [date, 2020-01-01]}',
        "a: &x [1, 2]\nb: *x",  # an alias: not cached, parsed every time
        "nan: .nan\ninf: -.inf\nlist: [.inf, 1.5]",  # what JSON has no number for (orjson would write null)
        # what the fast JSON reader refuses, read by json instead: past 64 bits, a lone surrogate
        'big: 123456789012345678901234567890\nlone: "\\ud800"\nreview: {approved_on: 2026-01-02}',
        # the common case, nested: tags inside lists and mappings, keys that look like the lines table
        "dates: [2020-01-01, {on: 2021-02-03}]\nreview: {drafter: 甲, approved_on: 2026-01-02, "
        "steps: [{on: 2026-01-03}]}\n'[\"review\"],': 1\n'x\"],7]': 2\n3: [2026-01-04]",
        # dates inside what is tagged (a pair, a set, a mapping keyed by a date) beside one placed,
        # and a text that reads as a date without being one
        "pairs: !!pairs [{a: 2020-01-01}]\nset: !!set {2020-01-02}\n2026-01-03: [2026-01-04]\n"
        "plain: 2026-01-05\nquoted: '2026-01-06'",
        "review: {approved_on: 2026-01-02}\nwhen: [{on: 2026-01-03, 2026-01-04: x}]",
    ],
)
def test_yaml_values_round_trip(make_site: MakeSite, front: str) -> None:
    site = make_site({"content/d1/r.md": f"---\n{front}\n---\n正文。\n"})
    first = cold(site)
    assert check(site) == first
    config = load_config(site)[0]
    fresh = load.load_site(config)[0].records[0]
    cache = checkcache.CheckCache(site, config)
    cached = load.load_site(config, cache)[0].records[0]
    # a finding's line, looked up in the cached table's text before the table is ever decoded
    for path in [*fresh.parsed.lines, ("review", "no such key"), ("no such key",), ("review", "steps", 0, "x")]:
        assert cached.parsed.line_of(*path, default=0) == fresh.parsed.line_of(*path, default=0), path
    assert repr(cached.meta) == repr(fresh.meta) and cached.parsed.lines == fresh.parsed.lines
    assert (cached.body, cached.body_line) == (fresh.body, fresh.body_line)


def test_same_bytes_in_two_files_and_files_that_do_not_load(make_site: MakeSite) -> None:
    """One entry serves every file with those bytes (a copy, a renamed department) with its own
    file and department; a file that does not load keeps its findings exactly (FMT001 of a file
    that is not UTF-8 names no department)."""
    copy = record_text("联系电话 13812345678。")
    site = make_site(
        {
            "content/d1/a.md": copy,
            "content/d2/department.yaml": DEPARTMENT_YAML,
            "content/d2/a.md": copy,
            "content/d1/latin1.md": "---\ntitle: caf\xe9\n---\n".encode("latin-1"),
            "content/d1/bare.md": "没有前置元数据。\n",
            "content/d1/empty.md": "---\n---\n正文。\n",
            "content/d1/bad.md": "---\ntitle: [未闭合\n---\n",
        }
    )
    first = cold(site)
    assert [f.get("dept", "") for f in json.loads(first[1]) if f["file"] == "content/d1/latin1.md"] == [""]
    assert ("SEC008", "content/d2/a.md") in rules(first[1]) and ("SEC008", "content/d1/a.md") in rules(first[1])
    assert check(site) == first
    shutil.move(site / "content/d2", site / "content/d3")  # a renamed department: nothing parsed again
    assert check(site) == cold(site)


def record_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The record files a check reads from here on (by their path relative to the site)."""
    reads: list[str] = []
    original = load.read_with_stat

    def counting(path: Path, rel: str, *args: Any) -> Any:
        if rel.endswith(".md"):
            reads.append(rel)
        return original(path, rel, *args)

    monkeypatch.setattr(load, "read_with_stat", counting)
    return reads


def test_a_settled_file_is_not_read_again(sample: Path, vouching: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A record unchanged since well before a check read it is loaded from the cache by its status
    alone; a file written within SETTLED_NS before the check is read every time."""
    first = cold(sample)
    reads = record_reads(monkeypatch)
    assert check(sample) == first
    assert reads == (
        [] if vouching == "vouched" else ["content/d1/a.md", "content/d1/b.md", "content/d1/c.md", "content/d1/d.md"]
    )


def test_a_vouched_file_edited_in_place_is_read(sample: Path, vouching: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit that keeps the size (and even the modification time) changes the file's change time."""
    cold(sample)
    check(sample)
    record = sample / "content/d1/b.md"
    before = record.stat()
    time.sleep(0.05)  # beyond the file system clock's tick
    text = record.read_text(encoding="utf-8").replace("另一份正文。", "电话 13812345678")
    assert len(text.encode()) == before.st_size
    record.write_text(text, encoding="utf-8")
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))
    reads = record_reads(monkeypatch)
    warm = check(sample)
    assert reads == ["content/d1/b.md"] if vouching == "vouched" else len(reads) == 4
    assert ("SEC008", "content/d1/b.md") in rules(warm[1])
    assert warm == cold(sample)


def test_a_body_changed_after_the_check_is_never_used(sample: Path, vouching: str) -> None:
    """A record loaded without reading its file reads its body when asked, from the bytes the
    check passed or not at all: a build stops (exit 2) rather than publish what was not checked."""
    cold(sample)
    checked = pipeline.check(load_config(sample)[0], dt.date(2026, 11, 30))
    (record,) = [r for r in checked.site.records if r.file == "content/d1/b.md"]
    assert (record.body_text is None) == (vouching == "vouched")
    path = sample / record.file
    path.write_text(path.read_text(encoding="utf-8").replace("另一份正文。", "联系电话：13812345678"), encoding="utf-8")
    if vouching == "vouched":
        with pytest.raises(load.RecordChanged, match="content/d1/b.md"):
            record.body
    else:
        assert record.body == "另一份正文。\n"  # read with the front matter, before the edit


def test_a_file_written_while_a_check_runs_is_passed_only_as_it_was(
    sample: Path, vouching: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm check reads each file's status once, before it spreads the new files over the cores.
    A file written after that is checked as its status showed it, and its new body is never used:
    what a build publishes is what the check passed, or the build stops."""
    cold(sample)
    check(sample)
    record = sample / "content/d1/b.md"
    loading = load.load_site

    def written_first(*args: Any, **kwargs: Any) -> Any:
        record.write_text(
            record.read_text(encoding="utf-8").replace("另一份正文。", "联系电话：13812345678"), encoding="utf-8"
        )
        return loading(*args, **kwargs)

    monkeypatch.setattr(load, "load_site", written_first)
    checked = pipeline.check(load_config(sample)[0], dt.date(2026, 11, 30))
    (loaded,) = [r for r in checked.site.records if r.file == "content/d1/b.md"]
    found = {(f.rule, f.file) for f in checked.findings.items}
    if vouching == "vouched":  # passed as it was: its new bytes are not what was checked
        assert ("SEC008", "content/d1/b.md") not in found
        with pytest.raises(load.RecordChanged, match="content/d1/b.md"):
            loaded.body
    else:  # not vouched for by its status: read, as written now
        assert ("SEC008", "content/d1/b.md") in found
        assert "13812345678" in loaded.body


def test_files_the_workers_read_are_taken_as_they_read_them(
    sample: Path, vouching: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold check spreads the files it has not seen over the cores (generator.recordwork); the
    loader then takes each file as the worker read it: the findings one process finds, no file
    read a second time, and a body asked for later only from the bytes the worker checked."""
    one = cold(sample)  # four records: done in one process
    shutil.rmtree(sample / checkcache.CACHE)
    monkeypatch.setattr(recordwork, "WORTH_SPREADING", 1)
    monkeypatch.setattr(workers, "MIN_PER_WORKER", 1)
    reads = record_reads(monkeypatch)  # counts this process's reads only: the workers are forked
    assert check(sample, "--jobs", "2") == one
    assert reads == []
    shutil.rmtree(sample / checkcache.CACHE)
    checked = pipeline.check(load_config(sample)[0], dt.date(2026, 11, 30), 2)
    (record,) = [r for r in checked.site.records if r.file == "content/d1/b.md"]
    assert record.body_text is None
    assert record.read_body() == "另一份正文。\n" and record.body_text is None  # read, not kept (a worker's)
    path = sample / record.file
    path.write_text(path.read_text(encoding="utf-8").replace("另一份正文。", "联系电话：13812345678"), encoding="utf-8")
    with pytest.raises(load.RecordChanged, match="content/d1/b.md"):
        record.body


def test_a_fresh_checkout_with_the_caches_restored_measures_no_near_miss_again(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CI checks the repository out afresh and restores .cache/: every file's status is new, so each
    file is sent to a worker again, but a file of known bytes takes its near misses (INS004) from the
    memo and, reading no attachment, everything else from the check cache: the workers measure none
    and decode only the record with an attachment, and the findings are those of a cold check."""
    (sample / "content/d1/e.md").write_text(
        record_text("根据《中华人民共合国政府信息公开条例》。", index_no="11530400MB0000001N/2026-00005"),
        encoding="utf-8",
    )
    monkeypatch.setattr(recordwork, "WORTH_SPREADING", 1)
    monkeypatch.setattr(workers, "MIN_PER_WORKER", 1)
    first = cold(sample, "--jobs", "2")
    assert ("INS004", "content/d1/e.md") in rules(first[1])
    checkout = tmp_path / "checkout"
    shutil.copytree(sample, checkout)  # new inodes and change times; the caches come along

    def fail(*_: Any, **__: Any) -> Any:
        raise AssertionError("near misses measured again in a file of known bytes")

    monkeypatch.setattr(typos, "hits_in", fail)  # the workers are forked: they have it too
    decoded = tmp_path / "decoded.txt"  # a file: the workers' calls are noted in it too
    loaded = checkcache.CheckCache.loaded

    def noting(self: checkcache.CheckCache, digest: str, file: str, *args: Any) -> Any:
        with decoded.open("a", encoding="utf-8") as out:
            out.write(file + "\n")
        return loaded(self, digest, file, *args)

    monkeypatch.setattr(checkcache.CheckCache, "loaded", noting)
    assert check(checkout, "--jobs", "2") == first
    assert decoded.read_text(encoding="utf-8").split() == ["content/d1/d.md"]  # its attachment is read again


def test_a_file_written_just_before_a_check_is_read_by_the_next(
    sample: Path, vouching: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The racy case: a file written within SETTLED_NS before a check began could be written again
    within the same tick of the file system's clock, so its status vouches for nothing."""
    monkeypatch.setattr(checkcache, "SETTLED_NS", 2_000_000_000)
    changed = [p.stat().st_ctime_ns for p in (sample / "content").rglob("*.md")]
    # every file within SETTLED_NS of the first check (however long writing them took on a busy machine)
    oldest, newest = min(changed), max(changed)
    monkeypatch.setattr(checkcache, "CLOCK", lambda: oldest + 1_999_000_000)  # when the checks begin
    first = cold(sample)
    for began, read in ((oldest + 1_999_000_000, 4), (newest + 2_001_000_000, 4), (newest + 2_001_000_000, 0)):
        monkeypatch.setattr(checkcache, "CLOCK", lambda began=began: began)
        reads = record_reads(monkeypatch)
        assert check(sample) == first
        assert len(reads) == read, (began - newest, reads)


def test_without_change_times_every_file_is_read(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the file system gives no change time (Windows: st_ctime is the creation time), a status
    cannot show every write, so no file is vouched for by it."""
    monkeypatch.setattr(checkcache, "CHANGE_TIMES", False)
    first = cold(sample)
    reads = record_reads(monkeypatch)
    assert check(sample) == first
    assert len(reads) == 4
