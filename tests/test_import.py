"""`disclosure import`: a previous CMS's catalogue export becomes records, every row accounted for."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Callable

import openpyxl
import pytest

from conftest import DEPT_USCC, record_text, run_cli
from corpus import CORPUS, FILES
from generator.config import load_config
from generator.findings import Finding
from generator.load import load_record, load_site

MakeSite = Callable[..., Path]
CATEGORY = "法定主动公开内容/政策文件/其他文件"  # a leaf of the default taxonomy (config._default_categories)
REVIEW = ("--review", "李明,王芳,赵刚")
SUMMARY = re.compile(r"共 (\d+) 行：导入 (\d+) 条，跳过 (\d+) 条")
SKIPPED = re.compile(r"^第 (\d+) 行：跳过，(.+)$", re.MULTILINE)
# The corpus was collected in 2023: "today" just after it, so no column is stale (STL007).
CORPUS_SITE_YAML = "title: 迁移测试\ntoday: 2023-10-31\nrules: {STL008: 'off', STL010: 'off', SEC007: warn, INS001: 'off', INS002: 'off', INS003: 'off', INS006: 'off'}\n"


def counts(out: str) -> tuple[int, int, int]:
    match = SUMMARY.search(out)
    assert match, out[-2000:]
    rows, imported, skipped = (int(g) for g in match.groups())
    return rows, imported, skipped


def skipped_lines(out: str) -> dict[int, str]:
    found = SKIPPED.findall(out)
    lines = {int(line): reason for line, reason in found}
    assert len(lines) == len(found), "a line reported twice"
    return lines


def records(site: Path) -> list[Path]:
    return sorted((site / "content/d1").glob("*.md"))


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


# --- the real corpus ------------------------------------------------------------------


def corpus_rows(name: str) -> list[dict[str, str]]:
    with (CORPUS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_both_corpus_files_import_with_every_row_accounted_for(make_site: MakeSite) -> None:
    site = make_site({"site.yaml": CORPUS_SITE_YAML})
    total, titles = 0, set[str]()
    for name in FILES:
        rows = corpus_rows(name)  # counted independently of the importer
        before = len(records(site))
        result = run_cli(
            "import",
            CORPUS / name,
            "--site",
            site,
            "--dept",
            "d1",
            "--category-default",
            CATEGORY,
            *REVIEW,
            "--written-from-published",
        )
        assert result.code == 1, result.err  # the corpus has duplicates and rows without a 发布日期
        n, imported, skipped = counts(result.out)
        reported = skipped_lines(result.out)
        assert n == len(rows) and imported + skipped == n and len(reported) == skipped
        assert len(records(site)) - before == imported
        # every row without a 发布日期 is among the reported ones, at its own line
        no_date = {line for line, row in enumerate(rows, start=2) if not row["published"]}
        assert all("缺少发布日期" in reported[line] for line in no_date)
        later = {
            line
            for line, row in enumerate(rows, start=2)
            if row["written"] and row["published"] and row["written"] > row["published"]
        }
        assert later and all("晚于发布日期" in reported[line] for line in later)
        total += imported
        titles |= {row["title"] for row in rows}
    files = records(site)
    assert len(files) == total
    # loading all 14,000 files again would double the test's time: every 50th reads back
    for path in files[::50]:
        findings: list[Finding] = []
        record = load_record(path, site, "d1", findings)
        assert not findings and record.title in titles
        assert record.index_no == f"{DEPT_USCC}/{path.stem}"


def test_a_corpus_slice_imports_checks_clean_and_builds(make_site: MakeSite, tmp_path: Path) -> None:
    """`check` of the whole corpus import takes longer than a test should (see docs/cli.md for the
    figures); a slice of both files, including the real title naming 内部资料性出版物, checks here."""
    header = ["url", "title", "written", "published", "doc_no"]
    chosen: list[list[str]] = []
    for name in FILES:
        rows = corpus_rows(name)
        chosen += [[r[k] for k in header] for r in rows[:150]]
        chosen += [[r[k] for k in header] for r in rows if "内部资料" in r["title"]]
    export = write_csv(tmp_path / "slice.csv", header, chosen)
    site = make_site({"site.yaml": CORPUS_SITE_YAML})
    result = run_cli(
        "import",
        export,
        "--site",
        site,
        "--dept",
        "d1",
        "--category-default",
        CATEGORY,
        *REVIEW,
        "--written-from-published",
    )
    n, imported, skipped = counts(result.out)
    assert n == len(chosen) and imported + skipped == n and imported > 250
    check = run_cli("check", "--site", site, "--format", "json")
    findings = json.loads(check.out)
    assert check.code == 0, [f for f in findings if f["severity"] == "block"][:5]
    # what remains are warnings a migration expects: late publication in the old system
    # (STL001), old years the working-day calendar does not know (STL013), titles naming
    # 请示 (SEC017), and SEC007 for the real title about 内部资料性出版物 (set to warn above)
    assert {f["rule"] for f in findings} <= {"STL001", "STL013", "SEC017", "SEC007"}
    assert any(f["rule"] == "SEC007" for f in findings)
    build = run_cli("build", "--site", site)
    assert build.code == 0, build.err[-3000:]
    assert (site / "build/index.html").exists()


# --- bad rows, existing records -------------------------------------------------------

HEADER = ["标题", "成文日期", "发布日期", "文号", "信息分类", "网址"]


def test_bad_rows_are_reported_by_line_and_nothing_is_overwritten(make_site: MakeSite, tmp_path: Path) -> None:
    keep = "---\n这不是一条能读取的记录: [\n---\n请勿覆盖。\n"
    site = make_site(
        {
            "content/d1/a.md": record_text(
                index_no=f"{DEPT_USCC}/2023-00007", title="已有的通知", doc_no="测发〔2023〕1号"
            ),
            "content/d1/2023-00009.md": keep,  # a file no record claims: its number is skipped, it is kept
        }
    )
    rows = [
        ["关于甲的通知", "2023-09-20", "2023-09-26", "测发〔2023〕2号", "通知公告", "https://example.gov.cn/a.html"],
        ["", "2023-09-20", "2023-09-26", "", "通知公告", ""],  # line 3: no title
        ["关于乙的通知", "2023-02-30", "2023-03-02", "", "通知公告", ""],  # line 4: no such day
        ["关于丙的通知", "2023-09-27", "2023-09-26", "", "通知公告", ""],  # line 5: written after published
        ["关于丁的通知", "2023-09-20", "2023-09-26", "", "不存在的分类", ""],  # line 6: unknown category
        ["关于甲的通知", "2023-09-21", "2023-09-28", "测发〔2023〕2号", "通知公告", ""],  # line 7: duplicate of line 2
        ["已有的通知", "2023-09-20", "2023-09-26", "测发〔2023〕1号", "通知公告", ""],  # line 8: already imported
        ["关于戊的\n通知", "2023/9/1", "2023年9月2日", "", "通知公告", ""],  # lines 9-10: newline in title
        ["关于己的通知", "2023/9/1", "2023年9月2日", "测发[2023]3号", "法定主动公开内容/财政信息", ""],
        ["关于庚的通知", "", "2023-09-03", "", "通知公告", ""],  # line 12: no 成文日期
        ["关于辛的通知", "2023-09-01", "2023-09-04", "", "", ""],  # line 13: default category
    ]
    export = write_csv(tmp_path / "export.csv", HEADER, rows)
    result = run_cli(
        "import", export, "--site", site, "--dept", "d1", *REVIEW, "--category-default", "政府信息公开制度"
    )
    assert result.code == 1, result.err
    reported = skipped_lines(result.out)
    assert set(reported) == {3, 4, 5, 6, 7, 8, 9, 12}
    assert "缺少标题" in reported[3]
    assert "2023-02-30" in reported[4] and "不是有效日期" in reported[4]
    assert "晚于发布日期" in reported[5]
    assert "不存在的分类" in reported[6]
    assert "与第 2 行重复" in reported[7]
    assert "content/d1/a.md" in reported[8]
    assert "换行" in reported[9]
    assert "缺少成文日期" in reported[12]
    assert counts(result.out) == (11, 3, 8)
    assert "测发[2023]3号" in result.out and "FMT004" in result.out  # imported, with a note
    # numbers continue after 2023-00007, pass over the existing 2023-00009.md, follow publication order
    assert (site / "content/d1/2023-00009.md").read_text("utf-8") == keep
    assert sorted(p.name for p in records(site)) == [
        "2023-00008.md",
        "2023-00009.md",
        "2023-00010.md",
        "2023-00011.md",
        "a.md",
    ]
    site_records = {r.file: r for r in load_site(load_config(site)[0])[0].records}
    first = site_records["content/d1/2023-00008.md"]
    assert (first.title, first.index_no) == ("关于己的通知", f"{DEPT_USCC}/2023-00008")
    assert first.category == "法定主动公开内容/财政信息"
    third = site_records["content/d1/2023-00011.md"]
    assert third.title == "关于甲的通知" and "原文链接：<https://example.gov.cn/a.html>" in third.body
    assert site_records["content/d1/2023-00010.md"].category == "政府信息公开制度"

    # the same export again: every row is now a duplicate or still bad, nothing is written
    again = run_cli("import", export, "--site", site, "--dept", "d1", *REVIEW, "--category-default", "政府信息公开制度")
    assert again.code == 1 and counts(again.out) == (11, 0, 11)
    assert len(records(site)) == 5


def test_imported_records_pass_the_check(make_site: MakeSite, tmp_path: Path) -> None:
    rows = [["关于甲的通知", "2026-11-02", "2026-11-03", "测发〔2026〕2号", "通知公告", "https://example.gov.cn/a"]]
    site = make_site({})
    result = run_cli("import", write_csv(tmp_path / "e.csv", HEADER, rows), "--site", site, "--dept", "d1", *REVIEW)
    assert result.code == 0 and counts(result.out) == (1, 1, 0), result.out + result.err
    check = run_cli("check", "--site", site, "--format", "json")
    assert check.code == 0 and json.loads(check.out) == []


def test_dry_run_reports_and_writes_nothing(make_site: MakeSite, tmp_path: Path) -> None:
    rows = [["关于甲的通知", "2023-09-20", "2023-09-26", "", "通知公告", ""], ["", "", "", "", "", ""]]
    site = make_site({})
    result = run_cli(
        "import", write_csv(tmp_path / "e.csv", HEADER, rows), "--site", site, "--dept", "d1", *REVIEW, "--dry-run"
    )
    assert result.code == 1 and "第 3 行：跳过，缺少标题" in result.out
    assert "共 2 行：可导入 1 条，跳过 1 条" in result.out and "未写入" in result.out
    assert records(site) == []


# --- round trip of hostile titles -----------------------------------------------------

HOSTILE = [
    "关于《条例》第三条：适用范围的说明",
    'He said: "yes"',
    "it's: ok",
    "#话题 开头",
    "中间 #号 注释",
    "- 像列表",
    "? 像问号键",
    "[方括号]",
    "{花括号}",
    "&锚点",
    "*别名",
    "!标签",
    "%指令",
    "@at",
    "`反引号`",
    "| 竖线",
    "> 大于",
    "yes",
    "no",
    "null",
    "~",
    "123",
    "0x1F",
    "1e3",
    "2023-09-26",
    "true",
    "---",
    "...",
    "a: b: c",
    "尾部反斜杠\\",
    "《关于“双引号”和‘单引号’的通知》",
    "制表\t符",
    "全角：冒号＃井号",
    "关于'单'引号\"双\"引号的: 通知 #1",
]


def test_yaml_hostile_titles_round_trip_exactly(make_site: MakeSite, tmp_path: Path) -> None:
    header = ["title", "written", "published", "doc_no", "category"]
    rows = [
        [title, "2023-09-20", "2023-09-26", f"测发〔2023〕{i}号: 附#{i}", CATEGORY]
        for i, title in enumerate(HOSTILE, start=1)
    ]
    site = make_site({})
    result = run_cli("import", write_csv(tmp_path / "e.csv", header, rows), "--site", site, "--dept", "d1", *REVIEW)
    assert result.code == 0, result.out + result.err
    loaded, findings = load_site(load_config(site)[0])
    assert not findings
    assert sorted(r.get("title") for r in loaded.records) == sorted(HOSTILE)
    assert sorted(r.get("doc_no") for r in loaded.records) == sorted(row[3] for row in rows)
    assert all(isinstance(r.get("title"), str) for r in loaded.records)


# --- encodings, spreadsheets, column options, usage errors ----------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_bom_and_gb18030_exports_read(make_site: MakeSite, tmp_path: Path, encoding: str) -> None:
    rows = [["关于《甲》的通知", "2023-09-20", "2023-09-26", "沪府〔2023〕1号", "通知公告", ""]]
    site = make_site({})
    export = write_csv(tmp_path / "e.csv", HEADER, rows, encoding=encoding)
    result = run_cli("import", export, "--site", site, "--dept", "d1", *REVIEW)
    assert result.code == 0, result.out + result.err
    (record,) = load_site(load_config(site)[0])[0].records
    assert record.title == "关于《甲》的通知" and record.get("doc_no") == "沪府〔2023〕1号"


def test_xlsx_with_named_columns(make_site: MakeSite, tmp_path: Path) -> None:
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["信息名称", "形成日期", "上网日期", "发文字号", "正文内容"])
    sheet.append(
        ["关于甲的通知", dt.datetime(2023, 9, 20), dt.datetime(2023, 9, 26), "测发〔2023〕5号", "第一段。\n\n第二段。"]
    )
    sheet.append(["关于乙的通知", "2023年9月31日", "2023-10-02", "", "正文"])
    export = tmp_path / "e.xlsx"
    book.save(export)
    site = make_site({})
    result = run_cli(
        "import",
        export,
        "--site",
        site,
        "--dept",
        "d1",
        *REVIEW,
        "--category-default",
        CATEGORY,
        "--written",
        "形成日期",
        "--published",
        "上网日期",
    )
    assert result.code == 1 and counts(result.out) == (2, 1, 1)
    assert "第 3 行：跳过，成文日期“2023年9月31日”不是有效日期" in result.out
    (record,) = load_site(load_config(site)[0])[0].records
    assert record.get("doc_no") == "测发〔2023〕5号" and record.body.strip() == "第一段。\n\n第二段。"
    assert str(record.get("written")) == "2023-09-20"


def test_usage_errors_exit_2_in_chinese(make_site: MakeSite, tmp_path: Path) -> None:
    export = write_csv(tmp_path / "e.csv", HEADER, [["关于甲的通知", "2023-09-20", "2023-09-26", "", "通知公告", ""]])
    site = make_site({})
    cases = [
        (["--dept", "nope", *REVIEW], "部门 nope 不存在"),
        (["--dept", "d1", *REVIEW, "--title", "题名"], "列“题名”不存在"),
        (["--dept", "d1", *REVIEW, "--category-default", "不存在"], "不是 site.yaml 中的末级分类"),
        (["--dept", "d1", "--review", "李明,李明,赵刚"], "三个不同的人"),
        (["--dept", "d1"], "--review"),
    ]
    for options, message in cases:
        result = run_cli("import", export, "--site", site, *options)
        assert result.code == 2 and message in result.err and "Traceback" not in result.err, (options, result.err)
    (tmp_path / "bad.xlsx").write_bytes(b"not a spreadsheet")
    for path in (tmp_path / "missing.csv", tmp_path / "bad.xlsx"):
        result = run_cli("import", path, "--site", site, "--dept", "d1", *REVIEW)
        assert result.code == 2 and "错误：" in result.err and "Traceback" not in result.err
    assert records(site) == []


def test_new_still_allocates_after_imported_records(make_site: MakeSite, tmp_path: Path) -> None:
    rows = [["关于甲的通知", "2026-11-02", "2026-11-03", "", "通知公告", ""]]
    site = make_site({"content/d1/a.md": record_text(index_no=f"{DEPT_USCC}/2026-00004")})
    assert (
        run_cli("import", write_csv(tmp_path / "e.csv", HEADER, rows), "--site", site, "--dept", "d1", *REVIEW).code
        == 0
    )
    assert (site / "content/d1/2026-00005.md").exists()
    result = run_cli("new", "--site", site, "--dept", "d1", "--category", CATEGORY, "--today", "2026-11-21", "新记录")
    assert result.code == 0 and (site / "content/d1/2026-00006.md").exists()
