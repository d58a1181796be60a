"""CPU time of each stage of `disclosure check` on a site, per record — where a check's time goes.

    python3 bench/check_stages.py SITE_DIR [--jobs N] [--today YYYY-MM-DD] [--repeat N] [--pin-product TEXT]

Runs the stages of generator.pipeline.check in its order with the site's check cache as it is
(delete SITE_DIR/.cache/check and SITE_DIR/.cache/inspection first for a cold check) and prints
each stage's process CPU time (the spreading stage's workers are other processes: their time is not
in its line) and wall time. `--repeat N`: then runs the stages that read the loaded site (validate,
secrecy, staleness, inspection) N times more each and prints the median wall time of each, steadier
on a noisy machine than one pass. `--pin-product TEXT`: as bench/stages.py, so that two versions of
the code (each on PYTHONPATH in turn) read one check cache.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path
from typing import Any, Callable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 11, 21))
    parser.add_argument("--repeat", type=int, default=0, help="runs more of each stage that reads the loaded site")
    parser.add_argument("--pin-product", metavar="TEXT", help="the product hash every cache key uses (A/B only)")
    args = parser.parse_args()

    from generator import pagecache

    if args.pin_product:
        pinned = args.pin_product
        pagecache.product = lambda: pinned  # type: ignore[assignment]

    from generator import heap, inspection, load, recordwork, secrecy, staleness, validate
    from generator.annual import sources
    from generator.checkcache import CheckCache
    from generator.config import load_config

    config = load_config(args.site.resolve())[0]
    times: list[tuple[str, float, float]] = []
    mark = [time.process_time(), time.perf_counter()]

    def tick(name: str) -> None:
        cpu, wall = time.process_time(), time.perf_counter()
        times.append((name, cpu - mark[0], wall - mark[1]))
        mark[:] = [cpu, wall]

    with heap.paused():  # as checking.check runs them
        cache = CheckCache(config.root, config)
        tick("open the cache")
        folders = load.walk(config.root)
        tick("walk content/")
        typos_found = recordwork.fill(config, cache, args.jobs, folders)
        tick("spread new records")
        site, _ = load.load_site(config, cache, folders)
        tick("load")
        sources.load_all(site)
        tick("registers, reports")
        validate.validate(site, cache)
        tick("validate")
        secrecy.check(site, args.today, cache)
        tick("secrecy")
        staleness.check(site, args.today)
        tick("staleness")
        inspection.check(site, args.today, typos_found)
        tick("inspection")
        cache.save()
        tick("save the cache")
    records = max(len(site.records), 1)
    print(f"{len(site.records):,} records")
    for name, cpu, wall in times:
        print(f"{name:20} CPU {cpu:7.2f} s ({cpu / records * 1e6:5.0f} µs a record)   wall {wall:7.2f} s")
    again: list[tuple[str, Callable[[], Any]]] = [
        ("validate", lambda: validate.validate(site, cache)),
        ("secrecy", lambda: secrecy.check(site, args.today, cache)),
        ("staleness", lambda: staleness.check(site, args.today)),
        ("inspection", lambda: inspection.check(site, args.today, typos_found)),
    ]
    for name, stage in again if args.repeat > 0 else []:
        walls = []
        for _ in range(args.repeat):
            with heap.paused():
                started = time.perf_counter()
                stage()
                walls.append(time.perf_counter() - started)
        print(f"{name:20} median wall of {args.repeat} more runs {statistics.median(walls):7.2f} s")


if __name__ == "__main__":
    main()
