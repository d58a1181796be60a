"""Progress on long work: on a terminal, a city's build shows a bar for each long stage (reading
the record files, rendering the pages, scanning the output), counting every item; in a log or a
pipe it shows nothing, and the rest of what it says is the same either way."""

from __future__ import annotations

import io
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Callable

import pytest

from conftest import DEPT_USCC, record_text
from generator import cli, progress, recordwork, workers

MakeSite = Callable[..., Path]
RECORDS = 6
STAGES = ("读取记录文件", "生成页面", "审查输出文件")


class Terminal(io.StringIO):
    """Standard error as a person at a terminal has it."""

    def isatty(self) -> bool:
        return True


def _run(stderr: io.StringIO, *args: str | Path) -> tuple[int, str, str]:
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(stderr):
        code = cli.main([str(a) for a in args])
    return code, out.getvalue(), stderr.getvalue()


@pytest.fixture
def city(make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site whose work is long enough for a bar (the bounds lowered), its records read on two cores."""
    monkeypatch.setattr(progress, "SHOWN_FROM", 1)
    monkeypatch.setattr(recordwork, "WORTH_SPREADING", 1)
    return make_site(
        {
            f"content/d1/r{n}.md": record_text(f"第{n}条正文。", index_no=f"{DEPT_USCC}/2026-{n:05d}")
            for n in range(1, RECORDS + 1)
        }
    )


def _last_count(err: str, stage: str) -> str:
    """What the bar of `stage` showed last: its count (and total), colours and redraws removed."""
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", err)
    shown = [line for line in re.split(r"[\r\n]", plain) if line.startswith(stage)]
    assert shown, f"no bar for {stage}"
    count = re.search(r" (\d+(?:/\d+)?) ", shown[-1])
    assert count is not None, shown[-1]
    return count[1]


def test_a_check_on_a_terminal_counts_every_record_file_read(city: Path) -> None:
    code, _, err = _run(Terminal(), "check", "--site", city, "--jobs", "2")
    assert code == 0, err
    assert _last_count(err, "读取记录文件") == f"{RECORDS}/{RECORDS}"


def test_a_build_on_a_terminal_counts_every_page_and_every_file_scanned(city: Path) -> None:
    code, out, err = _run(Terminal(), "build", "--site", city, "--jobs", "2")
    assert code == 0, err
    pages = re.search(r"已生成 (\d+) 个页面", out)
    assert pages is not None
    assert _last_count(err, "生成页面") == pages[1]
    scanned = _last_count(err, "审查输出文件")
    done, total = scanned.split("/")
    assert done == total and int(total) >= int(pages[1])  # the pages and every other file written


def _shard_lines(err: str) -> list[str]:
    """The search index's line for each shard (index.py), colours and redraws removed."""
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", err)
    return [line.strip() for line in re.split(r"[\r\n]", plain) if line.startswith("搜索索引 ")]


def test_the_search_index_says_each_shard_once_above_a_bar_that_counts_them_and_plainly_in_a_log(
    city: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCLOSURE_SHARD_PAGES", "2")  # several shards of the six records' pages
    code, _, err = _run(Terminal(), "build", "--site", city, "--jobs", "2")
    assert code == 0, err
    said = _shard_lines(err)
    assert len(said) > 1 and len(set(said)) == len(said)
    assert _last_count(err, "建立搜索索引") == f"{len(said)}/{len(said)}"
    code, _, logged = _run(io.StringIO(), "build", "--site", city, "--jobs", "2")  # each shard kept now
    assert code == 0, logged
    assert "建立搜索索引" not in logged and "\x1b" not in logged
    assert [line.split("：")[0] for line in _shard_lines(logged)] == [line.split("：")[0] for line in said]
    assert all(line.endswith("未变，沿用缓存") for line in _shard_lines(logged))


def test_nothing_of_the_bars_reaches_a_log(city: Path, make_site: MakeSite) -> None:
    """The same commands with standard error a file (CI, a pipe): no bar, and the same words as a
    terminal gets once its bars are gone."""
    for command in (["check"], ["build"]):
        code, _, logged = _run(io.StringIO(), *command, "--site", city, "--jobs", "2")
        assert code == 0, logged
        assert not any(stage in logged for stage in STAGES)
        assert "\x1b" not in logged


@pytest.mark.parametrize("jobs", [1, 2])
def test_work_on_all_cores_tells_every_item_once(jobs: int) -> None:
    """What a bar counts (workers.fork_map's `advance`): each item once, whether mapped here or by
    forked workers in parts, and the results in order as without it."""
    items = list(range(5 * workers.MIN_PER_WORKER))
    told: list[int] = []
    assert workers.fork_map(lambda item: item + 1, items, jobs, told.append) == [item + 1 for item in items]
    assert sum(told) == len(items)
    assert len(told) == (len(items) if jobs == 1 else len(workers.ranges(len(items), jobs)))
