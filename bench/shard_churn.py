"""How many search shards one change re-indexes: the shard plan of a site's publication, and the
plans after removing one record, adding one, or lengthening one's body, at random places.

    python3 bench/shard_churn.py --site SITE [--trials 400] [--seed 7]

Checks and selects the site once (as a build does), then for each trial picks a department and a
record of it at random and plans that department's shards again (generator/search/shards.py) with
the record removed; with a record added just before it in 索引号 order (its 索引号 with a leading
zero on the serial: the same place, another slug); and with its body 100 characters longer. A
shard is re-indexed when its pages are not a shard's pages before the change (the shard holding an
edited page is indexed again anyway: counted apart). Prints the number of shards, their mean
pages, and for each kind of change how many trials re-indexed 0, 1, 2 … shards. Run it with another
version's tree on PYTHONPATH to compare (the publication is that version's too).
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import datetime as dt
import random
import statistics
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--trials", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from generator import checking, publicity
    from generator.config import load_config
    from generator.search import shards

    config, errors = load_config(args.site)
    if errors:
        print(*errors, sep="\n", file=sys.stderr)
        return 2
    checked = checking.check(config, dt.date.today(), facts=True)
    if checked.facts is None:
        print("the site does not pass its check", file=sys.stderr)
        return 2
    publication = publicity.select(checked.site, checked.facts)
    by_dept: dict[str, list[publicity.PublicRecord]] = collections.defaultdict(list)
    for record in publication.records:
        by_dept[record.dept].append(record)

    def pages(dept: str, records: list[publicity.PublicRecord]) -> set[tuple[str, ...]]:
        changed = dataclasses.replace(publication, records=records)
        return {shard.pages for shard in shards.plan(changed, only={dept})}

    plan = shards.plan(publication)
    print(f"{len(plan)} shards, {statistics.mean(len(s.pages) for s in plan):.0f} pages on average")
    found: dict[str, list[int]] = collections.defaultdict(list)
    pick = random.Random(args.seed)
    departments = sorted(by_dept)
    for _ in range(args.trials):
        dept = pick.choice(departments)
        records = by_dept[dept]
        before = pages(dept, records)
        at = pick.randrange(len(records))
        record = records[at]
        found["removed"].append(len(pages(dept, records[:at] + records[at + 1 :]) - before))
        head, _, serial = record.index_no.rpartition("-")
        added = dataclasses.replace(record, index_no=f"{head}-0{serial}")
        found["added"].append(len(pages(dept, [*records[:at], added, *records[at:]]) - before))
        longer = dataclasses.replace(record, body=dataclasses.replace(record.body, length=record.body.length + 100))
        found["body +100"].append(len(pages(dept, [*records[:at], longer, *records[at + 1 :]]) - before))
    for kind, counts in found.items():
        spread = ", ".join(f"{n}: {times}" for n, times in sorted(collections.Counter(counts).items()))
        print(f"{kind}: mean {statistics.mean(counts):.2f}, most {max(counts)} (shards re-indexed: trials) {spread}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
