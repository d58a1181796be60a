"""Staleness lint on the real corpus: how long STL001–STL013 take on 14,881 records, and
how many records were published more than 20 working days after 成文日期.

    python3 bench/staleness_corpus.py
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import corpus  # noqa: E402
from generator import staleness  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        site = corpus.corpus_site(Path(tmp))
        loaded = time.perf_counter()
        findings = staleness.check(site, dt.date(2023, 10, 31))
        checked = time.perf_counter()
    late = Counter(f.dept for f in findings if f.rule == "STL001")
    independent = corpus.independent_late_count()
    print(f"records: {len(site.records)}")
    print(f"load (rows → records): {loaded - started:.2f} s")
    print(f"staleness.check: {checked - loaded:.2f} s")
    for dept, n in sorted(late.items()):
        print(f"STL001 {dept}: {n}")
    print(f"STL001 total: {sum(late.values())} (independent numpy count: {independent})")
    print(f"STL013 years the calendar cannot vouch for: {sum(f.rule == 'STL013' for f in findings)}")


if __name__ == "__main__":
    main()
