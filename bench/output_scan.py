"""What the output scan (the last net before the swap) costs, by kind of output file.

    python3 bench/output_scan.py BUILD_FOLDER [--sample 600] [--batch]
    python3 bench/output_scan.py BUILD_FOLDER --pool 2 [--every 10]

Scans up to `--sample` files of each kind (record pages, catalogue listings, each kind of Pagefind
file, the rest by extension) in one process with `secrecy.published.scan_file`, times it in process
CPU time, and extrapolates to every file of that kind. Files are drawn at random, the worst case for
the scan's memory of clean lines; `--batch` takes a run of neighbouring files instead, as a page
worker gets them. Prints a Markdown table.

`--pool N` times the scan as a build runs it instead: `secrecy.published.scan_output` on a fresh
pool of N processes (executors.FreshPool) over every `--every`-th file of the folder, in wall time.
Run it twice: the first run reads the files from disk unless the page cache still holds them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import time
from collections import defaultdict
from pathlib import Path

from generator.executors import FreshPool, SiteRef
from generator.output import files_under
from generator.secrecy.published import scan_file, scan_output

RECORD_PAGE = re.compile(r"^[^/]+/[^/]+\.html$")


def kind(rel: str) -> str:
    if rel.startswith("pagefind/"):
        return "Pagefind " + (Path(rel).suffix or "(no extension)")
    if rel.startswith("catalogue/") or "/catalogue/" in rel:
        return "catalogue listing"
    if RECORD_PAGE.match(rel):
        return "record page"
    return "other " + (Path(rel).suffix or "(no extension)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="a build's output folder")
    parser.add_argument("--sample", type=int, default=600, help="files of each kind (default 600)")
    parser.add_argument("--batch", action="store_true", help="a run of neighbouring files, not a random draw")
    parser.add_argument("--pool", type=int, metavar="N", help="time scan_output on N fresh processes instead")
    parser.add_argument("--every", type=int, default=10, help="with --pool: every Nth file (default 10)")
    args = parser.parse_args()
    if args.pool:
        return pooled(args.out, args.pool, args.every)
    groups: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(p for p in args.out.rglob("*") if p.is_file()):
        groups[kind(path.relative_to(args.out).as_posix())].append(path)
    draw = random.Random(1)
    print("| kind of file | files | KB a file | ms a file | extrapolated CPU-s |\n|---|---|---|---|---|")
    total = 0.0
    for name, paths in sorted(groups.items(), key=lambda item: -len(item[1])):
        n = min(args.sample, len(paths))
        if args.batch:
            start = draw.randrange(len(paths) - n + 1)
            sample = paths[start : start + n]
        else:
            sample = draw.sample(paths, n)
        size = sum(p.stat().st_size for p in sample)
        started = time.process_time()
        for path in sample:
            scan_file(path, path.relative_to(args.out).as_posix(), set())
        each = (time.process_time() - started) / n
        total += each * len(paths)
        print(f"| {name} | {len(paths):,} | {size / n / 1000:.1f} | {each * 1000:.2f} | {each * len(paths):.1f} |")
    print(f"| all | {sum(map(len, groups.values())):,} | | | {total:.1f} |")
    return 0


def pooled(out: Path, processes: int, every: int) -> int:
    files = files_under(out)[::every]
    pool = FreshPool(processes, SiteRef(out.parent, dt.date.today(), ""))
    wall, cpu = time.perf_counter(), time.process_time()
    found = scan_output(out, out.name, set(), (), (), pool, files)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"{len(files):,} files on {processes} processes: {len(found)} findings, {wall:.2f} s wall, parent CPU {cpu:.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
