"""Edit builds of two or more versions of the code, taking turns: the A/B runs of bench/RESULTS.md.

    python3 bench/turns.py ROUNDS TAG=TREE:SITE [TAG=TREE:SITE ...] [--record REL] [--logs DIR]

Each round, for each version in the order given: a line is appended to the record REL of SITE
(default content/d002/2018/r189544.md, a record of `bench/scale.py`'s corpus), then
`python3 TREE/bench/stages.py --pin-product pin-ab -- build --site .` runs in SITE with TREE on
PYTHONPATH, under `/usr/bin/time` (Debian's package `time`) for its largest resident size. TREE is
a version's source tree (e.g. from `git archive REV | tar -x -C TREE`); versions whose caches have
the same format may share one SITE, others need a copy each (`cp -a`) and a warm-up round.

The appended line is letters only: a run of digits may be a valid bank card or ID number, and the
build then stops on SEC008, as it should. A build that exits with anything but 0 ends the runs
(exit 1), with the end of its output: its time is not an edit build's.

Prints a line per round, then each version's median wall time and largest resident size. Each
run's output (its `STAGE` lines) is kept in DIR/TAG-ROUND.txt (default /tmp/turns).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import string
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

RECORD = "content/d002/2018/r189544.md"
TIME = "/usr/bin/time"


@dataclass
class Version:
    tag: str
    tree: Path
    site: Path
    walls: list[float] = field(default_factory=list)
    peaks_kb: list[int] = field(default_factory=list)


def parse_version(text: str) -> Version:
    tag, _, rest = text.partition("=")
    tree, _, site = rest.partition(":")
    if not (tag and tree and site):
        raise argparse.ArgumentTypeError(f"not TAG=TREE:SITE: {text!r}")
    return Version(tag, Path(tree).resolve(), Path(site).resolve())


def edit(site: Path, record: str, tag: str, round_no: int) -> None:
    letters = "".join(random.choices(string.ascii_letters, k=12))
    with (site / record).open("a", encoding="utf-8") as handle:
        handle.write(f"编辑 {tag} 第 {round_no} 轮 {letters}\n")


def run(version: Version, log: Path) -> tuple[float, int | None]:
    """One edit build of `version`: its wall time and largest resident size (KB, None without TIME)."""
    command = [sys.executable, str(version.tree / "bench" / "stages.py"), "--pin-product", "pin-ab"]
    command += ["--", "build", "--site", "."]
    timed = os.access(TIME, os.X_OK)
    if timed:
        command = [TIME, "-f", "MAXRSS_KB %M", *command]
    env = {**os.environ, "PYTHONPATH": str(version.tree)}
    started = time.perf_counter()
    done = subprocess.run(command, cwd=version.site, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    log.write_text(done.stdout + done.stderr, encoding="utf-8")
    if done.returncode != 0:
        tail = "\n".join(done.stderr.splitlines()[-15:])
        raise SystemExit(f"{version.tag}: the build exited with {done.returncode} ({log}):\n{tail}")
    peak = None
    if timed:
        lines = [line for line in done.stderr.splitlines() if line.startswith("MAXRSS_KB ")]
        peak = int(lines[-1].split()[1]) if lines else None
    return wall, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rounds", type=int)
    parser.add_argument("versions", nargs="+", type=parse_version, metavar="TAG=TREE:SITE")
    parser.add_argument("--record", default=RECORD, help=f"the record edited, relative to each site (default {RECORD})")
    parser.add_argument("--logs", type=Path, default=Path("/tmp/turns"), help="where each run's output is kept")
    args = parser.parse_args()
    args.logs.mkdir(parents=True, exist_ok=True)
    for round_no in range(1, args.rounds + 1):
        shown = []
        for version in args.versions:
            edit(version.site, args.record, version.tag, round_no)
            wall, peak = run(version, args.logs / f"{version.tag}-{round_no}.txt")
            version.walls.append(wall)
            if peak is not None:
                version.peaks_kb.append(peak)
            shown.append(f"{version.tag} {wall:.2f} s")
        print(f"round {round_no}: {', '.join(shown)}  ({time.strftime('%H:%M:%S')})", flush=True)
    for version in args.versions:
        peak = f", largest resident size {max(version.peaks_kb) / 1e6:.3f} GB" if version.peaks_kb else ""
        rounds = " / ".join(f"{wall:.2f}" for wall in version.walls)
        print(f"{version.tag}: {rounds} s; median {statistics.median(version.walls):.2f} s{peak}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
