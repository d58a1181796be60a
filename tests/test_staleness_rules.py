"""Each STL rule fires on a case built for it and stays silent on its near miss.

Working-day arithmetic in these cases follows the official 2025/2026 arrangements; the
check date is 2026-11-21 (a Saturday) unless a case says otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import DEPARTMENT_YAML, DEPT_USCC, record_text, run_cli

MakeSite = Callable[..., Path]
TODAY = "2026-11-21"
ALL_RULES_ON = "title: 测试站点\n"


def idx(n: int) -> str:
    return f"{DEPT_USCC}/2026-{n:05d}"


def rec(n: int = 1, **meta: object) -> str:
    """A record whose secrecy review was approved on its own publication day."""
    published = meta.get("published", "2026-11-03")
    review = f"{{drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: {published or meta.get('written')}}}"
    return record_text(**{"index_no": idx(n), "review": review, **meta})


def stl(site: Path, rule: str, today: str = TODAY) -> list[dict[str, Any]]:
    result = run_cli("check", "--site", site, "--today", today, "--format", "json")
    assert result.code in (0, 1), result.err
    return [f for f in json.loads(result.out) if f["rule"] == rule]


def one(make_site: MakeSite, rule: str, today: str = TODAY, **meta: object) -> list[dict[str, Any]]:
    return stl(make_site({"content/d1/a.md": rec(**meta)}), rule, today)


# --- STL001 late publication ---------------------------------------------------------------


def test_stl001_published_on_the_21st_working_day(make_site: MakeSite) -> None:
    found = one(make_site, "STL001", written="2025-09-26", published="2025-10-31")
    assert len(found) == 1
    assert found[0]["severity"] == "warn" and found[0]["file"] == "content/d1/a.md"
    assert found[0]["line"] == 7  # the `published` line
    assert "2025-10-30" in found[0]["message"] and found[0]["fix"]


def test_stl001_silent_on_the_20th_working_day(make_site: MakeSite) -> None:
    assert one(make_site, "STL001", written="2025-09-26", published="2025-10-30") == []


def test_stl001_counts_from_the_last_change_before_publication(make_site: MakeSite) -> None:
    assert one(make_site, "STL001", written="2024-01-05", changed="2026-10-20", published="2026-10-22") == []


def test_stl001_change_not_republished(make_site: MakeSite) -> None:
    late = one(make_site, "STL001", written="2026-01-05", published="2026-01-06", changed="2026-10-01")
    assert [f["line"] for f in late] == [10]  # the `changed` line
    assert one(make_site, "STL001", written="2026-01-05", published="2026-01-06", changed="2026-11-10") == []


def test_stl001_limit_and_severity_are_site_settings(make_site: MakeSite) -> None:
    site = make_site(
        {
            "site.yaml": "title: t\nrules: {STL001: block, STL008: 'off', STL010: 'off'}\n",
            "content/d1/a.md": rec(written="2025-09-26", published="2025-10-31"),
        }
    )
    assert [f["severity"] for f in stl(site, "STL001")] == ["block"]
    assert run_cli("check", "--site", site, "--today", TODAY).code == 1
    (site / "site.yaml").write_text(
        "title: t\nrules: {STL008: 'off', STL010: 'off'}\ndeadlines: {publish_days: 21}\n", encoding="utf-8"
    )
    assert stl(site, "STL001") == []


# --- STL002 unreviewed, STL003 expired ------------------------------------------------------


def test_stl002_next_review_passed(make_site: MakeSite) -> None:
    found = one(make_site, "STL002", next_review="2026-11-20")
    assert [(f["severity"], f["line"]) for f in found] == [("block", 10)]
    assert one(make_site, "STL002", next_review="2026-11-21") == []


def test_stl002_silent_on_a_repealed_record(make_site: MakeSite) -> None:
    assert one(make_site, "STL002", next_review="2026-01-01", status="已废止", status_date="2026-11-10") == []


def test_stl003_expired_but_still_in_force(make_site: MakeSite) -> None:
    assert [f["severity"] for f in one(make_site, "STL003", valid_until="2026-11-20")] == ["block"]
    assert one(make_site, "STL003", valid_until="2026-11-21") == []
    assert one(make_site, "STL003", valid_until="2026-11-20", status="已失效", status_date="2026-11-20") == []


# --- STL004 status history ------------------------------------------------------------------


def test_stl004_ended_without_status_date(make_site: MakeSite) -> None:
    assert len(one(make_site, "STL004", status="已废止")) == 1
    assert one(make_site, "STL004", status="已废止", status_date="2026-11-10") == []


def test_stl004_superseded_by_nowhere(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": rec(1, superseded_by=idx(9)), "content/d1/b.md": rec(2)})
    assert [f["file"] for f in stl(site, "STL004")] == ["content/d1/a.md"]
    (site / "content/d1/a.md").write_text(rec(1, superseded_by=idx(2)), encoding="utf-8")
    assert stl(site, "STL004") == []


# --- STL005 interpretations -----------------------------------------------------------------

POLICY = dict(
    title="关于印发某办法的通知",
    doc_type="行政规范性文件",
    category="法定主动公开内容/政策文件/行政规范性文件",
    written="2026-10-30",
    published="2026-11-02",
)


def interpretation(published: str, target: str = idx(1)) -> str:
    return rec(
        2,
        title="《某办法》政策解读",
        doc_type="政策解读",
        category="法定主动公开内容/政策解读",
        written="2026-11-02",
        published=published,
        interprets=target,
    )


def test_stl005_interpretation_four_working_days_late(make_site: MakeSite) -> None:
    site = make_site({"content/d1/p.md": rec(1, **POLICY), "content/d1/j.md": interpretation("2026-11-06")})
    assert [(f["file"], f["severity"]) for f in stl(site, "STL005")] == [("content/d1/j.md", "block")]
    (site / "content/d1/j.md").write_text(interpretation("2026-11-05"), encoding="utf-8")
    assert stl(site, "STL005") == []


def test_stl005_interprets_nowhere(make_site: MakeSite) -> None:
    site = make_site({"content/d1/p.md": rec(1, **POLICY), "content/d1/j.md": interpretation("2026-11-03", idx(7))})
    assert len(stl(site, "STL005")) == 1


def test_stl005_required_interpretation_missing(make_site: MakeSite) -> None:
    required = "title: t\nrules: {STL008: 'off', STL010: 'off'}\ndeadlines: {require_interpretation: true}\n"
    site = make_site({"site.yaml": required, "content/d1/p.md": rec(1, **POLICY)})
    assert [f["file"] for f in stl(site, "STL005")] == ["content/d1/p.md"]
    (site / "content/d1/j.md").write_text(interpretation("2026-11-03"), encoding="utf-8")
    assert stl(site, "STL005") == []


def test_stl005_interpretation_optional_by_default(make_site: MakeSite) -> None:
    assert stl(make_site({"content/d1/p.md": rec(1, **POLICY)}), "STL005") == []


# --- STL006 enforcement results -------------------------------------------------------------

RESULT = dict(doc_type="执法结果", category="法定主动公开内容/执法结果")


def test_stl006_no_result_for_a_month(make_site: MakeSite) -> None:
    late = one(make_site, "STL006", written="2026-10-19", published="2026-10-20", **RESULT)
    assert [f["severity"] for f in late] == ["block"]
    assert one(make_site, "STL006", written="2026-10-19", published="2026-10-21", **RESULT) == []


def test_stl006_low_enforcement_has_two_months(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/d1/department.yaml": DEPARTMENT_YAML + "low_enforcement: true\n",
            "content/d1/a.md": rec(written="2026-09-20", published="2026-09-21", **RESULT),
        }
    )
    assert stl(site, "STL006") == []
    assert len(stl(site, "STL006", today="2026-11-22")) == 1


def test_stl006_last_years_results_current_after_january(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/d1/old.md": rec(1, written="2026-12-18", published="2026-12-20", **RESULT),
            "content/d1/new.md": rec(2, written="2027-01-22", published="2027-01-25", **RESULT),
        }
    )
    assert stl(site, "STL006", today="2027-01-31") == []
    assert [f["file"] for f in stl(site, "STL006", today="2027-02-01")] == ["content/d1/old.md"]
    (site / "content/d1/old.md").write_text(
        rec(1, written="2026-12-18", published="2026-12-20", status="已失效", status_date="2027-01-05", **RESULT),
        encoding="utf-8",
    )
    assert stl(site, "STL006", today="2027-02-01") == []


# --- STL007 stale columns, STL008 empty columns ---------------------------------------------


def test_stl007_column_not_updated_in_six_months(make_site: MakeSite) -> None:
    late = one(make_site, "STL007", written="2026-04-30", published="2026-05-20")
    assert [(f["severity"], f["file"]) for f in late] == [("block", "content/d1/a.md")]
    assert "法定主动公开内容/通知公告" in late[0]["message"]
    assert one(make_site, "STL007", written="2026-04-30", published="2026-05-22") == []


def test_stl007_parent_freshness_applies_to_its_leaves(make_site: MakeSite) -> None:
    rule = dict(category="法定主动公开内容/政策文件/规章", doc_type="其他文件", written="2026-04-30")
    assert len(one(make_site, "STL007", published="2026-05-20", **rule)) == 1
    assert one(make_site, "STL007", published="2026-05-22", **rule) == []


def test_stl008_mandatory_column_empty(make_site: MakeSite) -> None:
    # The default taxonomy requires 机构职能, 财政信息 and 工作动态 of every level.
    files = {
        "site.yaml": ALL_RULES_ON,
        "content/d1/a.md": rec(1, category="法定主动公开内容/机构职能"),
        "content/d1/b.md": rec(2, category="法定主动公开内容/财政信息"),
        "content/d1/c.md": rec(
            3, category="法定主动公开内容/工作动态", publicity="不予公开", withhold_reason="《条例》第十六条"
        ),
    }
    site = make_site(files)
    empty = stl(site, "STL008")
    assert [(f["file"], f["line"]) for f in empty] == [("content/d1/department.yaml", 3)]
    assert "工作动态" in empty[0]["message"]
    (site / "content/d1/c.md").write_text(
        rec(3, category="法定主动公开内容/工作动态", published="2026-11-20"), encoding="utf-8"
    )
    assert stl(site, "STL008") == []


# --- STL009 guide, STL010 annual report -----------------------------------------------------


def test_stl009_guide_reviewed_more_than_a_year_ago(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": rec()})  # department reviewed 2026-11-01
    assert [(f["severity"], f["line"]) for f in stl(site, "STL009", today="2027-11-02")] == [("warn", 10)]
    assert stl(site, "STL009", today="2027-11-01") == []


def test_stl010_department_report_due_january_31(make_site: MakeSite) -> None:
    site = make_site({"site.yaml": ALL_RULES_ON, "content/d1/a.md": rec()})
    missing = stl(site, "STL010", today="2026-02-01")
    assert [(f["severity"], f["file"]) for f in missing] == [("block", "content/d1/department.yaml")]
    assert "content/d1/reports/2025.md" in missing[0]["message"]
    assert stl(site, "STL010", today="2026-01-31") == []
    (site / "content/d1/reports").mkdir()
    (site / "content/d1/reports/2025.md").write_text("---\npermits: 1\n---\n## 总体情况\n\n正文。\n", encoding="utf-8")
    assert stl(site, "STL010", today="2026-02-01") == []


def test_stl010_government_report_due_march_31(make_site: MakeSite) -> None:
    government = DEPARTMENT_YAML.replace("level: 市直部门", "level: 县级政府")
    site = make_site({"site.yaml": ALL_RULES_ON, "content/d1/department.yaml": government, "content/d1/a.md": rec()})
    assert stl(site, "STL010", today="2026-03-31") == []
    assert len(stl(site, "STL010", today="2026-04-01")) == 1


# --- STL012 regulations updated late --------------------------------------------------------


def test_stl012_changed_regulation_not_republished(make_site: MakeSite) -> None:
    rule = dict(
        doc_type="规章", category="法定主动公开内容/政策文件/规章", written="2026-10-01", published="2026-10-09"
    )
    late = one(make_site, "STL012", changed="2026-11-10", **rule)
    assert [(f["severity"], f["line"]) for f in late] == [("warn", 10)]  # the `changed` line
    assert one(make_site, "STL012", changed="2026-11-19", **rule) == []  # due 2026-11-24


# --- STL013 years the calendar cannot vouch for --------------------------------------------


def test_stl013_once_per_unknown_year(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/d1/a.md": rec(1, written="2050-01-04", published="2050-01-05"),
            "content/d1/b.md": rec(2, written="2050-01-05", published="2050-01-06"),
        }
    )
    found = stl(site, "STL013", today="2050-02-01")
    assert [(f["severity"], f["file"]) for f in found] == [("warn", "site.yaml")]
    assert "2050" in found[0]["message"] and "content/d1/a.md" in found[0]["message"]


def test_stl013_silent_when_site_yaml_adds_the_year(make_site: MakeSite) -> None:
    site = make_site(
        {
            "site.yaml": "title: t\nrules: {STL008: 'off', STL010: 'off'}\n"
            "calendar: {holidays: [2050-01-03], workdays: [2050-01-09]}\n",
            "content/d1/a.md": rec(1, written="2050-01-04", published="2050-01-05"),
        }
    )
    assert stl(site, "STL013", today="2050-02-01") == []
    assert stl(site, "STL013", today="2026-11-21") == []


@pytest.mark.parametrize("published", ["2026-11-03"])
def test_a_clean_record_has_no_staleness_findings(make_site: MakeSite, published: str) -> None:
    result = run_cli(
        "check",
        "--site",
        make_site({"content/d1/a.md": rec(published=published)}),
        "--today",
        TODAY,
        "--format",
        "json",
    )
    assert [f for f in json.loads(result.out) if f["rule"].startswith("STL")] == []
