"""Where a build's time goes: the `disclosure` command line with each pipeline stage timed.

    python3 bench/stages.py [--pin-product TEXT] -- build --site SITE_DIR

Runs the command line as `disclosure` would, and prints one line `STAGE name seconds` on stderr
as each stage ends (a full build's check runs in a child process: its lines come from there),
then a summary of them. The stages: check, body_facts (what the pages need of each published
body: the build's check finds it, so its time is part of check's), select, in_child (a full
build's whole child stage), render, index, scan (the output scan before the swap), save (the page
cache).

`--pin-product TEXT` replaces the hash of the product's own code in every cache key by TEXT, so
that two versions of the code (each on PYTHONPATH in turn, e.g. from `git archive`) share one
page and check cache: an A/B of edit builds then compares the work of an edit, not a full build
after a changed release. Never for a site that is published: a cache pinned so is trusted by any
code.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections.abc import Callable
from typing import Any

STAGES: list[tuple[str, float]] = []


def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            seconds = time.perf_counter() - started
            STAGES.append((name, seconds))
            print(f"STAGE {name} {seconds:.2f}", file=sys.stderr, flush=True)

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pin-product", metavar="TEXT", help="the product hash every cache key uses (A/B only)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the disclosure command line, after --")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command

    from generator import pagecache

    if args.pin_product:
        pinned = args.pin_product
        pagecache.product = lambda: pinned  # type: ignore[assignment]

    from generator import apart, checking, cli, index, pipeline, publicity, render, secrecy

    pipeline.check = timed("check", pipeline.check)  # type: ignore[assignment]
    if hasattr(checking, "_facts"):  # the build's check finds the facts itself
        checking._facts = timed("body_facts", checking._facts)
    else:  # a version from before (an A/B): after the check
        pipeline.body_facts = timed("body_facts", pipeline.body_facts)  # type: ignore[assignment]
    publicity.select = timed("select", publicity.select)  # type: ignore[assignment]
    apart.in_child = timed("in_child", apart.in_child)  # type: ignore[assignment]
    render.render_site = timed("render", render.render_site)  # type: ignore[assignment]
    index.build_index = timed("index", index.build_index)  # type: ignore[assignment]
    secrecy.guard = timed("scan", secrecy.guard)  # type: ignore[assignment]
    pagecache.PageCache.save = timed("save", pagecache.PageCache.save)  # type: ignore[method-assign]
    started = time.perf_counter()
    parsed = cli.parser().parse_args(command)
    try:
        code = cli._run(parsed)
    finally:
        wall = time.perf_counter() - started
        parts = ", ".join(f"{name} {seconds:.2f}" for name, seconds in STAGES)
        print(f"STAGES wall {wall:.2f} s; in this process: {parts or 'none'}", file=sys.stderr, flush=True)
    if hasattr(cli, "end"):  # as the command ends (a version from before an A/B: as it ended then)
        cli.end(parsed, code)
    sys.exit(code)


if __name__ == "__main__":  # a spawned worker (the output scan's pool) imports this file again: it must not build
    main()
