"""The procedure rules the seeds write down: each fires on a case built for it, with its Chinese
message, file, line and fix, and stays silent on its near miss.

SEC018 (review opinion against publicity), SEC016 (publicity notes in a body), SEC002 (a withhold
reason citing its basis), STL014 (deadlines by 文种, the 3-day update), STL015 (backdated), STL016
(scheduled), STL017 (规范性文件 keys), STL011/STL018 (补正, 征求意见, 中止), REP004/REP005 (report
sections) and the 收费 total of section 六.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, Callable

from conftest import DEPT_USCC, SITE_YAML, record_text, run_cli
from generator import urls

MakeSite = Callable[..., Path]
TODAY = "2026-11-21"
HEADER = (
    "id,received,applicant,result,closed,extended,reconsideration,litigation,correction_requested,"
    "correction_received,consulted_from,consulted_to,suspended_from,suspended_to,fee\n"
)


def idx(n: int) -> str:
    return f"{DEPT_USCC}/2026-{n:05d}"


def found(site: Path, rule: str, today: str = TODAY) -> list[dict[str, Any]]:
    result = run_cli("check", "--site", site, "--today", today, "--format", "json")
    assert result.code in (0, 1), result.err
    return [f for f in json.loads(result.out) if f["rule"] == rule]


def one(
    make_site: MakeSite, rule: str, body: str = "正文。", today: str = TODAY, **meta: object
) -> list[dict[str, Any]]:
    return found(make_site({"content/d1/a.md": record_text(body, **meta)}), rule, today)


def review(opinion: str) -> str:
    return f"{{drafter: 李明, opinion: {opinion}, checker: 王芳, approver: 赵刚, approved_on: 2026-11-03}}"


# --- SEC018 -------------------------------------------------------------------------------


def test_sec018_a_record_reviewed_as_on_request_published_actively(make_site: MakeSite) -> None:
    hits = one(make_site, "SEC018", review=review("依申请公开"))
    assert len(hits) == 1
    assert hits[0]["severity"] == "block" and hits[0]["file"] == "content/d1/a.md" and hits[0]["line"] == 9
    assert hits[0]["message"] == "保密审查拟定意见为“依申请公开”，但公开属性为“主动公开”：未按审查结论公开"
    assert "publicity 应为依申请公开" in hits[0]["fix"]


def test_sec018_exempt_counts_as_withheld(make_site: MakeSite) -> None:
    assert (
        len(
            one(
                make_site,
                "SEC018",
                review=review("免予公开"),
                publicity="依申请公开",
                withhold_reason="《条例》第二十七条",
                published=None,
            )
        )
        == 1
    )
    assert (
        one(
            make_site,
            "SEC018",
            review=review("免予公开"),
            publicity="不予公开",
            withhold_reason="《条例》第十四条",
            published=None,
        )
        == []
    )


def test_sec018_silent_when_opinion_and_publicity_agree(make_site: MakeSite) -> None:
    assert one(make_site, "SEC018", review=review("主动公开")) == []
    assert (
        one(
            make_site,
            "SEC018",
            review=review("主动公开"),
            publicity="删减后公开",
            withhold_reason="《条例》第三十七条",
            body="名单：［已删减］",
        )
        == []
    )


# --- SEC016 -------------------------------------------------------------------------------


def test_sec016_publicity_notes_written_into_a_body(make_site: MakeSite) -> None:
    body = "此件不公开\n\n此件删减后公开\n\n此件脱密后公开\n\n审查意见：免予公开"
    hits = one(make_site, "SEC016", body=body)
    assert [h["line"] for h in hits] == [11, 13, 15, 17]
    assert [h["message"] for h in hits] == [
        f"正文出现分发或公开属性附注“{note}”" for note in ("此件不公开", "此件删减后公开", "此件脱密后公开", "免予公开")
    ]
    assert all(h["severity"] == "block" and "出现分发或公开属性附注" in h["message"] for h in hits)
    assert "只公开正式文本" in hits[0]["fix"]


def test_sec016_silent_on_the_active_note(make_site: MakeSite) -> None:
    assert one(make_site, "SEC016", body="此件主动公开。予以公开。") == []


# --- SEC002 -------------------------------------------------------------------------------


def test_sec002_a_reason_must_cite_its_basis(make_site: MakeSite) -> None:
    for reason in ("无", "领导认为不宜公开"):
        hits = one(make_site, "SEC002", publicity="依申请公开", withhold_reason=reason, published=None)
        assert len(hits) == 1 and hits[0]["line"] == 9  # the withhold_reason line
        assert f"不予公开理由“{reason}”没有引用《条例》的条款" in hits[0]["message"]
        assert "withhold_bases" in hits[0]["fix"] and hits[0]["severity"] == "block"


def test_sec002_an_article_or_a_site_basis_is_enough(make_site: MakeSite) -> None:
    assert (
        one(
            make_site,
            "SEC002",
            publicity="依申请公开",
            withhold_reason="《中华人民共和国政府信息公开条例》第十五条",
            published=None,
        )
        == []
    )
    assert one(make_site, "SEC002", publicity="依申请公开", withhold_reason="依《条例》第27条", published=None) == []
    site = make_site(
        {
            "site.yaml": SITE_YAML + "withhold_bases: [《中华人民共和国档案法》第二十七条]\n",
            "content/d1/a.md": record_text(
                publicity="依申请公开", published=None, withhold_reason="《中华人民共和国档案法》第二十七条规定的档案"
            ),
        }
    )
    assert found(site, "SEC002") == []


# --- STL014 -------------------------------------------------------------------------------

BY_TYPE = SITE_YAML + "deadlines: {publish_days_by_doc_type: {政策解读: 3}}\n"


def test_stl014_a_type_published_after_its_deadline(make_site: MakeSite) -> None:
    site = make_site(
        {
            "site.yaml": BY_TYPE,
            "content/d1/a.md": record_text(
                doc_type="其他文件",
                written="2026-11-02",
                published="2026-11-06",
                review=review("主动公开").replace("2026-11-03", "2026-11-06"),
            ),
            "content/d1/b.md": record_text(
                index_no=idx(2),
                doc_type="政策解读",
                interprets=idx(1),
                written="2026-11-02",
                published="2026-11-06",
                review=review("主动公开").replace("2026-11-03", "2026-11-06"),
            ),
        }
    )
    hits = found(site, "STL014")
    assert [(h["file"], h["line"]) for h in hits] == [("content/d1/b.md", 7)]
    assert (
        "政策解读应在成文日期后 3 个工作日内发布（2026-11-05 前），发布日期 2026-11-06 晚 1 个工作日"
        == hits[0]["message"]
    )
    assert hits[0]["severity"] == "warn"


def test_stl014_silent_on_the_third_working_day(make_site: MakeSite) -> None:
    site = make_site(
        {
            "site.yaml": BY_TYPE,
            "content/d1/a.md": record_text(doc_type="政策解读", written="2026-11-02", published="2026-11-05"),
        }
    )
    assert found(site, "STL014") == []


def test_stl014_an_active_record_changed_and_not_updated_in_3_working_days(make_site: MakeSite) -> None:
    hits = one(make_site, "STL014", changed="2026-11-16")
    assert len(hits) == 1 and hits[0]["line"] == 10  # the `changed` line, after review
    assert "主动公开的信息内容于 2026-11-16 变化，超过 3 个工作日（2026-11-19）仍未更新发布" in hits[0]["message"]
    assert one(make_site, "STL014", changed="2026-11-18") == []  # due 2026-11-23: not yet


# --- STL015 -------------------------------------------------------------------------------


def git(site: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=site, check=True, capture_output=True
    )


def test_stl015_published_long_before_the_record_entered_the_repository(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/d1/a.md": record_text(
                written="2024-03-01",
                published="2024-03-01",
                review=review("主动公开").replace("2026-11-03", "2024-03-01"),
            ),
            "content/d1/b.md": record_text(
                index_no=idx(2),
                written="2024-03-01",
                published="2024-03-01",
                migrated="true",
                review=review("主动公开").replace("2026-11-03", "2024-03-01"),
            ),
        }
    )
    git(site, "init", "-q")
    git(site, "add", ".")
    git(site, "commit", "-q", "-m", "records")
    hits = found(site, "STL015")
    assert [(h["file"], h["line"], h["severity"]) for h in hits] == [("content/d1/a.md", 7, "warn")]
    assert (
        "发布日期 2024-03-01 比该记录首次提交到仓库的日期" in hits[0]["message"] and "migrated: true" in hits[0]["fix"]
    )


def test_stl015_silent_outside_a_repository(make_site: MakeSite) -> None:
    assert one(make_site, "STL015", written="2024-03-01", published="2024-03-01") == []


# --- STL016 -------------------------------------------------------------------------------


def test_stl016_a_record_published_in_the_future_is_held_out(make_site: MakeSite, tmp_path: Path) -> None:
    later = record_text(
        "明天发布的正文 QZXLATER",
        index_no=idx(2),
        title="下周发布的通知",
        written="2026-11-20",
        published="2026-11-25",
        review=review("主动公开").replace("2026-11-03", "2026-11-20"),
    )
    site = make_site({"content/d1/a.md": record_text(), "content/d1/b.md": later})
    hits = found(site, "STL016")
    assert [(h["file"], h["line"], h["severity"]) for h in hits] == [("content/d1/b.md", 7, "warn")]
    assert "发布日期 2026-11-25 晚于检查日期 2026-11-21" in hits[0]["message"] and "待发布" in hits[0]["message"]
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out, "--today", TODAY).code == 0
    text = "".join(
        p.read_text("utf-8", errors="replace")
        for p in out.rglob("*")
        if p.is_file() and p.suffix in (".html", ".json", ".csv", ".xml")
    )
    assert "下周发布的通知" not in text and "QZXLATER" not in text
    report = tmp_path / "report"
    run_cli("check", "--site", site, "--today", TODAY, "--report", report)
    html = (report / "index.html").read_text("utf-8")
    assert "待发布（STL016）" in html and "下周发布的通知" in html and "2026-11-25" in html
    out2 = tmp_path / "out2"  # on its day it is published
    assert run_cli("build", "--site", site, "--out", out2, "--today", "2026-11-25").code == 0
    assert "下周发布的通知" in (out2 / urls.CATALOGUE_JSON).read_text("utf-8")


def test_stl016_silent_on_the_publication_day(make_site: MakeSite) -> None:
    assert (
        one(make_site, "STL016", published="2026-11-21", review=review("主动公开").replace("2026-11-03", "2026-11-21"))
        == []
    )


# --- STL017 -------------------------------------------------------------------------------


def test_stl017_a_normative_document_without_due_dates_or_number(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site(
        {
            "content/d1/a.md": record_text(doc_type="行政规范性文件", title="关于管理的办法"),
            "content/d1/b.md": record_text(
                index_no=idx(2),
                doc_type="行政规范性文件",
                title="关于清理的规定",
                doc_no="测规〔2026〕1号",
                valid_until="2028-11-03",
            ),
        }
    )
    hits = found(site, "STL017")
    assert [(h["file"], h["line"]) for h in hits] == [("content/d1/a.md", 10), ("content/d1/a.md", 10)]  # doc_type
    assert "没有有效期 valid_until，也没有下次复核日期 next_review" in hits[0]["message"]
    assert "没有文号 doc_no" in hits[1]["message"] and "清理清单" in hits[0]["fix"]
    report = tmp_path / "report"
    run_cli("check", "--site", site, "--today", TODAY, "--report", report)
    html = (report / "index.html").read_text("utf-8")
    assert "行政规范性文件清理清单" in html and "关于管理的办法" in html and "测规〔2026〕1号" in html
    assert "2028-11-03" in html and "（缺文号）" in html


def test_stl017_silent_with_expiry_and_number(make_site: MakeSite) -> None:
    assert one(make_site, "STL017", doc_type="行政规范性文件", doc_no="测规〔2026〕1号", next_review="2027-11-03") == []


# --- STL011, STL018: 补正, 征求意见, 中止 ------------------------------------------------------


def register(*rows: str) -> dict[str, str]:
    return {"content/d1/applications/2026.csv": HEADER + "".join(row + "\n" for row in rows)}


def test_stl011_the_period_runs_again_from_the_corrected_application(make_site: MakeSite) -> None:
    # received 2026-09-01, corrected 2026-09-15: due 20 working days later, 2026-10-19 (国庆 between)
    site = make_site(
        register(
            "A1,2026-09-01,自然人,予以公开,2026-10-16,,,,2026-09-03,2026-09-15,,,,,",
            "A2,2026-09-01,自然人,予以公开,2026-10-16,,,,,,,,,,",
        )
    )
    hits = found(site, "STL011")
    assert [(h["line"], h["severity"]) for h in hits] == [(3, "warn")]  # A2 only: no 补正, due 2026-09-29
    assert "申请 A2 于 2026-09-01 收到" in hits[0]["message"]


def test_stl011_a_period_waiting_for_the_correction_does_not_run(make_site: MakeSite) -> None:
    site = make_site(register("A1,2026-06-01,自然人,,,,,,2026-06-03,,,,,,"))
    assert found(site, "STL011") == []


def test_stl011_consulting_and_suspension_are_not_counted(make_site: MakeSite) -> None:
    # closed on the 22nd working day (2026-10-08): 9 working days consulting or suspended cover the 2 late
    consulted = "A1,2026-09-01,自然人,予以公开,2026-10-08,,,,,,2026-09-07,2026-09-18,,,"
    suspended = "A2,2026-09-01,自然人,予以公开,2026-10-08,,,,,,,,2026-09-07,2026-09-18,"
    late = "A3,2026-09-01,自然人,予以公开,2026-10-08,,,,,,2026-09-07,2026-09-08,,,"
    hits = found(make_site(register(consulted, suspended, late)), "STL011")
    assert [h["line"] for h in hits] == [4]  # A3: one day of consulting does not cover the two late ones
    assert "另有 1 个工作日征求意见或中止，不计入" in hits[0]["message"]


def test_stl018_a_correction_notice_after_7_working_days(make_site: MakeSite) -> None:
    site = make_site(
        register(
            "A1,2026-09-01,自然人,予以公开,2026-09-20,,,,2026-09-11,2026-09-14,,,,,",
            "A2,2026-09-01,自然人,予以公开,2026-09-20,,,,2026-09-10,2026-09-14,,,,,",
        )
    )
    hits = found(site, "STL018")
    assert [(h["file"], h["line"], h["severity"]) for h in hits] == [("content/d1/applications/2026.csv", 2, "warn")]
    assert hits[0]["message"] == (
        "申请 A1 于 2026-09-01 收到，2026-09-11 才通知补正，超过 7 个工作日的期限 2026-09-10，晚 1 个工作日"
    )
    assert "一次性告知" in hits[0]["fix"]


def test_register_fee_that_is_no_number_is_fmt002(make_site: MakeSite) -> None:
    hits = found(make_site(register("A1,2026-09-01,自然人,予以公开,2026-09-20,,,,,,,,,,很多")), "FMT002")
    assert len(hits) == 1 and "收费（fee）应为非负数（元），实际为“很多”" in hits[0]["message"]


# --- REP004, REP005, section 六 ----------------------------------------------------------------

SECTIONS = "## 总体情况\n\n工作正常。\n\n## 存在的主要问题及改进情况\n\n问题。\n"
FIGURES = "---\npermits: 1\npenalties: 0\ncoercions: 0\nfees: 0\n---\n"


def test_rep004_a_report_without_its_problems_section_blocks_after_the_deadline(make_site: MakeSite) -> None:
    report = FIGURES + "## 总体情况\n\n工作正常。\n\n## 存在的主要问题及改进情况\n\n"
    site = make_site({"content/d1/reports/2025.md": report})
    hits = found(site, "REP004")
    assert [(h["file"], h["line"], h["severity"]) for h in hits] == [("content/d1/reports/2025.md", 11, "block")]
    assert hits[0]["message"] == "2025 年度报告的“五、存在的主要问题及改进情况”没有内容（年报发布期限 2026-01-31）"
    assert found(site, "REP004", "2026-01-20")[0]["severity"] == "warn"  # still being written


def test_rep004_silent_with_both_sections(make_site: MakeSite) -> None:
    assert found(make_site({"content/d1/reports/2025.md": FIGURES + SECTIONS}), "REP004") == []


def test_rep005_a_government_report_says_nothing_of_its_results(make_site: MakeSite) -> None:
    government = "level: 县级政府"
    from conftest import DEPARTMENT_YAML

    site = make_site(
        {
            "content/d1/department.yaml": DEPARTMENT_YAML.replace("level: 市直部门", government),
            "content/d1/reports/2025.md": FIGURES + SECTIONS + "\n## 其他需要报告的事项\n\n本年度开展了考核。\n",
        }
    )
    hits = found(site, "REP005")
    assert [(h["line"], h["severity"]) for h in hits] == [(1, "warn")]
    assert hits[0]["message"] == "县级政府的 2025 年度报告没有说明社会评议、责任追究结果情况（《条例》第五十条）"
    assert "考核、社会评议和责任追究" in hits[0]["fix"]
    (site / "content/d1/reports/2025.md").write_text(
        FIGURES + SECTIONS + "\n## 其他需要报告的事项\n\n考核、社会评议和责任追究结果情况：无。\n", encoding="utf-8"
    )
    assert found(site, "REP005") == []


def test_rep005_silent_for_a_department(make_site: MakeSite) -> None:
    assert found(make_site({"content/d1/reports/2025.md": FIGURES + SECTIONS}), "REP005") == []


def test_fees_charged_are_totalled_in_section_six(make_site: MakeSite, tmp_path: Path) -> None:
    rows = (
        HEADER + "A1,2025-03-01,自然人,予以公开,2025-03-10,,,,,,,,,,12.5\n"
        "A2,2025-04-01,自然人,予以公开,2025-04-10,,,,,,,,,,30\n"
        "A3,2025-12-20,自然人,,,,,,,,,,,,100\n"
    )  # still open at the year's end: not this year's
    site = make_site(
        {
            "content/d1/reports/2025.md": FIGURES + SECTIONS,
            "content/d1/applications/2025.csv": rows,
            "content/d1/a.md": record_text(),
        }
    )
    out = tmp_path / "report.html"
    assert run_cli("report", "--site", site, "--dept", "d1", "--year", "2025", "--out", out).code == 0
    html = out.read_text("utf-8")
    six = html[html.index("六、其他需要报告的事项") :]
    assert "本年度依申请提供政府信息收取信息处理费 42.5 元" in six


def test_stl015_imported_records_are_marked_migrated(make_site: MakeSite, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("标题,成文日期,发布日期\n关于甲的通知,2019-03-01,2019-03-02\n", encoding="utf-8")
    site = make_site({})
    result = run_cli(
        "import",
        export,
        "--site",
        site,
        "--dept",
        "d1",
        "--review",
        "李明,王芳,赵刚",
        "--category-default",
        "法定主动公开内容/通知公告",
    )
    assert result.code == 0, result.out + result.err
    (record,) = (site / "content/d1").glob("2019-*.md")
    assert "\nmigrated: true\n" in record.read_text("utf-8")
    git(site, "init", "-q")
    git(site, "add", ".")
    git(site, "commit", "-q", "-m", "import")
    assert found(site, "STL015") == []
