"""The secrecy check on the demo site and at build time: a marking or an ID number stops the
build with its rule, file and line, and the previous output stays exactly as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pytest

from conftest import DEPARTMENT_YAML, SITE_YAML, record_text, run_cli, tree_hash

MakeSite = Callable[..., Path]
VALID_ID = "530402199003071234"


def test_demo_has_no_secrecy_findings() -> None:
    root = Path(__file__).resolve().parent.parent
    found = json.loads(run_cli("check", "--site", root, "--format", "json").out)
    assert [f for f in found if f["rule"].startswith("SEC") and f["severity"] == "block"] == []


@pytest.mark.parametrize("body,rule", [("附件：\n\n机密★5年\n", "SEC006"), (f"申请人身份证号{VALID_ID}。\n", "SEC008")])
def test_planted_secret_in_the_demo_is_reported(demo_copy: Path, body: str, rule: str) -> None:
    record = demo_copy / "content/yuxi/zhidu/planted.md"
    text = record_text(
        body, index_no="115304000152800179/2026-09999", publisher="玉溪市人民政府办公室", category="政府信息公开制度"
    )
    record.write_text(text, encoding="utf-8")
    result = run_cli("check", "--site", demo_copy, "--format", "json")
    assert result.code == 1
    line = text.split("\n").index(body.split("\n")[-2] if rule == "SEC006" else body.strip()) + 1
    hits = [(f["file"], f["line"]) for f in json.loads(result.out) if f["rule"] == rule]
    assert hits == [("content/yuxi/zhidu/planted.md", line)]
    assert VALID_ID not in result.out


@pytest.mark.parametrize("body", ["附件：\n\n机密★5年\n", f"申请人身份证号{VALID_ID}。"])
def test_blocked_build_leaves_previous_output_untouched(make_site: MakeSite, body: str) -> None:
    site = make_site({"content/d1/r.md": record_text()})
    assert run_cli("build", "--site", site).code == 0
    before = tree_hash(site / "build")
    (site / "content/d1/r.md").write_text(record_text(body), encoding="utf-8")
    result = run_cli("build", "--site", site)
    assert result.code == 1 and "content/d1/r.md" in result.err
    assert tree_hash(site / "build") == before


def test_output_scan_stops_a_marking_the_sources_do_not_hold(make_site: MakeSite) -> None:
    site = make_site({"content/d1/r.md": record_text()})
    assert run_cli("build", "--site", site).code == 0
    before = tree_hash(site / "build")
    (site / "layouts").mkdir()
    base = (Path(__file__).resolve().parent.parent / "layouts/base.html").read_text(encoding="utf-8")
    (site / "layouts/base.html").write_text(base.replace("</body>", "<p>秘　密★1年</p></body>"), encoding="utf-8")
    result = run_cli("build", "--site", site)
    assert result.code == 1 and "SEC006" in result.err and "生成的输出中" in result.err
    assert tree_hash(site / "build") == before
    assert not list(site.glob(".build.staging-*"))


def test_settings_are_scanned_at_the_source(make_site: MakeSite) -> None:
    site = make_site({"content/d1/r.md": record_text()})
    (site / "site.yaml").write_text(SITE_YAML + "footer: {host: 测试局 秘密★1年}\n", encoding="utf-8")
    result = run_cli("check", "--site", site)
    assert result.code == 1 and "SEC006" in result.out and "site.yaml" in result.out and "footer.host" in result.out
    assert f"site.yaml:{SITE_YAML.count(chr(10)) + 1} " in result.out  # the footer's own line


def test_department_phone_that_looks_like_a_mobile_is_published(make_site: MakeSite) -> None:
    dept = DEPARTMENT_YAML.replace("phone: 0877-0000000", "phone: 13812345678")
    site = make_site({"content/d1/r.md": record_text(), "content/d1/department.yaml": dept})
    assert run_cli("build", "--site", site).code == 0
    assert any("13812345678" in page.read_text(encoding="utf-8") for page in (site / "build").rglob("*.html"))


def test_annual_report_narrative_is_scanned(make_site: Callable[..., Path]) -> None:
    report = (
        "---\npermits: 1\npenalties: 1\ncoercions: 0\nfees: 0\n---\n## 总体情况\n\n本年度工作正常。\n\n密级：机密★5年\n"
    )
    site = make_site({"content/d1/a.md": record_text(), "content/d1/reports/2025.md": report})
    result = run_cli("check", "--site", site, "--format", "json")
    found = [f for f in json.loads(result.out) if f["rule"] == "SEC006"]
    assert result.code == 1 and found and found[0]["file"] == "content/d1/reports/2025.md"
    assert found[0]["line"] == report.splitlines().index("密级：机密★5年") + 1
