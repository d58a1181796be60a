"""`disclosure build --cluster`: the build's units on a Dask cluster of separate processes.

A scheduler and two workers run as their own processes on 127.0.0.1 (the `dask` command line,
as an operator starts them), the site in a folder they all reach by the same path. The output
of a cluster build must be the local build's, file for file and byte for byte — also when one
worker is killed while it holds units, and the previous output must stay as it was when the
cluster cannot finish.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Iterator

import pytest

from conftest import REPO, copy_demo, remove_cache, run_cli, tree_hash

distributed = pytest.importorskip("distributed", reason="Dask 未安装：pip install 'disclosure[cluster]'")


def differences(a: Path, b: Path) -> list[str]:
    """What `diff -r a b` would name: files only on one side, and files whose bytes differ."""
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    found = [f"only in {a.name if rel in files_a else b.name}: {rel}" for rel in sorted(files_a ^ files_b)]
    found += [
        f"differs: {rel}" for rel in sorted(files_a & files_b) if (a / rel).read_bytes() != (b / rel).read_bytes()
    ]
    return found


class Cluster:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: list[subprocess.Popen[bytes]] = []
        self.logs: list[IO[bytes]] = []
        self.address = ""

    def start(self, args: list[str], log: str) -> subprocess.Popen[bytes]:
        """`dask scheduler …` / `dask worker …` (the same programs, by module)."""
        self.logs.append(open(self.folder / log, "wb"))
        process = subprocess.Popen(
            [sys.executable, "-m", f"distributed.cli.dask_{args[0]}", *args[1:]],
            stdout=self.logs[-1],
            stderr=subprocess.STDOUT,
            cwd=REPO,
        )
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait()
        for log in self.logs:
            log.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    folder = tmp_path_factory.mktemp("dask")
    found = Cluster(folder)
    scheduler_file = folder / "scheduler.json"
    try:
        found.start(
            [
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(scheduler_file),
            ],
            "scheduler.log",
        )
        for n in (1, 2):
            found.start(
                [
                    "worker",
                    "--scheduler-file",
                    str(scheduler_file),
                    "--host",
                    "127.0.0.1",
                    "--nthreads",
                    "1",
                    "--no-nanny",  # the worker is this very process: SIGKILL ends it, nothing restarts it
                    "--no-dashboard",
                ],
                f"worker{n}.log",
            )
        with distributed.Client(scheduler_file=str(scheduler_file), timeout=120) as client:
            client.wait_for_workers(2, timeout=120)
            found.address = client.scheduler.address
        yield found
    finally:
        found.stop()


def build_command(site: Path, address: str) -> list[str]:
    return [sys.executable, "-m", "generator.cli", "build", "--site", str(site), "--cluster", address]


def test_cluster_build_is_the_local_build(cluster: Cluster, demo_build: Path, tmp_path: Path) -> None:
    """Pages and search shards are made on the workers, and the output is the local build's."""
    site = copy_demo(tmp_path / "demo")
    result = subprocess.run(build_command(site, cluster.address), capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert differences(site / "build", demo_build) == []
    with distributed.Client(cluster.address, timeout=60) as client:
        workers = set(client.scheduler_info()["workers"])
    said = " ".join(result.stderr.split())  # the progress lines, however the console wrapped them
    shards = [m[0] for m in re.finditer(r"搜索索引 [^：\s]+：\d+ 页，[^搜]*", said)]
    assert len(shards) == len(json.loads((demo_build / "pagefind/shards.json").read_text())["bundles"]) > 1
    for line in shards:
        where = re.search(r"由集群 worker (\S+) 建立", line)
        assert where and where[1] in workers, line


def test_the_cluster_tells_each_batch_done_once_for_the_progress_bar(cluster: Cluster) -> None:
    """The count a bar is told (progress.py) is every item, once, as batches come back."""
    from generator.cluster import BATCHES_PER_THREAD, DaskCluster
    from generator.executors import SiteRef, Work

    items = list(range(37))
    told: list[int] = []
    with distributed.Client(cluster.address, timeout=60) as client:
        executor = DaskCluster(client, cluster.address, SiteRef(REPO, dt.date(2026, 1, 1), "progress"))
        work = Work(lambda item: item * 2, lambda site, batch: [item * 2 for item in batch])
        assert executor.map(work, items, told.append) == [item * 2 for item in items]
        threads = executor.jobs
    assert sum(told) == len(items) and len(told) == threads * BATCHES_PER_THREAD  # two workers, 8 batches


def test_a_worker_killed_mid_build_changes_nothing(cluster: Cluster, demo_build: Path, tmp_path: Path) -> None:
    site = copy_demo(tmp_path / "demo")
    build = subprocess.Popen(build_command(site, cluster.address), stderr=subprocess.PIPE, text=True, cwd=REPO)
    mine = {process.pid for process in cluster.processes}
    killed = None
    with distributed.Client(cluster.address, timeout=60) as client:
        pids = client.run(os.getpid)  # worker address → its process
        while killed is None and build.poll() is None:
            if not any(site.glob(".build.staging-*")):  # not rendering yet
                time.sleep(0.02)
                continue
            # a worker that holds units of this build right now (the scheduler's own account)
            busy = [worker for worker, keys in client.processing().items() if keys]
            for worker in busy:
                pid = pids.get(worker)
                if pid in mine:
                    os.kill(pid, signal.SIGKILL)
                    killed = pid
                    break
            time.sleep(0.02)
    _, err = build.communicate(timeout=600)
    assert killed is not None, "the build ended before a worker held any of its units"
    assert build.returncode == 0, err
    assert differences(site / "build", demo_build) == []


def nobody_listens() -> str:
    """A 127.0.0.1 address whose port was just free (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{sock.getsockname()[1]}"


def test_when_the_cluster_cannot_build_the_previous_output_stays(
    cluster: Cluster, demo_built_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No Dask, no scheduler at the address, the scheduler killed while the build's units run (last
    test: the module's cluster is gone after it): exit 2, said in Chinese, the output untouched."""
    from generator import cluster as cluster_module

    site = demo_built_copy  # the previous output: the session's local build of the demo
    before = tree_hash(site / "build")

    with monkeypatch.context() as patch:
        patch.setitem(sys.modules, "distributed", None)  # as if the extra were not installed
        missing = run_cli("build", "--site", site, "--cluster", cluster.address)
    assert missing.code == 2
    assert "disclosure[cluster]" in missing.err and "上一次的输出保持不变" in missing.err

    monkeypatch.setattr(cluster_module, "CONNECT_TIMEOUT", 1)
    address = nobody_listens()
    refused = run_cli("build", "--site", site, "--cluster", address)
    assert refused.code == 2
    assert f"无法连接 Dask 调度器 {address}" in refused.err and "上一次的输出保持不变" in refused.err
    assert tree_hash(site / "build") == before

    remove_cache(site)  # a cold build: the records' checks, then every page, go to the cluster
    build = subprocess.Popen(build_command(site, cluster.address), stderr=subprocess.PIPE, text=True, cwd=REPO)
    scheduler = cluster.processes[0]
    with distributed.Client(cluster.address, timeout=60) as client:
        while build.poll() is None and not any(client.processing().values()):
            time.sleep(0.02)
        assert build.poll() is None, "the build ended before the cluster held any of its units"
        scheduler.kill()
    _, err = build.communicate(timeout=600)
    assert build.returncode == 2, err
    assert "与 Dask 调度器" in err and "上一次的输出保持不变" in err, err
    assert tree_hash(site / "build") == before
