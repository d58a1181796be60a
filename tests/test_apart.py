"""The check of a build runs in a child process, whose memory goes back to the system when it ends
(generator/apart.py): what it gives, and how it fails, are as if it had run in the build's process."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import json
import os
import shutil
import signal
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import DEPT_USCC, record_text, remove_cache, run_cli, tree_hash
from generator import apart, checking, checkcache, heap, load, markdown, pipeline, publicity, recordwork, workers
from generator.config import load_config
from generator.errors import DisclosureError

MakeSite = Callable[..., Path]
TODAY = dt.date(2026, 11, 21)


def test_the_result_comes_back_from_the_child() -> None:
    pid, text = apart.in_child(lambda: (os.getpid(), "政府信息"))
    assert pid != os.getpid() and text == "政府信息"


def test_an_error_in_the_child_is_raised_again_with_its_traceback() -> None:
    def fails() -> None:
        raise DisclosureError("记录文件无法读取")

    with pytest.raises(DisclosureError, match="记录文件无法读取") as raised:
        apart.in_child(fails)
    assert isinstance(raised.value.__cause__, apart.ChildTraceback)
    assert "in fails" in str(raised.value.__cause__)

    def fails_oddly() -> None:
        raise OSError(28, "No space left on device", "/tmp/x")

    with pytest.raises(OSError) as oserror:  # the CLI says a full disk in Chinese: the error is the same
        apart.in_child(fails_oddly)
    assert oserror.value.errno == 28 and oserror.value.filename == "/tmp/x"


def test_a_child_that_dies_is_a_clear_error() -> None:
    with pytest.raises(apart.ChildDied, match="SIGKILL.*内存不足"):
        apart.in_child(lambda: os.kill(os.getpid(), signal.SIGKILL))


def test_a_build_checks_in_a_child_and_publishes_what_the_check_passed(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = record_text("第二条正文。", index_no=f"{DEPT_USCC}/2026-00002", title="关于第二项工作的意见（征求意见稿）")
    site = make_site({"content/d1/a.md": record_text("第一条正文。"), "content/d1/b.md": second})
    original = checking.check

    def check(*args: object, **kwargs: object) -> checking.CheckResult:
        (site / "check.pid").write_text(str(os.getpid()))
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "check", check)
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    assert int((site / "check.pid").read_text()) != os.getpid()
    assert "第二条正文。" in (site / "build/d1/2026-00002.html").read_text(encoding="utf-8")
    assert "SEC017" in result.err and "content/d1/b.md" in result.err  # a warning found by the child
    checked = run_cli("check", "--site", site)
    assert result.err.splitlines()[: len(checked.err.splitlines())] == checked.err.splitlines()


def test_a_build_that_renders_only_what_changed_checks_in_its_own_process(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full build checks in a child, whose memory goes back when it ends; a build with the previous
    output and its page cache renders little, and checks in its own process (no hand-back)."""
    site = make_site({"content/d1/a.md": record_text("第一条正文。")})
    original = checking.check
    checked_in: list[int] = []

    def check(*args: object, **kwargs: object) -> checking.CheckResult:
        (site / "check.pid").write_text(str(os.getpid()))
        return original(*args, **kwargs)  # type: ignore[arg-type]

    def build() -> int:
        result = run_cli("build", "--site", site)
        assert result.code == 0, result.err
        checked_in.append(int((site / "check.pid").read_text()))
        return checked_in[-1]

    monkeypatch.setattr(pipeline, "check", check)
    assert build() != os.getpid()  # the first build: no cache
    page = site / "build/d1/2026-00001.html"
    (site / "content/d1/a.md").write_text(record_text("改过的正文。"), encoding="utf-8")
    assert build() == os.getpid()
    assert "改过的正文。" in page.read_text(encoding="utf-8")
    shutil.rmtree(site / "build")  # the cache without the output it describes: a full build
    assert build() != os.getpid() and page.is_file()
    remove_cache(site)
    assert build() != os.getpid() and page.is_file()


def test_work_beside_runs_in_a_child_while_this_process_goes_on() -> None:
    beside = apart.Beside(lambda: (os.getpid(), "政府信息"))
    pid, text = beside.result()
    assert pid != os.getpid() and text == "政府信息"
    beside.stop()  # its result taken: nothing to stop


def test_a_child_beside_that_is_no_longer_waited_for_is_ended() -> None:
    beside = apart.Beside(lambda: time.sleep(60))
    pid = beside.pid
    assert pid is not None
    started = time.monotonic()
    beside.stop()
    assert time.monotonic() - started < 30
    with pytest.raises(ChildProcessError):  # ended and reaped
        os.waitpid(pid, os.WNOHANG)
    with pytest.raises(apart.ChildDied):
        beside.result()


def _late(body: str = "根据《中华人民共合国政府信息公开条例》迟发的正文。") -> str:
    return record_text(body, index_no=f"{DEPT_USCC}/2026-00003", written="2026-06-01", published="2026-11-20")


def _city_in_small(make_site: MakeSite, monkeypatch: pytest.MonkeyPatch, late: str = _late()) -> Path:
    """A site whose check runs staleness and inspection beside the other stages, as a city's does
    (here from 0 records on): a record held out as scheduled (STL016), one published late (STL001)
    with a typo in a name (INS004)."""
    monkeypatch.setattr(checking, "BESIDE_FROM", 0)
    review = "{drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: 2026-11-20}"
    later = record_text(
        "下周才发布的正文 QZXLATER",
        index_no=f"{DEPT_USCC}/2026-00002",
        title="下周发布的通知",
        written="2026-11-20",
        published="2026-11-25",
        review=review,
    )
    return make_site({"content/d1/a.md": record_text(), "content/d1/b.md": later, "content/d1/c.md": late})


def _seen(checked: checking.CheckResult) -> tuple[list[tuple[str, str, int, str, str]], list[str]]:
    findings = [(f.rule, f.file, f.line, f.severity, f.message) for f in checked.findings]
    return findings, [record.file for record in checked.site.records if record.scheduled]


def test_a_citys_check_runs_staleness_and_inspection_beside_with_the_same_findings(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _city_in_small(make_site, monkeypatch)
    config = load_config(site)[0]
    ran_in: list[int] = []
    original = checking._later_stages

    def later_stages(*args: Any) -> Any:
        (site / "later.pid").write_text(str(os.getpid()))
        return original(*args)

    monkeypatch.setattr(checking, "_later_stages", later_stages)
    alone = _seen(checking.check(config, TODAY, 1))  # one process: one stage after another
    ran_in.append(int((site / "later.pid").read_text()))
    beside = _seen(checking.check(config, TODAY, 2))
    ran_in.append(int((site / "later.pid").read_text()))
    assert ran_in[0] == os.getpid() and ran_in[1] != os.getpid()
    rules = [rule for rule, *_ in alone[0]]
    assert "STL016" in rules and "STL001" in rules and any(rule.startswith("INS") for rule in rules)
    assert alone[1] == ["content/d1/b.md"]
    assert beside == alone  # the same findings in the same order, the same record held out


def test_a_citys_edit_build_is_blocked_and_held_out_by_what_the_check_beside_found(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _city_in_small(make_site, monkeypatch, _late("迟发的正文。"))
    assert (
        run_cli("build", "--site", site, "--today", TODAY).code == 0
    )  # a full build: its check in a child, one stage after another
    before = {p: p.read_bytes() for p in (site / "build").rglob("*") if p.is_file()}
    (site / "content/d1/c.md").write_text(_late(), encoding="utf-8")  # a typo, found by inspection
    blocked = run_cli("build", "--site", site, "--today", TODAY)  # checks in this process: beside
    assert blocked.code == 1 and "INS004" in blocked.err
    assert {p: p.read_bytes() for p in (site / "build").rglob("*") if p.is_file()} == before
    (site / "content/d1/c.md").write_text(_late("改过的正文。"), encoding="utf-8")
    result = run_cli("build", "--site", site, "--today", TODAY)
    assert result.code == 0, result.err
    assert "STL016" in result.err
    text = "".join(p.read_text("utf-8", errors="replace") for p in (site / "build").rglob("*") if p.is_file())
    assert "改过的正文。" in text
    assert "下周发布的通知" not in text and "QZXLATER" not in text


def test_after_site_yaml_changes_what_validation_finds_again_is_kept(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A changed site.yaml drops each record's cached validation (found under the old settings).
    The edit build then validates in its own process, not in the child beside it, so that what it
    finds again is saved: every record's entry holds it afterwards, and no later build's child
    finds it again and again."""
    site = _city_in_small(make_site, monkeypatch, _late("迟发的正文。"))
    assert run_cli("build", "--site", site, "--today", TODAY).code == 0
    yaml = site / "site.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "sensitive_terms: [测试专用词]\n", encoding="utf-8")
    result = run_cli("build", "--site", site, "--today", TODAY)  # an edit build: its check beside
    assert result.code == 0, result.err
    entries = {
        digest: entry
        for shard in (site / checkcache.CACHE).glob("*.json")
        for digest, entry in json.loads(shard.read_bytes().partition(b"\n")[2]).items()
    }
    loaded = [entry for entry in entries.values() if "front" in entry]
    assert len(loaded) == 3
    quiet = checkcache.QUIET_BITS["own"]
    assert all("own" in entry or entry.get(checkcache.QUIET, 0) & quiet for entry in loaded)


def _kill_the_child_beside(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check's child beside is killed as it begins its stages, as the system kills a process out of memory."""
    original, here = checking._later_stages, os.getpid()

    def dies_in_the_child(*args: Any) -> Any:
        if os.getpid() != here:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args)

    monkeypatch.setattr(checking, "_later_stages", dies_in_the_child)


def test_a_check_whose_child_beside_dies_runs_its_stages_itself(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _city_in_small(make_site, monkeypatch)
    config = load_config(site)[0]
    alone = _seen(checking.check(config, TODAY, 1))
    _kill_the_child_beside(monkeypatch)
    assert _seen(checking.check(config, TODAY, 2)) == alone


def test_an_error_in_the_stages_beside_is_raised_by_the_check(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _city_in_small(make_site, monkeypatch)

    def fails(*args: Any) -> Any:
        raise DisclosureError("节假日安排无法读取")

    monkeypatch.setattr(checking.staleness, "check", fails)
    with pytest.raises(DisclosureError, match="节假日安排无法读取") as raised:
        checking.check(load_config(site)[0], TODAY, 2)
    assert isinstance(raised.value.__cause__, apart.ChildTraceback)


def test_a_check_that_fails_here_ends_its_child_beside(make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _city_in_small(make_site, monkeypatch)

    def waits(*args: Any) -> Any:
        # written whole before it is there: the parent, seeing it, ends this child at once
        (site / "later.pid.tmp").write_text(str(os.getpid()))
        (site / "later.pid.tmp").replace(site / "later.pid")
        time.sleep(60)

    def fails(*args: Any) -> Any:
        for _ in range(100):  # the child has begun
            if (site / "later.pid").exists():
                break
            time.sleep(0.05)
        raise DisclosureError("校验中断")

    monkeypatch.setattr(checking, "_later_stages", waits)
    monkeypatch.setattr(checking.validate, "validate", fails)
    started = time.monotonic()
    with pytest.raises(DisclosureError, match="校验中断"):
        checking.check(load_config(site)[0], TODAY, 2)
    assert time.monotonic() - started < 30
    with pytest.raises(ChildProcessError):  # ended and reaped, not left to sleep on
        os.waitpid(int((site / "later.pid").read_text()), os.WNOHANG)


def test_a_child_beside_a_paused_collector_stays_paused_and_a_check_child_collects() -> None:
    """Work beside a check makes no cycles, and a collector walking what it makes took twice as long;
    a full build's check in a child collects what it makes, as the build's process would."""
    with heap.paused():
        assert apart.Beside(gc.isenabled).result() is False
        assert apart.in_child(gc.isenabled) is True


def test_a_citys_build_check_finds_the_facts_of_the_published_bodies_while_its_child_runs(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build's check finds what the pages need of each published body while staleness runs in its
    child, before the records held out as scheduled are known: those are then left out, as when
    found after. A check that blocks gives none."""
    site = _city_in_small(make_site, monkeypatch, _late("迟发的正文。"))
    config = load_config(site)[0]
    alone = checking.check(config, TODAY, 1, facts=True).facts
    beside = checking.check(config, TODAY, 2, facts=True).facts
    assert alone is not None and sorted(alone) == ["content/d1/a.md", "content/d1/c.md"]  # b.md: scheduled
    assert beside == alone
    (site / "content/d1/c.md").write_text(_late(), encoding="utf-8")  # a typo that blocks, found by the child
    assert checking.check(config, TODAY, 2, facts=True).facts is None


def _selection(publication: publicity.Publication) -> list[tuple[Any, ...]]:
    """Each published record as its pages are keyed: its listed form and what it is made from."""
    return [(r.index_no, r.full, publicity.listed_form(r), r.made_from) for r in publication.records]


def _checked_and_selected(config: Any, jobs: int) -> tuple[Any, list[tuple[Any, ...]] | None, bool]:
    """A build's check (pipeline._gather's) and what it selects: (findings and records held out,
    the selection, whether it was made while the child ran)."""

    def select(site: Any, facts: Any) -> publicity.Publication:
        return publicity.select(site, facts, {}, None)

    checked = checking.check(config, TODAY, jobs, facts=True, select=select)
    if checked.findings.blocking:
        return _seen(checked), None, checked.selected is not None
    assert checked.facts is not None
    publication = checked.selected or select(checked.site, checked.facts)
    return _seen(checked), _selection(publication), checked.selected is not None


def test_a_citys_edit_build_selects_while_its_child_validates_and_lints(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a build's selection to make, the child beside validates too, and the selection is made
    here meanwhile: the findings (validation's before the secrecy check's), their order, the records
    held out and what is published are those of one process doing one stage after another."""
    site = _city_in_small(make_site, monkeypatch, _late("迟发的正文。"))
    (site / "content/d1/d.md").write_text(  # FMT002 (an unknown key warns), by the child's validation
        record_text("第四条正文。", index_no=f"{DEPT_USCC}/2026-00004", remark="备注"), encoding="utf-8"
    )
    config = load_config(site)[0]
    alone = _checked_and_selected(config, 1)
    beside = _checked_and_selected(config, 2)
    assert alone[2] is False and beside[2] is True  # selected meanwhile only beside the child
    rules = [rule for rule, *_ in alone[0][0]]
    assert "FMT002" in rules and "STL016" in rules and "STL001" in rules
    assert alone[1] is not None and "下周发布的通知" not in str(alone[1])  # held out (STL016)
    assert beside[:2] == alone[:2]


def test_a_selection_made_beside_that_fails_on_a_record_validation_blocks_is_given_up(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The selection made while the child validates sees records that validation will block. One
    it cannot be made of (here: a category outside the taxonomy, FMT005) gives it up: the build is
    blocked by the finding, with no traceback, and the output stays as it was."""
    site = _city_in_small(make_site, monkeypatch, _late("迟发的正文。"))
    assert run_cli("build", "--site", site, "--today", TODAY).code == 0
    before = {p: p.read_bytes() for p in (site / "build").rglob("*") if p.is_file()}
    tried: list[int] = []
    original = publicity.select

    def select(site: Any, *args: Any) -> Any:
        tried.append(len(site.records))
        if any(record.category == "不存在/分类" for record in site.records):
            raise ValueError("no such category")
        return original(site, *args)

    monkeypatch.setattr(publicity, "select", select)
    unknown = record_text("第四条正文。", index_no=f"{DEPT_USCC}/2026-00004", category="不存在/分类")
    (site / "content/d1/d.md").write_text(unknown, encoding="utf-8")
    blocked = run_cli("build", "--site", site, "--today", TODAY)  # an edit build: its check beside
    assert tried == [4]  # tried while the child validated, once
    assert blocked.code == 1 and "Traceback" not in blocked.err
    assert "FMT005" in blocked.err and "content/d1/d.md" in blocked.err
    assert {p: p.read_bytes() for p in (site / "build").rglob("*") if p.is_file()} == before


def test_a_build_check_whose_child_beside_dies_validates_and_selects_itself(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _city_in_small(make_site, monkeypatch, _late("迟发的正文。"))
    config = load_config(site)[0]
    alone = _checked_and_selected(config, 1)
    _kill_the_child_beside(monkeypatch)
    assert _checked_and_selected(config, 2)[:2] == alone[:2]


def test_a_citys_edit_build_reads_a_body_only_when_new_and_keeps_its_facts(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A city's edit build asks the check cache for a body's facts only as the selection needs them
    (recordwork.FactsAsked): for a record it has no row of. A body new since the last build is read
    then, once, and its facts kept in the check cache: a build that makes every record anew (its
    selection cache removed) reads no body. The pages are a clean build's."""
    site = _city_in_small(make_site, monkeypatch, _late("迟发的正文。"))
    assert run_cli("build", "--site", site, "--today", TODAY).code == 0
    new = record_text("新增通知的第一句。其后的内容。", index_no=f"{DEPT_USCC}/2026-00004", title="新增的通知")
    (site / "content/d1/d.md").write_text(new, encoding="utf-8")
    read: list[str] = []
    original = markdown.body_facts

    def counted(body: str) -> markdown.BodyFacts:
        read.append(body)
        return original(body)

    monkeypatch.setattr(markdown, "body_facts", counted)
    assert run_cli("build", "--site", site, "--today", TODAY).code == 0
    assert read == ["新增通知的第一句。其后的内容。\n"]
    read.clear()
    assert run_cli("build", "--site", site, "--today", TODAY).code == 0
    shutil.rmtree(site / ".cache/select")
    assert run_cli("build", "--site", site, "--today", TODAY).code == 0
    assert read == []
    edited = tree_hash(site / "build")
    shutil.rmtree(site / "build")
    remove_cache(site)
    assert run_cli("build", "--site", site, "--today", TODAY).code == 0
    assert tree_hash(site / "build") == edited
    listed = json.loads((site / "build/catalogue.json").read_text(encoding="utf-8"))["records"]
    assert [r["summary"] for r in listed if r["title"] == "新增的通知"] == ["新增通知的第一句。"]


def test_a_citys_edit_build_reads_many_new_bodies_on_all_cores(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pull that brings many new records (here, from WORTH_SPREADING = 2 on) has their bodies'
    facts read ahead in worker processes (FactsAsked.read_ahead), not one at a time in the building
    process, and kept in the check cache: the next build reads no body. An edit of fewer records
    looks up the facts of those alone. The pages are a clean build's."""
    site = _city_in_small(make_site, monkeypatch, _late("迟发的正文。"))
    monkeypatch.setattr(recordwork, "WORTH_SPREADING", 2)
    monkeypatch.setattr(workers, "MIN_PER_WORKER", 1)
    monkeypatch.setattr(checkcache, "SETTLED_NS", 0)  # files unchanged since a check are not read again
    assert run_cli("build", "--site", site, "--today", TODAY, "--jobs", "2").code == 0
    (site / "content/d1/a.md").write_text(record_text("改过的正文。"), encoding="utf-8")
    looked_up: list[str] = []
    cached_facts = checkcache.CheckCache.body_facts

    def looked(cache: checkcache.CheckCache, file: str) -> markdown.BodyFacts | None:
        looked_up.append(file)
        return cached_facts(cache, file)

    monkeypatch.setattr(checkcache.CheckCache, "body_facts", looked)
    assert run_cli("build", "--site", site, "--today", TODAY, "--jobs", "2").code == 0
    assert looked_up == ["content/d1/a.md"]  # the edited record's, as the selection asks: no look at the others
    for number, name in ((4, "d"), (5, "e"), (6, "f")):
        body = f"第{number}份通知的第一句。其后的内容。"
        new = record_text(body, index_no=f"{DEPT_USCC}/2026-0000{number}", title=f"新增的第{number}份通知")
        (site / f"content/d1/{name}.md").write_text(new, encoding="utf-8")
    read: list[str] = []
    original = markdown.body_facts

    def counted(body: str) -> markdown.BodyFacts:
        read.append(body)  # in this process only: a worker appends to its own copy
        return original(body)

    monkeypatch.setattr(markdown, "body_facts", counted)
    assert run_cli("build", "--site", site, "--today", TODAY, "--jobs", "2").code == 0
    assert read == []
    shutil.rmtree(site / ".cache/select")  # every record made anew, from the facts kept
    assert run_cli("build", "--site", site, "--today", TODAY, "--jobs", "2").code == 0
    assert read == []
    edited = tree_hash(site / "build")
    listed = json.loads((site / "build/catalogue.json").read_text(encoding="utf-8"))["records"]
    summaries = sorted(r["summary"] for r in listed if r["title"].startswith("新增的"))
    assert summaries == [f"第{number}份通知的第一句。" for number in (4, 5, 6)]
    shutil.rmtree(site / "build")
    remove_cache(site)
    assert run_cli("build", "--site", site, "--today", TODAY, "--jobs", "2").code == 0
    assert tree_hash(site / "build") == edited


def _walked_site(make_site: MakeSite, tmp_path: Path) -> Path:
    """Records in folders and subfolders, hidden and private ones, a record that is a link inside
    the content tree, one that leads out of it, and a linked folder (FMT007 each)."""
    site = make_site(
        {
            "content/d1/a.md": record_text(),
            "content/d1/2025/b.md": record_text(index_no=f"{DEPT_USCC}/2026-00002"),
            "content/d1/_private/c.md": record_text(index_no=f"{DEPT_USCC}/2026-00003"),
            "content/d1/.hidden/d.md": record_text(index_no=f"{DEPT_USCC}/2026-00004"),
            "content/d1/a.files/x.txt": "附件文字。",
        }
    )
    (tmp_path / "outside.md").write_text(record_text(index_no=f"{DEPT_USCC}/2026-00005"), encoding="utf-8")
    os.symlink("a.md", site / "content/d1/same.md")
    os.symlink(tmp_path / "outside.md", site / "content/d1/out.md")
    os.symlink("2025", site / "content/d1/again")
    return site


def test_folders_walked_in_a_child_are_the_ones_walked_here_with_each_files_status(
    make_site: MakeSite, tmp_path: Path
) -> None:
    """A city's check walks its folders and reads each record file's status in a child while it
    reads its cache (load.WalkApart): the same files, in the same order, with the same findings;
    the statuses are the files' (a link's: its target's, as os.stat reads it)."""
    site = _walked_site(make_site, tmp_path)
    here = load.walk(site)
    apart_ = load.WalkApart(site).result()
    assert dataclasses.replace(apart_, statuses={}) == here
    assert len(list(here.records)) == 3 and {f.rule for f in here.findings + here.departments[0][2]} == {"FMT007"}
    expected = {}
    for path, rel, _, _ in here.records:
        status = os.stat(path)
        expected[rel] = (status.st_size, status.st_mtime_ns, status.st_ino, status.st_ctime_ns, status.st_mode)
    assert apart_.statuses == expected


def test_folders_are_walked_here_when_the_walking_child_dies(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _walked_site(make_site, tmp_path)
    monkeypatch.setattr(load, "_walked_apart", lambda root: os.kill(os.getpid(), signal.SIGKILL))
    walking = load.WalkApart(site)
    assert walking.result() == load.walk(site)  # statuses: none, read by the check cache itself
