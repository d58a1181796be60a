"""`disclosure import` reads an export's 公开属性 column: a row the old system marked 依申请公开 or
不予公开 is never written as 主动公开, a row that cannot be imported safely is reported with its
line (never imported as public), and a column the import leaves unused is named on stderr."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Callable

import openpyxl

from conftest import Run, run_cli
from generator.config import load_config
from generator.load import load_site

MakeSite = Callable[..., Path]
REVIEW = ("--review", "李明,王芳,赵刚")
REASON = "《中华人民共和国政府信息公开条例》第十六条（内部事务信息）"
SUMMARY = re.compile(r"共 (\d+) 行：(?:可)?导入 (\d+) 条，跳过 (\d+) 条")
SKIPPED = re.compile(r"^第 (\d+) 行：跳过，(.+)$", re.MULTILINE)
HEADER = ["标题", "成文日期", "发布日期", "文号", "信息分类", "公开属性", "正文"]


def import_into(site: Path, export: Path, *options: str) -> Run:
    """`disclosure import EXPORT --site SITE --dept d1 OPTIONS…`."""
    return run_cli("import", export, "--site", site, "--dept", "d1", *options)


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def counts(out: str) -> tuple[int, int, int]:
    match = SUMMARY.search(out)
    assert match, out[-2000:]
    rows, imported, skipped = (int(g) for g in match.groups())
    assert rows == imported + skipped  # every row accounted for
    return rows, imported, skipped


def skipped(out: str) -> dict[int, str]:
    return {int(line): reason for line, reason in SKIPPED.findall(out)}


def by_title(site: Path) -> dict[str, dict]:
    loaded, _ = load_site(load_config(site)[0])
    return {r.title: r.meta for r in loaded.records}


def row(title: str, publicity: str, body: str, published: str = "2020-01-03") -> list[str]:
    return [title, "2020-01-02", published, "", "政府信息公开制度", publicity, body]


def test_the_publicity_column_decides_each_row_and_withheld_text_is_not_published(
    make_site: MakeSite, tmp_path: Path
) -> None:
    """The probe's export: before, every row became 主动公开 and the build published all three."""
    rows = [
        row("公开通知", "主动公开", "公开正文zqpub1zq。"),
        row("内部审查表zqtitle2zq", "不予公开", "内部正文zqbody2zq。"),
        row("依申请台账", "依申请公开", "台账正文zqbody3zq。", published=""),  # no 发布日期 needed
    ]
    export = write_csv(tmp_path / "imp.csv", HEADER, rows)
    site = make_site({})
    result = import_into(site, export, *REVIEW, "--withhold-reason", REASON)
    assert result.code == 0, result.out + result.err
    assert counts(result.out) == (3, 3, 0)
    assert "依申请公开 1 条、不予公开 1 条" in result.out
    meta = by_title(site)
    assert meta["公开通知"]["publicity"] == "主动公开" and "withhold_reason" not in meta["公开通知"]
    assert meta["公开通知"]["review"]["opinion"] == "主动公开"
    withheld = meta["内部审查表zqtitle2zq"]
    assert (withheld["publicity"], withheld["review"]["opinion"], withheld["withhold_reason"]) == (
        "不予公开",
        "免予公开",
        REASON,
    )
    on_request = meta["依申请台账"]
    assert (on_request["publicity"], on_request["review"]["opinion"]) == ("依申请公开", "依申请公开")

    check = run_cli("check", "--site", site, "--format", "json")
    assert check.code == 0, [f for f in json.loads(check.out) if f["severity"] == "block"]
    build = run_cli("build", "--site", site)
    assert build.code == 0, build.err[-2000:]
    published = "".join(p.read_text("utf-8", errors="replace") for p in (site / "build").rglob("*") if p.is_file())
    assert "zqpub1zq" in published  # the public row is there …
    for marker in ("zqtitle2zq", "zqbody2zq", "zqbody3zq"):  # … nothing of the withheld ones
        assert marker not in published, marker


def test_a_row_that_cannot_be_imported_safely_is_skipped_with_its_line(make_site: MakeSite, tmp_path: Path) -> None:
    rows = [
        row("公开通知", "主动公开", "公开。"),  # line 2: imported
        row("内部审查表", "不予公开", "内部。"),  # line 3: no reason anywhere
        row("依申请台账", "依申请公开", "台账。"),  # line 4: no reason anywhere
        row("删减件", "删减后公开", "正文。"),  # line 5: needs a person's work
        row("脱密件", "脱密后公开", "正文。"),  # line 6: needs a person's work
        row("空属性", "", "正文。"),  # line 7: not marked: not published
        row("错属性", "部分公开", "正文。"),  # line 8: not a 公开属性
    ]
    site = make_site({})
    result = import_into(site, write_csv(tmp_path / "e.csv", HEADER, rows), *REVIEW)
    assert result.code == 1, result.out + result.err
    assert counts(result.out) == (7, 1, 6)
    reasons = skipped(result.out)
    assert set(reasons) == {3, 4, 5, 6, 7, 8}
    assert "不予公开" in reasons[3] and "不予公开理由" in reasons[3] and "--withhold-reason" in reasons[3]
    assert "依申请公开" in reasons[4] and "不予公开理由" in reasons[4]
    assert "删减后公开" in reasons[5] and "逐条" in reasons[5]
    assert "脱密后公开" in reasons[6] and "逐条" in reasons[6]
    assert "公开属性为空" in reasons[7] and "--publicity" in reasons[7]
    assert "部分公开" in reasons[8] and "不是规定的取值" in reasons[8]
    assert list(by_title(site)) == ["公开通知"]  # nothing else was written, least of all as 主动公开


def test_a_reason_column_and_publicity_for_empty_cells(make_site: MakeSite, tmp_path: Path) -> None:
    header = [*HEADER, "不予公开理由"]
    rows = [
        [*row("内部审查表", "不予公开", "内部。"), REASON],  # line 2: its own reason
        [*row("空属性", "", "正文。"), ""],  # line 3: --publicity for empty cells, --withhold-reason
        [*row("矛盾行", "主动公开", "正文。"), REASON],  # line 4: public, yet a reason: skipped
        [*row("公开通知", "主动公开", "正文。"), ""],  # line 5
    ]
    site = make_site({})
    result = import_into(
        site,
        write_csv(tmp_path / "e.csv", header, rows),
        *REVIEW,
        "--publicity",
        "不予公开",
        "--withhold-reason",
        "《中华人民共和国政府信息公开条例》第十五条",
    )
    assert result.code == 1 and counts(result.out) == (4, 3, 1), result.out + result.err
    assert "主动公开" in skipped(result.out)[4] and "核实" in skipped(result.out)[4]
    meta = by_title(site)
    assert meta["内部审查表"]["withhold_reason"] == REASON
    assert (meta["空属性"]["publicity"], meta["空属性"]["withhold_reason"]) == (
        "不予公开",
        "《中华人民共和国政府信息公开条例》第十五条",
    )
    assert meta["公开通知"]["publicity"] == "主动公开"  # the column wins over --publicity
    assert "withhold_reason" not in meta["公开通知"]


def test_without_review_only_withheld_rows_are_imported(make_site: MakeSite, tmp_path: Path) -> None:
    rows = [row("内部审查表", "不予公开", "内部。"), row("公开通知", "主动公开", "正文。")]
    site = make_site({})
    result = import_into(
        site,
        write_csv(tmp_path / "e.csv", HEADER, rows),
        "--publicity",
        "不予公开",
        "--withhold-reason",
        REASON,
    )
    assert result.code == 1 and counts(result.out) == (2, 1, 1), result.out + result.err
    assert "--review" in skipped(result.out)[3]
    assert by_title(site)["内部审查表"]["publicity"] == "不予公开"


def test_a_named_publicity_column_and_xlsx(make_site: MakeSite, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["名称", "成文日期", "发布日期", "信息分类", "属性"])
    sheet.append(["内部审查表", "2020-01-02", "2020-01-03", "政府信息公开制度", "不予公开"])
    sheet.append(["公开通知", "2020-01-02", "2020-01-03", "政府信息公开制度", "主动公开"])
    export = tmp_path / "e.xlsx"
    book.save(export)
    site = make_site({})
    base = ["import", export, "--site", site, "--dept", "d1", *REVIEW, "--withhold-reason", REASON]
    missing = run_cli(*base, "--publicity-column", "公开")
    assert missing.code == 2 and "--publicity-column" in missing.err and "“公开”不存在" in missing.err
    result = run_cli(*base, "--publicity-column", "属性")
    assert result.code == 0 and counts(result.out) == (2, 2, 0), result.out + result.err
    assert "没有导入" not in result.err
    meta = by_title(site)
    assert meta["内部审查表"]["publicity"] == "不予公开" and meta["公开通知"]["publicity"] == "主动公开"


def test_unused_columns_are_named_on_stderr(make_site: MakeSite, tmp_path: Path) -> None:
    header = ["标题", "成文日期", "发布日期", "信息分类", "备注", "标题", ""]
    rows = [["公开通知", "2020-01-02", "2020-01-03", "政府信息公开制度", "内部备注", "另一个标题", "无名列的值"]]
    site = make_site({})
    result = import_into(site, write_csv(tmp_path / "e.csv", header, rows), *REVIEW)
    assert result.code == 0, result.out + result.err
    note = next(line for line in result.err.splitlines() if "没有导入" in line)
    assert "3 列" in note and "备注" in note and "第 6 列" in note and "第 7 列（没有表头）" in note
    # a file whose every column is used has no note
    clean = import_into(
        site,
        write_csv(tmp_path / "g.csv", header[:4], [["关于乙的通知", "2020-01-02", "2020-01-03", "政府信息公开制度"]]),
        *REVIEW,
        "--dry-run",
    )
    assert clean.code == 0 and "没有导入" not in clean.err, clean.err
