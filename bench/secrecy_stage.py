"""How long the secrecy stage (generator.secrecy.check) takes per 10,000 records.

Records are made in memory from the real titles, dates and 文号 of /work/shared/corpus,
each with a body of about 1,500 characters built from the seed regulations (with the
occasional planted mobile number and ID-like digit run, so the validators run too).
Usage: python3 bench/secrecy_stage.py [N]   (default 10000)
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
import time
from pathlib import Path

from generator import yamlsrc
from generator.config import SiteConfig
from generator.model import Department, Record, Site
from generator.secrecy import check

CORPUS = Path("/work/shared/corpus")
SEEDS = Path("/work/shared/seeds")
USCC = "11530400MB0000001N"


def corpus_rows() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for name in ("state_council.csv", "shanghai.csv"):
        with (CORPUS / name).open(encoding="utf-8") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def make_site(n: int) -> Site:
    rows = corpus_rows()
    prose = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    site = Site(SiteConfig(), Path("."))
    site.departments["d1"] = Department(
        "d1", Path("content/d1"), "content/d1/department.yaml", {"name": "测试局", "uscc": USCC}, yamlsrc.Parsed({})
    )
    for i in range(n):
        row = rows[i % len(rows)]
        start = (i * 997) % max(1, len(prose) - 1500)
        body = prose[start : start + 1500]
        if i % 50 == 0:
            body += f"\n联系电话 1381234{i % 10000:04d}，编号 53040219900307{i % 10000:04d}。"
        meta = {
            "index_no": f"{USCC}/2026-{i:05d}",
            "title": row["title"],
            "doc_no": row["doc_no"],
            "publisher": "测试局",
            "publicity": "主动公开",
            "written": row["written"] or row["published"],
            "published": row["published"],
            "review": {
                "drafter": "李明",
                "opinion": "主动公开",
                "checker": "王芳",
                "approver": "赵刚",
                "approved_on": row["published"],
            },
        }
        site.records.append(
            Record("d1", f"/nonexistent/r{i}.md", f"content/d1/r{i}.md", meta, yamlsrc.Parsed(meta), body, 20)
        )
    return site


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    site = make_site(n)
    chars = sum(len(r.body) for r in site.records)
    start = time.perf_counter()
    review = check(site, dt.date(2026, 11, 21))
    elapsed = time.perf_counter() - start
    print(f"records: {n}  body characters: {chars:,}  findings: {len(review.findings)}")
    print(f"secrecy stage: {elapsed:.2f} s  ({elapsed / n * 10000:.2f} s per 10,000 records)")


if __name__ == "__main__":
    main()
