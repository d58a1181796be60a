"""All cores: a build that renders pages and scans the output on several forked processes
writes exactly the bytes a one-process build writes."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pytest

import forked
from conftest import DEPT_USCC, record_text, run_cli
from generator import workers
from generator.render import pages
from generator.executors import Work
from generator.render.jobs import Job
from generator.render.remote import Queue

MakeSite = Callable[..., Path]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_jobs_2_writes_the_same_bytes_as_jobs_1(make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """Also when the queued pages go to the workers in several batches (pages.BATCH, 10,000 pages
    in a real build, so that a 200,000-record site's queue is never held whole)."""
    records = {
        f"content/d1/r{i}.md": record_text(
            f"第{i}条正文，见[下一条](r{i + 1}.md)。" if i < 7 else "末条。",
            index_no=f"{DEPT_USCC}/2026-{i:05d}",
            title=f"关于第{i}项工作的通知",
        )
        for i in range(1, 8)
    }
    site = make_site(records)
    assert run_cli("build", "--site", site, "--jobs", "1").code == 0
    one = _files(site / "build")
    shutil.rmtree(site / "build")
    shutil.rmtree(site / ".cache/pages")

    forks: list[str] = []
    real = multiprocessing.get_context

    def counting(method: Any = None) -> Any:
        forks.append(str(method))
        return real(method)

    monkeypatch.setattr(workers, "MIN_PER_WORKER", 1)  # a small site still goes through the pool
    monkeypatch.setattr(multiprocessing, "get_context", counting)
    monkeypatch.setattr(pages, "BATCH", 5)
    batches: list[int] = []
    finish = pages.Renderer.finish

    def counted(renderer: pages.Renderer) -> None:
        batches.append(len(renderer.queue))
        finish(renderer)

    monkeypatch.setattr(pages.Renderer, "finish", counted)
    assert run_cli("build", "--site", site, "--jobs", "2").code == 0
    assert forks.count("fork") >= 2  # the pages and the output scan
    assert len(batches) > 2 and max(batches) == 5
    assert _files(site / "build") == one


def test_a_cluster_workers_plan_keeps_every_batch() -> None:
    """A cluster worker plans the site with a Queue for an executor: every batch of pages must stay
    in its plan, or a page of an earlier batch would be refused as not planned."""
    queue = Queue()
    jobs = [Job(f"p{i}.html", Path(f"p{i}.html"), "t.html", f"k{i}", {}, None) for i in range(4)]
    queue.map(Work(str, lambda site, batch: []), jobs[:2])
    queue.map(Work(str, lambda site, batch: []), jobs[2:])
    assert sorted(queue.jobs_by_path) == [job.path for job in jobs]


def test_jobs_must_be_a_positive_number(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text()})
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site", str(site), "--jobs", "0"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "正整数" in result.stderr


def test_a_cold_check_on_2_processes_finds_what_1_finds(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each new record's own work (parse, own checks, body scan, secrecy candidates, near misses of
    canonical names) done by forked workers first: every finding the same, in the same order, and
    the caches it leaves as good."""
    from generator import config as site_config, pipeline, recordwork
    from generator.checkcache import CACHE
    from generator.inspection import typos
    import datetime as dt

    # findings of every kind: blocking secrecy hits, a broken file, a raw-HTML body
    (demo_copy / "content/yuxi/zz-leak.md").write_text(
        record_text(
            "联系人手机 13912345678，身份证号 110101199003070071。<b>注意</b>中华人民共合国。",
            title="内部资料 关于印发的通知",
        ),
        encoding="utf-8",
    )
    (demo_copy / "content/yuxi/zz-broken.md").write_text("---\ntitle: [unclosed\n---\n正文", encoding="utf-8")
    today = dt.date(2026, 11, 21)

    def findings(jobs: int) -> list[tuple[object, ...]]:
        config, errors = site_config.load_config(demo_copy)
        assert not errors
        result = pipeline.check(config, today, jobs)
        return [
            (f.rule, f.file, f.line, f.message, f.fix, f.severity, f.excerpt, f.fingerprint) for f in result.findings
        ]

    memo = demo_copy / typos.MEMO
    shutil.rmtree(demo_copy / CACHE, ignore_errors=True)
    memo.unlink(missing_ok=True)
    one = findings(1)
    assert {"SEC008", "FMT001", "FMT008", "INS004"} <= {f[0] for f in one}
    shutil.rmtree(demo_copy / CACHE)
    memo.unlink()

    spread: list[int] = []
    real_fill = recordwork.fill
    monkeypatch.setattr(recordwork, "WORTH_SPREADING", 1)
    monkeypatch.setattr(workers, "MIN_PER_WORKER", 1)
    monkeypatch.setattr(recordwork, "fill", lambda *args: spread.append(real_fill(*args)) or spread[-1])
    searched: list[int] = []  # texts searched for near misses in this process (the workers are forked)
    real_hits = typos.hits_in
    monkeypatch.setattr(typos, "hits_in", lambda texts, terms: searched.append(1) or real_hits(texts, terms))
    assert findings(2) == one
    assert len(spread[-1] or {}) >= 30  # every record went through the workers, its texts searched there
    assert searched == []
    assert findings(2) == one  # warm, from what the workers left in the caches
    assert spread[-1] is None and searched == []  # and nothing was spread or searched again


# A worker that dies: run in a process of its own with a time limit, so that a pool waiting for ever
# for a lost worker's results fails the test instead of stopping the suite.
KILLING_WORKERS = """
import os, signal, sys
from generator import executors, workers

PARENT = os.getpid()


def dies_on_7(item):
    if item == 7 and os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    return item


def dies_remote(site, batch):  # a FreshPool worker is a fresh interpreter: any death there is the worker's
    if 7 in batch:
        os.kill(os.getpid(), signal.SIGKILL)
    return batch


if __name__ == "__main__":
    items = list(range(executors.FRESH_MIN))
    said = []
    for run in (
        lambda: workers.fork_map(dies_on_7, items, 2),
        lambda: executors.FreshPool(2, executors.SiteRef(None, None, "")).map(
            executors.Work(dies_on_7, dies_remote), items
        ),
    ):
        try:
            run()
            said.append("finished")
        except workers.WorkerDied as exc:
            said.append(str(exc))
    assert workers.fork_map(lambda item: item * 2, items, 2) == [item * 2 for item in items]
    print("\\n".join(said))
"""


def test_a_worker_that_dies_ends_the_work_with_a_message(tmp_path: Path) -> None:
    """multiprocessing.Pool starts another worker for one that was killed (out of memory) and waits
    for ever for the part it held; the pools here say so instead, forked or fresh."""
    script = tmp_path / "killing_workers.py"
    script.write_text(KILLING_WORKERS, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    said = result.stdout.strip().splitlines()
    assert len(said) == 2 and all("工作进程意外退出" in line and "内存" in line for line in said), said


def test_a_build_whose_render_worker_is_killed_fails_with_the_output_unchanged(make_site: MakeSite) -> None:
    """Exit 2 with the reason in Chinese, the served output byte for byte as it was, the lock let go:
    the next build publishes the edit."""
    records = {
        f"content/d1/r{i}.md": record_text(
            f"第{i}条正文。", index_no=f"{DEPT_USCC}/2026-{i:05d}", title=f"关于第{i}项工作的通知"
        )
        for i in range(1, 8)
    }
    site = make_site(records)
    assert run_cli("build", "--site", site).code == 0
    served = _files(site / "build")
    edited = record_text("第3条正文，已修改。", index_no=f"{DEPT_USCC}/2026-00003", title="关于第3项工作的通知")
    (site / "content/d1/r3.md").write_text(edited, encoding="utf-8")
    killing = (
        "import os, signal, sys\n"
        "from generator import cli, workers\n"
        "from generator.render import pages\n"
        "workers.MIN_PER_WORKER = 1\n"
        "parent, render = os.getpid(), pages.Renderer.render_job\n"
        "def dying(self, job):\n"
        "    if os.getpid() != parent:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return render(self, job)\n"
        "pages.Renderer.render_job = dying\n"
        f"sys.exit(cli.main(['build', '--site', {str(site)!r}, '--jobs', '2']))\n"
    )
    result = subprocess.run([sys.executable, "-c", killing], capture_output=True, text=True, timeout=240)
    assert result.returncode == 2, result.stderr
    assert "工作进程意外退出" in result.stderr and "上一次的输出保持不变" in result.stderr
    assert "Traceback" not in result.stderr
    assert _files(site / "build") == served
    assert run_cli("build", "--site", site, "--jobs", "2").code == 0
    assert "已修改" in (site / "build/d1/2026-00003.html").read_text(encoding="utf-8")


def _state_and_parent(pid: int) -> tuple[str, int] | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return fields[0], int(fields[1])


def _descendants(pid: int) -> list[int]:
    """The processes `pid` started, and theirs (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        found = _state_and_parent(int(entry.name)) if entry.name.isdigit() else None
        if found is not None:
            children.setdefault(found[1], []).append(int(entry.name))
    result, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            result.append(child)
            todo.append(child)
    return result


def _parent(pid: int) -> int | None:
    found = _state_and_parent(pid)
    return found[1] if found is not None else None


def _alive(pid: int) -> bool:
    found = _state_and_parent(pid)
    return found is not None and found[0] != "Z"  # a zombie has ended; whoever adopted it reaps it


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc, and the kernel's signal at a parent's death")
def test_a_build_killed_while_its_workers_run_leaves_none_behind(make_site: MakeSite) -> None:
    """SIGKILL (the OOM killer, a CI job's timeout) ends a build at once, and its worker processes
    end with it. Before, a pool's workers waited for work for ever on pipes their siblings held
    open, each with its memory (a city's build: hundreds of MB each)."""
    records = {
        f"content/d1/r{i}.md": record_text(index_no=f"{DEPT_USCC}/2026-{i:05d}", title=f"关于第{i}项工作的通知")
        for i in range(1, 401)
    }
    site = make_site(records)
    command = forked.start("build", "--site", site, "--jobs", "2")
    assert command.pid is not None
    seen: list[int] = []
    # two processes of its own at once: its render workers (the check before ran in a child of its
    # own, whose workers that child shut down however the build ended)
    while len([pid for pid in seen if _alive(pid) and _parent(pid) == command.pid]) < 2:
        assert _alive(command.pid), "the build ended before two worker processes were seen"
        seen = _descendants(command.pid)
        time.sleep(0.005)
    os.kill(command.pid, signal.SIGKILL)
    command.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while any(map(_alive, seen)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [pid for pid in seen if _alive(pid)] == []
