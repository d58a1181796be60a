"""The long fuzz run of issue 12: at least 10,000 cases over every part a department commits.

    nice -n 10 python3 bench/fuzz/run.py --cases 10000 [--seed N] [--keep DIR]

Draws cases with the strategies of tests/fuzzing.py — a record's front matter and body, attachment
names and bytes, the application register, department.yaml, site.yaml, in turn — builds each small
site, and judges it with the same oracle as the suite's short run (tests/test_fuzz.py): no exit 3,
no command past the time limit (a hang), every finding with a file of the site and a line ≥ 1 and a
Chinese message and fix, exit 2 only for an unusable site.yaml naming it, and no canary of a
non-public record, the register or an internal setting anywhere in the output. Unlike the suite it
records every failing case instead of stopping at the first (the site is kept under --keep), and
prints the counts as a Markdown table for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO / "tests"), str(REPO)]

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from fuzzing import FAMILIES, TIME_LIMIT, Outcome, run_case, write_site  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases in all, shared by the parts (default 10,000)")
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000, help="hypothesis seed")
    parser.add_argument(
        "--keep",
        type=Path,
        default=REPO / "bench" / "fuzz" / "failures",
        help="where failing cases are kept (default bench/fuzz/failures)",
    )
    args = parser.parse_args()
    per_family = -(-args.cases // len(FAMILIES))  # rounded up: at least --cases in all
    outcomes: list[Outcome] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="disclosure-fuzz-") as scratch:
        for family, strategy in FAMILIES.items():
            family_start = time.monotonic()
            run_family(family, strategy(), per_family, args, Path(scratch), outcomes, started)
            mine = [o for o in outcomes if o.family == family]
            print(f"{family}: {len(mine)} cases in {time.monotonic() - family_start:.0f} s", flush=True)
    report(outcomes, time.monotonic() - started, args)
    return 1 if any(o.problems for o in outcomes) else 0


def run_family(
    family: str,
    strategy: Any,
    cases: int,
    args: argparse.Namespace,
    scratch: Path,
    outcomes: list[Outcome],
    started: float,
) -> None:
    @seed(args.seed)
    @settings(
        max_examples=cases,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def case(drawn: dict[str, str | bytes]) -> None:
        site = write_site(scratch / "site", drawn)
        outcome = run_case(site, family)
        outcomes.append(outcome)
        if outcome.problems:
            kept = args.keep / f"{family.replace(' ', '-').replace('.', '-')}-{len(outcomes):05d}"
            shutil.rmtree(kept, ignore_errors=True)
            shutil.copytree(site, kept, symlinks=True, ignore=shutil.ignore_patterns("build", ".cache"))
            (kept / "PROBLEMS.txt").write_text("\n".join(outcome.problems) + "\n", encoding="utf-8")
            print(f"  {family} #{len(outcomes)}: {outcome.problems[0][:300]}", flush=True)
        if len(outcomes) % 250 == 0:
            print(f"{len(outcomes)} cases, {time.monotonic() - started:.0f} s", flush=True)

    try:
        case()
    except Exception as exc:  # noqa: BLE001 - a fault of the harness itself: said, and the run goes on
        print(
            f"{family}: the harness failed after {len([o for o in outcomes if o.family == family])} cases: "
            f"{type(exc).__name__}: {exc}",
            flush=True,
        )


def report(outcomes: list[Outcome], seconds: float, args: argparse.Namespace) -> None:
    kinds = Counter(o.kind for o in outcomes if o.problems)
    print()
    print(
        f"`nice -n 10 python3 bench/fuzz/run.py --cases {args.cases} --seed {args.seed}`: "
        f"{len(outcomes):,} cases in {seconds / 60:.1f} min, time limit {TIME_LIMIT} s per command"
    )
    print()
    print(
        "| part | cases | built (no blocking finding) | crashes (exit 3) | hangs | leaks | findings without file/line/Chinese | other exit 2 | median s/case |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for family in list(FAMILIES) + ["all"]:
        mine = [o for o in outcomes if family == "all" or o.family == family]
        if not mine:
            continue
        count = Counter(o.kind for o in mine if o.problems)
        times = sorted(o.seconds for o in mine)
        print(
            f"| {family} | {len(mine):,} | {sum(o.built for o in mine):,} | {count['crash']} | {count['hang']} | "
            f"{count['leak']} | {count['finding']} | {count['exit2']} | {times[len(times) // 2]:.2f} |"
        )
    print()
    print("failing cases kept in", args.keep if kinds else "(none)")


if __name__ == "__main__":
    sys.exit(main())
