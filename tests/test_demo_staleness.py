"""The demo site passes `check` on its build date; two years later its expired and
unreviewed records block, and the output names them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import yaml

from conftest import run_cli

BUILD_DATE = "2026-11-21"  # site.yaml `today`
LATER = dt.date(2028, 11, 21)


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text("utf-8")
    return yaml.safe_load(text.split("---\n")[1]) or {}


def demo_records(site: Path) -> dict[str, dict[str, Any]]:
    return {
        p.relative_to(site).as_posix(): front_matter(p)
        for p in sorted((site / "content").rglob("*.md"))
        if "reports" not in p.parts and not any(part.endswith(".files") for part in p.parts)
    }


def passed(meta: dict[str, Any], key: str) -> bool:
    day = meta.get(key)
    return isinstance(day, dt.date) and meta.get("status", "现行有效") == "现行有效" and LATER > day


def test_demo_passes_check_on_its_build_date(demo_copy: Path) -> None:
    result = run_cli("check", "--site", demo_copy, "--today", BUILD_DATE)
    assert result.code == 0, result.out + result.err


def test_demo_two_years_later_blocks_on_expired_and_unreviewed_records(demo_copy: Path) -> None:
    records = demo_records(demo_copy)
    unreviewed = {file for file, meta in records.items() if passed(meta, "next_review")}
    expired = {file for file, meta in records.items() if passed(meta, "valid_until")}
    assert unreviewed and expired, "the demo should carry review and expiry dates"

    result = run_cli("check", "--site", demo_copy, "--today", LATER.isoformat(), "--format", "json")
    assert result.code == 1
    found = json.loads(result.out)
    assert {f["file"] for f in found if f["rule"] == "STL002" and f["severity"] == "block"} == unreviewed
    assert {f["file"] for f in found if f["rule"] == "STL003" and f["severity"] == "block"} == expired

    text = run_cli("check", "--site", demo_copy, "--today", LATER.isoformat()).out
    for file in unreviewed | expired:
        assert file in text
        assert str(records[file]["title"]) in text
