"""`content/<dept>/reports/<year>.md` is the annual report, which is public. A file there whose
front matter says a 公开属性 other than 主动公开, or carries a key only a record has, is a record put
in the wrong folder: REP006 blocks and nothing of it is published (not even with the rule off).
Raw HTML in a report's narrative, an HTML comment included, is FMT008 as in a record's body."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from conftest import DEPT_USCC, SITE_YAML, record_text, run_cli

MakeSite = Callable[..., Path]
FIGURES = "---\npermits: 1\npenalties: 0\ncoercions: 0\nfees: 0\npublished: 2026-01-20\n---\n"
SECTIONS = "## 总体情况\n\n本年度工作正常。\n\n## 存在的主要问题及改进情况\n\n无。\n"
HEADER = "id,received,applicant,result,closed,extended,reconsideration,litigation\n"
BASE = {"content/d1/a.md": record_text(), "content/d1/applications/2025.csv": HEADER}


def check(site: Path) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.code in (0, 1), result.err
    return result.code, json.loads(result.out)


def of(findings: list[dict[str, Any]], rule: str) -> list[tuple[str, int, str]]:
    return [(f["file"], f["line"], f["severity"]) for f in findings if f["rule"] == rule]


def output_text(site: Path) -> str:
    return "".join(p.read_text("utf-8", errors="replace") for p in (site / "build").rglob("*") if p.is_file())


def test_a_withheld_record_saved_as_a_report_blocks_and_is_never_published(make_site: MakeSite) -> None:
    withheld = record_text(
        SECTIONS.replace("本年度工作正常", "内部情况zqbodyzq"),
        index_no=f"{DEPT_USCC}/2025-00009",
        title="内部审查表zqtitlezq",
        publicity="不予公开",
        withhold_reason="《中华人民共和国政府信息公开条例》第十六条",
        published=None,
    )
    site = make_site({**BASE, "content/d1/reports/2025.md": withheld})
    code, findings = check(site)
    assert code == 1
    assert of(findings, "REP006") == [("content/d1/reports/2025.md", 2, "block")]  # the first record key
    (found,) = [f for f in findings if f["rule"] == "REP006"]
    assert "不予公开" in found["message"] and "index_no" in found["message"] and found["fix"]
    assert run_cli("build", "--site", site).code == 1 and not (site / "build").exists()
    exported = run_cli("report", "--site", site, "--dept", "d1", "--year", "2025", "--out", site / "r.html")
    assert exported.code == 2 and "REP006" in exported.err and not (site / "r.html").exists()

    # even with the rule switched off, the file is no report: nothing of it reaches the output
    (site / "site.yaml").write_text(SITE_YAML.replace("{STL008", "{REP006: 'off', STL008"), encoding="utf-8")
    build = run_cli("build", "--site", site)
    assert build.code == 0, build.err[-2000:]
    assert not (site / "build/d1/reports/2025.html").exists()
    assert not (site / "build/d1/reports/2025-report.docx").exists()
    text = output_text(site)
    assert "zqbodyzq" not in text and "zqtitlezq" not in text


def test_publicity_or_a_record_key_in_a_real_report(make_site: MakeSite) -> None:
    withheld = FIGURES.replace("fees: 0\n", "fees: 0\npublicity: 不予公开\n")
    site = make_site({**BASE, "content/d1/reports/2025.md": withheld + SECTIONS})
    code, findings = check(site)
    assert code == 1 and of(findings, "REP006") == [("content/d1/reports/2025.md", 6, "block")]

    reason = FIGURES.replace("fees: 0\n", "fees: 0\nwithhold_reason: 第十六条\n")
    (site / "content/d1/reports/2025.md").write_text(reason + SECTIONS, encoding="utf-8")
    code, findings = check(site)
    assert code == 1 and of(findings, "REP006") == [("content/d1/reports/2025.md", 6, "block")]

    empty = FIGURES.replace("fees: 0\n", "fees: 0\npublicity:\n")
    (site / "content/d1/reports/2025.md").write_text(empty + SECTIONS, encoding="utf-8")
    code, findings = check(site)
    assert code == 1 and of(findings, "REP006") == [("content/d1/reports/2025.md", 6, "block")]

    # a key that reads as a record's (schema.key_skeleton): its 中文名, another case, a full-width space
    for written in ("公开属性: 不予公开", "Publicity: 依申请公开", "publicity\u3000: 不予公开", "索引号: 第十六条"):
        lookalike = FIGURES.replace("fees: 0\n", f"fees: 0\n{written}\n")
        (site / "content/d1/reports/2025.md").write_text(lookalike + SECTIONS, encoding="utf-8")
        code, findings = check(site)
        assert code == 1 and of(findings, "REP006") == [("content/d1/reports/2025.md", 6, "block")], written

    # 主动公开 is what a report is: only the unknown key's warning, the report is built
    public = FIGURES.replace("fees: 0\n", "fees: 0\npublicity: 主动公开\n")
    (site / "content/d1/reports/2025.md").write_text(public + SECTIONS, encoding="utf-8")
    code, findings = check(site)
    assert code == 0 and of(findings, "REP006") == []
    assert of(findings, "FMT002") == [("content/d1/reports/2025.md", 6, "warn")]


def test_raw_html_in_a_report_narrative_is_fmt008(make_site: MakeSite) -> None:
    body = SECTIONS.replace("本年度工作正常。", "本年度工作正常。\n\n<!-- 内部意见zqcommentzq -->\n\n<b>加粗</b>文字。")
    site = make_site({**BASE, "content/d1/reports/2025.md": FIGURES + body})
    code, findings = check(site)
    assert code == 1
    # the comment on line 12; <b> and </b> on line 14, each reported as in a record's body
    assert sorted(set(of(findings, "FMT008"))) == [
        ("content/d1/reports/2025.md", 12, "block"),
        ("content/d1/reports/2025.md", 14, "block"),
    ]
    assert any("zqcommentzq" in f["message"] for f in findings if f["rule"] == "FMT008")
    assert run_cli("build", "--site", site).code == 1 and not (site / "build").exists()

    clean = SECTIONS.replace("本年度工作正常。", "本年度 1 < 2，`<b>` 写在代码中不算。")
    (site / "content/d1/reports/2025.md").write_text(FIGURES + clean, encoding="utf-8")
    code, findings = check(site)
    assert code == 0 and of(findings, "FMT008") == [], findings
