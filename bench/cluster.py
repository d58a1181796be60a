"""The same cold build on the local process pool and on a local Dask cluster, same run.

    python3 bench/cluster.py --records 2000 [--workers 2] [--work DIR] [--keep]

Writes the scale bench's site (bench/scale.py: real titles and 文号, ~1,500-character bodies),
starts a Dask scheduler and `--workers` workers (`dask worker --nthreads 1 --no-nanny`) on
127.0.0.1, then builds the site cold (no `.cache/`, no output) twice: `disclosure build` (the
local pool, every core) and `disclosure build --cluster ADDRESS`. Prints, per build, the wall
time, the CPU time of the build's own process tree, the CPU time the workers spent, the peak RSS
of the build's tree, and whether the two outputs are byte-identical. Needs `disclosure[cluster]`.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale  # noqa: E402  (the bench's site writer and its measuring of a command)

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system time of process `pid` so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def same_tree(a: Path, b: Path) -> bool:
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    return files_a == files_b and all(filecmp.cmp(a / rel, b / rel, shallow=False) for rel in files_a)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--work", type=Path, default=None, help="working folder (default /tmp/cluster-N)")
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    args = parser.parse_args()
    work = (args.work or Path(f"/tmp/cluster-{args.records}")).resolve()
    shutil.rmtree(work, ignore_errors=True)
    site = work / "site"
    scale.write_ours(site, scale.plan(args.records))
    print(f"site: {args.records} records in {site}", flush=True)

    dask = [sys.executable, "-m"]
    scheduler_file = work / "scheduler.json"
    logs = open(work / "dask.log", "wb")
    scheduler = subprocess.Popen(
        [*dask, "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"]
        + ["--scheduler-file", str(scheduler_file)],
        stdout=logs,
        stderr=subprocess.STDOUT,
    )
    workers = [
        subprocess.Popen(
            [*dask, "distributed.cli.dask_worker", "--scheduler-file", str(scheduler_file), "--host", "127.0.0.1"]
            + ["--nthreads", "1", "--no-nanny", "--no-dashboard"],
            stdout=logs,
            stderr=subprocess.STDOUT,
        )
        for _ in range(args.workers)
    ]
    try:
        from distributed import Client

        with Client(scheduler_file=str(scheduler_file), timeout=120) as client:
            client.wait_for_workers(args.workers, timeout=120)
            address = client.scheduler.address
        results = []
        for label, extra in (("local process pool", []), (f"Dask, {args.workers} workers", ["--cluster", address])):
            shutil.rmtree(site / ".cache", ignore_errors=True)
            out = work / ("out-cluster" if extra else "out-local")
            shutil.rmtree(out, ignore_errors=True)
            before = sum(cpu_seconds(w.pid) for w in workers)
            load = os.getloadavg()[0]
            run = scale.measure(
                [sys.executable, "-m", "generator.cli", "build", "--site", str(site), "--out", str(out), *extra]
            )
            spent = sum(cpu_seconds(w.pid) for w in workers) - before
            if run.code != 0:
                print(run.stderr[-3000:], file=sys.stderr)
                return 1
            results.append((label, run, spent, load))
            print(
                f"{label}: {run.seconds:.1f} s wall, {run.cpu:.1f} CPU-s build, {spent:.1f} CPU-s workers", flush=True
            )
        identical = same_tree(work / "out-local", work / "out-cluster")
        pages = scale.pages_in(work / "out-local")
    finally:
        for process in [*workers, scheduler]:
            process.kill()
            process.wait()
        logs.close()
    print()
    print(
        f"Site: {args.records:,} records, {pages:,} HTML pages; {os.cpu_count()} cores; outputs byte-identical: {identical}"
    )
    print()
    print(
        "| build (cold) | wall time (s) | CPU, build's process tree (s) | CPU, Dask workers (s) | peak RSS, build's tree (MiB) | load average at start |"
    )
    print("|---|---|---|---|---|---|")
    for label, run, spent, load in results:
        print(f"| {label} | {run.seconds:.1f} | {run.cpu:.1f} | {spent:.1f} | {run.peak_kib / 1024:.0f} | {load:.2f} |")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
