"""FMT001–FMT008: each rule fires on a case built for it and stays silent on its near-miss."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pytest

from conftest import DEPT_USCC, SITE_YAML, record_text, run_cli

MakeSite = Callable[..., Path]


def line_of(text: str, key: str) -> int:
    """1-based line of `key:` in a record text."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(key + ":"))


def findings(site: Path, rule: str | None = None) -> list[dict[str, object]]:
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.code in (0, 1), result.err
    items = json.loads(result.out)
    return [f for f in items if rule is None or f["rule"] == rule]


def test_valid_record_has_no_format_findings(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text()})
    assert [f for f in findings(site) if str(f["rule"]).startswith("FMT")] == []


# --- FMT001: front matter that does not parse -----------------------------------------

YAML_ERROR_ON_LINE_7 = """---
index_no: 11530400MB0000001N/2026-00001
title: 关于测试工作的通知
category: 法定主动公开内容/通知公告
publisher: 测试局
written: 2026-11-02
published: [2026-11-03
publicity: 主动公开
---
正文。
"""


def test_fmt001_yaml_error_reports_the_line_in_the_record_file(make_site: MakeSite) -> None:
    lines = YAML_ERROR_ON_LINE_7.splitlines()
    assert lines[6].startswith("published: [")  # the fault stands on line 7 of the file
    site = make_site({"content/d1/a.md": YAML_ERROR_ON_LINE_7})
    result = run_cli("check", "--site", site)
    assert result.code == 1
    assert "content/d1/a.md:7" in result.out
    (found,) = findings(site, "FMT001")
    assert found["file"] == "content/d1/a.md" and found["line"] == 7


def test_fmt001_build_leaves_previous_output_untouched(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text()})
    assert run_cli("build", "--site", site).code == 0
    before = {p: p.read_bytes() for p in (site / "build").rglob("*") if p.is_file()}
    (site / "content/d1/a.md").write_text(YAML_ERROR_ON_LINE_7, encoding="utf-8")
    result = run_cli("build", "--site", site)
    assert result.code == 1
    after = {p: p.read_bytes() for p in (site / "build").rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.parametrize(
    "text, line",
    [
        ("没有前置元数据的正文\n", 1),
        ("---\ntitle: 未闭合\n正文\n", 1),
        ("---\n- 列表\n- 不是映射\n---\n正文\n", 2),
    ],
)
def test_fmt001_missing_or_malformed_front_matter(make_site: MakeSite, text: str, line: int) -> None:
    site = make_site({"content/d1/a.md": text})
    (found,) = findings(site, "FMT001")
    assert found["line"] == line


def test_fmt001_non_utf8_file_is_a_finding_not_a_crash(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text().encode("gbk")})
    (found,) = findings(site, "FMT001")
    assert "UTF-8" in str(found["message"])


def test_fmt001_a_broken_record_does_not_hide_the_others(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/d1/a.md": YAML_ERROR_ON_LINE_7,
            "content/d1/b.md": record_text(index_no=f"{DEPT_USCC}/2026-00002", doc_no="测发[2026]1号"),
        }
    )
    rules = {f["rule"] for f in findings(site)}
    assert {"FMT001", "FMT004"} <= rules


# --- FMT002: required keys, types, enumerations, unknown keys ---------------------------


def test_fmt002_missing_required_key(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text(title=None)})
    (found,) = findings(site, "FMT002")
    assert "title" in str(found["message"]) and found["severity"] == "block"


def test_fmt002_published_required_for_public_records_only(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text(published=None)})
    assert any("published" in str(f["message"]) for f in findings(site, "FMT002"))
    site = make_site(
        {
            "content/d1/a.md": record_text(
                published=None, publicity="依申请公开", withhold_reason="《中华人民共和国政府信息公开条例》第十五条"
            )
        }
    )
    assert findings(site, "FMT002") == []


@pytest.mark.parametrize(
    "key, value",
    [
        ("status", "作废"),
        ("doc_type", "小说"),
        ("written", "去年"),
        ("attachments", "a.pdf"),
        ("review", "已审"),
        ("summary", "长" * 101),
    ],
)
def test_fmt002_wrong_type_or_value(make_site: MakeSite, key: str, value: str) -> None:
    site = make_site({"content/d1/a.md": record_text(**{key: value})})
    found = findings(site, "FMT002")
    assert found and all(f["severity"] == "block" for f in found)
    assert found[0]["line"] == line_of(record_text(**{key: value}), key)


@pytest.mark.parametrize(
    ("published", "shown"),
    [("9999-12-31T23:00:00-05:00", "9999-12-31T23:00:00-05:00"), ("去年", "去年")],
)
def test_fmt002_a_date_that_is_no_date_is_shown_as_written(make_site: MakeSite, published: str, shown: str) -> None:
    """YAML reads a date with a time as a Python datetime (here one past the calendar's end once
    made UTC): the clerk reads the value back as written, not as Python prints it
    (datetime.datetime(9999, 12, 31, 23, 0, tzinfo=…))."""
    site = make_site({"content/d1/a.md": record_text(published=published)})
    (found,) = [f for f in findings(site, "FMT002") if "published" in str(f["message"])]
    assert f"published 不是有效日期：“{shown}”" in str(found["message"])
    assert "datetime" not in str(found["message"]) and "'" not in str(found["message"])


def test_fmt002_unknown_key_only_warns(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text(titel="拼错的键")})
    (found,) = findings(site, "FMT002")
    assert found["severity"] == "warn" and "titel" in str(found["message"])
    assert run_cli("check", "--site", site).code == 0


def test_fmt002_site_can_switch_a_rule_off(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/d1/a.md": record_text(titel="拼错的键"),
            "site.yaml": "today: 2026-11-21\nrules:\n  FMT002: off\n  STL008: off\n  STL010: off\n",
        }
    )
    assert findings(site, "FMT002") == []


def test_fmt002_department_yaml_required_keys(make_site: MakeSite) -> None:
    site = make_site({"content/d1/department.yaml": "name: 测试局\n", "content/d1/a.md": record_text()})
    missing = {str(f["message"]) for f in findings(site, "FMT002") if f["file"] == "content/d1/department.yaml"}
    assert any("uscc" in m for m in missing) and any("phone" in m for m in missing)


# --- FMT003: index numbers --------------------------------------------------------------


@pytest.mark.parametrize(
    "index_no",
    [
        f"{DEPT_USCC}/2026-001",  # serial shorter than 5 digits
        f"{DEPT_USCC}-2026-00001",  # wrong separator
        "11530400MB00000010/2026-00001",  # check character fails
    ],
)
def test_fmt003_malformed_index_no(make_site: MakeSite, index_no: str) -> None:
    site = make_site({"content/d1/a.md": record_text(index_no=index_no)})
    assert findings(site, "FMT003")


def test_fmt003_duplicate_index_no(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text(), "content/d1/b.md": record_text()})
    (found,) = findings(site, "FMT003")
    assert "重复" in str(found["message"])


def test_fmt003_index_no_with_letter_coded_uscc_passes(make_site: MakeSite) -> None:
    # A code whose registration authority is a letter (python-stdnum's validate rejects these).
    from stdnum.cn import uscc

    code = "Y153040000000000"
    code += "1"
    code += uscc.calc_check_digit(code)
    site = make_site(
        {
            "content/d1/department.yaml": (
                f"name: 测试局\nuscc: {code}\nlevel: 市直部门\noffice: 办公室\naddress: 路1号\n"
                "office_hours: 工作日\nphone: 0877-0000000\nsupervision: 12345\nowners: [a@b.cn]\nreviewed: 2026-11-01\n"
            ),
            "content/d1/a.md": record_text(index_no=f"{code}/2026-00001"),
        }
    )
    assert findings(site, "FMT003") == []


# --- FMT004: 文号 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc_no", ["玉政办发[2019]20号", "玉政办发（2019）20号", "玉政办发(2019)20号", "玉政办发【2019】20号"]
)
def test_fmt004_year_not_in_hexagonal_brackets(make_site: MakeSite, doc_no: str) -> None:
    text = record_text(doc_no=doc_no)
    site = make_site({"content/d1/a.md": text})
    (found,) = findings(site, "FMT004")
    assert found["line"] == line_of(text, "doc_no")


@pytest.mark.parametrize("doc_no", ["玉政办发〔2019〕20号", "财政部公告2015年第3号", "国务院令第711号"])
def test_fmt004_valid_doc_numbers(make_site: MakeSite, doc_no: str) -> None:
    site = make_site({"content/d1/a.md": record_text(doc_no=doc_no)})
    assert findings(site, "FMT004") == []


# --- FMT005: taxonomy ---------------------------------------------------------------------


def test_fmt005_unknown_category_and_topic(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text(category="法定主动公开内容/不存在的栏目", topic="外星")})
    assert len(findings(site, "FMT005")) == 2


def test_fmt005_category_must_be_a_leaf(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text(category="法定主动公开内容")})
    assert findings(site, "FMT005")


def test_fmt005_known_topic_passes(make_site: MakeSite) -> None:
    site = make_site(
        {"content/d1/a.md": record_text(topic="政务公开"), "site.yaml": SITE_YAML + "topics: [政务公开]\n"}
    )
    assert findings(site, "FMT005") == []


# --- FMT006: dates in order ------------------------------------------------------------


def test_fmt006_published_before_written(make_site: MakeSite) -> None:
    text = record_text(written="2026-11-05", published="2026-11-03")
    site = make_site({"content/d1/a.md": text})
    (found,) = findings(site, "FMT006")
    assert found["line"] == line_of(text, "published")


def test_fmt006_same_day_is_in_order(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text(written="2026-11-03", published="2026-11-03 10:00")})
    assert findings(site, "FMT006") == []


# --- FMT007: links and attachments ------------------------------------------------------


def test_fmt007_link_to_missing_record_and_attachment(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text(body="见[另一文件](nope.md)。", attachments="[缺失.pdf]")})
    assert len(findings(site, "FMT007")) == 2


def test_fmt007_attachment_path_leaving_its_folder(make_site: MakeSite) -> None:
    site = make_site(
        {"content/d1/a.md": record_text(attachments="['../../../site.yaml']"), "content/d1/a.files/ok.pdf": b"%PDF-1.4"}
    )
    (found,) = findings(site, "FMT007")
    assert "超出" in str(found["message"])


def test_fmt007_link_leaving_the_content_tree(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text(body="[配置](../../site.yaml)")})
    assert findings(site, "FMT007")


def test_fmt007_valid_links_pass(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/d1/a.md": record_text(
                body="见[另一文件](sub/b.md)和[附件](a.files/x.txt)。", attachments="[x.txt]"
            ),
            "content/d1/a.files/x.txt": "附件",
            "content/d1/sub/b.md": record_text(index_no=f"{DEPT_USCC}/2026-00002"),
        }
    )
    assert findings(site, "FMT007") == []


# --- FMT008: raw HTML ---------------------------------------------------------------------


def test_fmt008_raw_html_in_body_with_its_line(make_site: MakeSite) -> None:
    text = record_text(body="第一段。\n\n<script>alert(1)</script>\n")
    site = make_site({"content/d1/a.md": text})
    (found,) = findings(site, "FMT008")
    assert found["line"] == text.splitlines().index("<script>alert(1)</script>") + 1


def test_fmt008_angle_brackets_in_code_and_autolinks_pass(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text(body="见 <https://www.gov.cn/> 与 `<b>` 以及 1 < 2。")})
    assert findings(site, "FMT008") == []


@pytest.mark.parametrize("value", ["2025-02-30", "2025-13-01", "2025-00-10"])
def test_a_date_that_does_not_exist_is_fmt001_at_its_line_not_a_crash(make_site: MakeSite, value: str) -> None:
    text = record_text(written=value)
    site = make_site({"content/d1/a.md": text})
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.code == 1, result.err
    line = text.split("\n").index(f"written: {value}") + 1
    (found,) = [f for f in json.loads(result.out) if f["rule"] == "FMT001"]
    assert found["line"] == line and value in found["message"] and "不存在" in found["message"]


def test_a_date_that_does_not_exist_in_site_yaml_exits_2_with_its_line(make_site: MakeSite) -> None:
    site = make_site({"site.yaml": "title: 测试站点\ntoday: 2026-02-30\n", "content/d1/a.md": record_text()})
    result = run_cli("check", "--site", site)
    assert result.code == 2 and "第 2 行" in result.err and "2026-02-30" in result.err
