"""STL011: replies to applications within 20 working days (40 when extended), read from the register."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from conftest import run_cli

MakeSite = Callable[..., Path]
HEADER = "id,received,applicant,result,closed,extended,reconsideration,litigation\n"


def stl011(site: Path, today: str = "2026-11-21") -> list[dict[str, Any]]:
    result = run_cli("check", "--site", site, "--today", today, "--format", "json")
    assert result.code in (0, 1), result.err
    return [f for f in json.loads(result.out) if f["rule"] == "STL011"]


def register(make_site: MakeSite, *rows: str, year: int = 2025) -> Path:
    return make_site({f"content/d1/applications/{year}.csv": HEADER + "".join(row + "\n" for row in rows)})


def test_answered_on_the_21st_working_day(make_site: MakeSite) -> None:
    # 20 working days after 2025-09-26 is 2025-10-30 (国庆中秋 8 days off, 9-28 and 10-11 worked).
    site = register(
        make_site, "A1,2025-09-26,自然人,予以公开,2025-10-31,,,", "A2,2025-09-26,自然人,予以公开,2025-10-30,,,"
    )
    found = stl011(site)
    assert [(f["file"], f["line"], f["severity"]) for f in found] == [("content/d1/applications/2025.csv", 2, "warn")]
    assert "A1" in found[0]["message"]


def test_extension_gives_forty_working_days(make_site: MakeSite) -> None:
    assert stl011(register(make_site, "A1,2025-09-26,自然人,予以公开,2025-11-20,是,,")) == []
    assert len(stl011(register(make_site, "A1,2025-09-26,自然人,予以公开,2025-11-20,,,"))) == 1


def test_still_open_past_the_period(make_site: MakeSite) -> None:
    # 2026: 10-1..10-7 off, Saturday 10-10 worked → 20 working days after 10-09 is 11-05.
    site = register(make_site, "A1,2026-10-09,商业企业,,,,,", year=2026)
    assert len(stl011(site, today="2026-11-06")) == 1
    assert stl011(site, today="2026-11-05") == []


def test_a_carried_over_application_counts_once(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/d1/applications/2025.csv": HEADER + "A9,2025-12-20,自然人,,,,,\n",
            "content/d1/applications/2026.csv": HEADER + "A9,2025-12-20,自然人,予以公开,2026-01-30,,,\n",
        }
    )
    found = stl011(site)
    assert [f["file"] for f in found] == ["content/d1/applications/2026.csv"]
