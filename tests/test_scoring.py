"""考评 scoring in `check --report`: each department's score against the site's scoring table (data in
site.yaml, not code), item by item with the findings behind each deduction, and the veto status."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Callable

import yaml

from conftest import DEPT_USCC, REPO, SITE_YAML, record_text, run_cli

MakeSite = Callable[..., Path]
TODAY = "2026-11-21"


def text_of(page: Path) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page.read_text("utf-8"))))


def test_demo_report_scores_each_department_against_seed_003(demo_copy: Path, tmp_path: Path) -> None:
    table = yaml.safe_load((REPO / "site.yaml").read_text("utf-8"))["scoring"]
    assert table["title"] == "阿尔山市政府信息公开考核评定标准" and len(table["items"]) == 14
    assert sum(item["points"] for item in table["items"]) == 100
    seed = Path("/work/shared/seeds/003_5fb0f060df3a09a7.txt")
    if seed.exists():  # the table is copied from the seed's text, item by item
        source = seed.read_text("utf-8").replace("\xa0", " ")
        assert all(item["content"] in source and item["standard"] in source for item in table["items"])
    report = tmp_path / "report"
    result = run_cli("check", "--site", demo_copy, "--report", report)
    assert result.code == 0, result.out
    text = text_of(report / "index.html")
    for name in ("阿尔山市政务公开领导小组办公室", "楚雄市人民政府办公室", "华宁县人民政府", "玉溪市人民政府办公室"):
        assert re.search(name + r" 考评得分：\d+(\.\d+)? 分（满分 100 分），(优秀|合格|不合格)", text), name
    for item in table["items"]:
        assert item["content"] in text and item["standard"] in text
    assert "全站没有单项否决的问题" in text
    # a finding and the item it deducts from: 华宁's notice published 24 working days late (STL014)
    assert (
        "STL014 content/huaning/zhidu/2020-zhuanfa-yuxi-wangzhanqun-fabu-zhidu.md:11" in text and "（扣 1 分）" in text
    )


def test_demo_report_a_month_later_shows_the_vetoes(demo_copy: Path, tmp_path: Path) -> None:
    report = tmp_path / "report"
    run_cli("check", "--site", demo_copy, "--today", "2026-12-21", "--report", report)
    text = text_of(report / "index.html")
    assert "全站单项否决：1 项" in text
    assert "不合格（单项否决）" in text and "单项否决：INS001 content/yuxi/department.yaml:3" in text


SCORING = """\
scoring:
  title: 测试考评标准
  vetoes: [INS001]
  grades: [{name: 优秀, min: 90}, {name: 合格, min: 70}, {name: 不合格, min: 0}]
  items:
    - group: 一
      content: 按时发布
      points: 3
      standard: 1项未按时公开扣1分
      deductions: [{rules: [STL001], points: 1}]
    - group: 一
      content: 再次列出同一规则
      points: 10
      standard: 不重复扣分
      deductions: [{rules: [STL001], points: 5}]
    - group: 二
      content: 依申请公开
      points: 20
      standard: 未按规定办理的扣3分
      deductions: [{rules: [STL011], points: 3, once: true}]
    - group: 三
      content: 人工评分的项目
      points: 67
      standard: 人工
"""


def late(n: int) -> str:
    return record_text(
        index_no=f"{DEPT_USCC}/2025-{n:05d}",
        title=f"晚发布的通知{n}",
        written="2025-09-26",
        published="2025-10-31",
        review="{drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: 2025-10-31}",
    )


def test_deductions_capped_counted_once_and_in_one_place(make_site: MakeSite, tmp_path: Path) -> None:
    register = (
        "id,received,applicant,result,closed\n"
        "A1,2026-01-05,自然人,予以公开,2026-03-20\nA2,2026-01-05,自然人,予以公开,2026-03-20\n"
    )
    site = make_site(
        {
            "site.yaml": SITE_YAML + SCORING,
            **{f"content/d1/r{n}.md": late(n) for n in range(1, 6)},
            "content/d1/applications/2026.csv": register,
        }
    )
    report = tmp_path / "report"
    assert run_cli("check", "--site", site, "--today", TODAY, "--report", report).code == 1  # STL007: not scored
    text = text_of(report / "index.html")
    # 5 late records × 1 point, capped at the item's 3; none deducts again from the second item;
    # two late answers deduct 3 once: 100 - 3 - 3 = 94
    assert "考评得分：94 分（满分 100 分），优秀" in text
    assert "按时发布 3 1项未按时公开扣1分 3 0" in text
    assert "再次列出同一规则 10 不重复扣分 0 10 无" in text
    assert "依申请公开 20 未按规定办理的扣3分 3 17" in text
    assert text.count("（扣 3 分）") == 1 and "（扣 0 分）" in text
    assert "人工评分的项目 67 人工 0 67 人工评分" in text


def test_a_veto_fails_the_department_whatever_its_score(make_site: MakeSite, tmp_path: Path) -> None:
    rules_on = SITE_YAML.replace("INS001: 'off', ", "")
    site = make_site({"site.yaml": rules_on + SCORING, "content/d1/a.md": late(1)})
    report = tmp_path / "report"
    run_cli("check", "--site", site, "--today", TODAY, "--report", report)
    text = text_of(report / "index.html")
    assert "考评得分：99 分（满分 100 分），不合格（单项否决）" in text
    assert "全站单项否决：1 项" in text


def test_a_scoring_table_naming_an_unknown_rule_is_refused(make_site: MakeSite) -> None:
    site = make_site(
        {
            "site.yaml": SITE_YAML + SCORING.replace("rules: [STL011]", "rules: [STL999]"),
            "content/d1/a.md": record_text(),
        }
    )
    result = run_cli("check", "--site", site)
    assert result.code == 2 and "STL999" in result.err and "site.yaml 第 23 行" in result.err  # its deductions
