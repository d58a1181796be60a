"""The inspection rules (INS, 国办秘函〔2019〕19号): each fires on a case built for it, with its
Chinese message, file, line and fix, and stays silent on its near miss; the demo site passes on
its pinned date and fails on INS001 alone a month later."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DEPARTMENT_YAML, DEPT_USCC, REPO, record_text, run_cli
from generator import columntypes
from generator.inspection import typos

MakeSite = Callable[..., Path]
TODAY = "2026-11-21"
FOOTER = """\
footer:
  host: 测试局
  site_code: "5304000001"
  icp: 滇ICP备12345678号-1
  psb: 滇公网安备 53040202000001号
  party_mark: https://bszs.conac.cn/sitename?method=show&id=1
  report_error: https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=5304000001&url=x
"""
# A small taxonomy: six columns, so blank ones are counted in a few records.
CATEGORIES = """\
categories:
  - name: 政府信息公开制度
  - name: 法定主动公开内容
    children:
      - name: 通知公告
      - name: 工作动态
      - name: 财政信息
      - name: 人事信息
  - name: 政府信息公开年报
"""
SITE = f"title: 测试站点\ntoday: {TODAY}\nrules: {{STL008: 'off', STL010: 'off'}}\n" + FOOTER + CATEGORIES


def idx(n: int) -> str:
    return f"{DEPT_USCC}/2026-{n:05d}"


def rec(n: int, category: str, published: str = "2026-11-16", **meta: object) -> str:
    review = f"{{drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: {published}}}"
    return record_text(
        **{
            "index_no": idx(n),
            "category": category,
            "written": published,
            "published": published,
            "review": review,
            **meta,
        }
    )


def findings(site: Path, today: str = TODAY, *args: str) -> list[dict[str, Any]]:
    result = run_cli("check", "--site", site, "--today", today, "--format", "json", *args)
    assert result.code in (0, 1), result.err
    return json.loads(result.out)


def ins(site: Path, rule: str, today: str = TODAY) -> list[dict[str, Any]]:
    return [f for f in findings(site, today) if f["rule"] == rule]


def full_site(extra: dict[str, str] | None = None, site_yaml: str = SITE) -> dict[str, str]:
    """Every column of CATEGORIES filled with a fresh record: no INS finding."""
    files = {"site.yaml": site_yaml}
    for n, category in enumerate(
        [
            "政府信息公开制度",
            "法定主动公开内容/通知公告",
            "法定主动公开内容/工作动态",
            "法定主动公开内容/财政信息",
            "法定主动公开内容/人事信息",
            "政府信息公开年报",
        ],
        1,
    ):
        files[f"content/d1/r{n}.md"] = rec(n, category)
    files.update(extra or {})
    return files


def test_a_well_kept_site_has_no_ins_finding(make_site: MakeSite) -> None:
    site = make_site(full_site())
    result = run_cli("check", "--site", site, "--today", TODAY, "--format", "json")
    assert result.code == 0, result.out
    assert [f for f in json.loads(result.out) if f["rule"].startswith("INS")] == []


# --- INS001 首页不更新 ------------------------------------------------------------------------


def test_ins001_home_and_department_not_updated_in_two_weeks(make_site: MakeSite) -> None:
    site = make_site(full_site())
    found = ins(site, "INS001", "2026-12-01")  # the newest record is of 2026-11-16: 15 days
    assert {(f["file"], f["severity"]) for f in found} == {
        ("site.yaml", "block"),
        ("content/d1/department.yaml", "block"),
    }
    home = next(f for f in found if f["file"] == "site.yaml")
    assert "首页不更新" in home["message"] and "2026-11-16" in home["message"] and "15 天" in home["message"]
    assert home["fix"].startswith("发布新信息")
    dept = next(f for f in found if f["file"] != "site.yaml")
    assert dept["line"] == 1 and "测试局的门户栏目" in dept["message"] and dept["dept"] == "d1"


def test_ins001_silent_on_the_fourteenth_day(make_site: MakeSite) -> None:
    assert ins(make_site(full_site()), "INS001", "2026-11-30") == []


def test_ins001_threshold_is_a_setting(make_site: MakeSite) -> None:
    site = make_site(full_site(site_yaml=SITE + "inspection: {homepage_days: 30}\n"))
    assert ins(site, "INS001", "2026-12-01") == []


def test_ins001_a_department_with_nothing_published(make_site: MakeSite) -> None:
    files = full_site(
        {
            "content/d2/department.yaml": DEPARTMENT_YAML.replace(DEPT_USCC, "11530400MB0000002L").replace(
                "测试局", "测试二局"
            )
        }
    )
    found = ins(make_site(files), "INS001")
    assert [(f["file"], f["line"]) for f in found] == [("content/d2/department.yaml", 1)]
    assert "没有任何已发布的信息" in found[0]["message"]


# --- INS002 空白栏目 --------------------------------------------------------------------------


def _blank(make_site: MakeSite, filled: list[str]) -> list[dict[str, Any]]:
    files = {"site.yaml": SITE}
    for n, category in enumerate(filled, 1):
        files[f"content/d1/r{n}.md"] = rec(n, category)
    return ins(make_site(files), "INS002")


def test_ins002_five_blank_columns_fail(make_site: MakeSite) -> None:
    # 法定主动公开内容 and its four columns are blank
    found = _blank(make_site, ["政府信息公开制度", "政府信息公开年报"])
    assert len(found) == 5 and all(f["severity"] == "block" for f in found)
    first = found[0]
    assert first["file"] == "site.yaml" and first["line"] == 13  # the `name:` line of 法定主动公开内容
    assert "栏目“法定主动公开内容”没有任何信息" in first["message"] and "单项否决" in first["message"]
    assert "hide_when_empty" in first["fix"]


def test_ins002_four_blank_columns_only_warn(make_site: MakeSite) -> None:
    found = _blank(make_site, ["政府信息公开制度", "法定主动公开内容/通知公告"])
    assert len(found) == 4 and all(f["severity"] == "warn" for f in found)  # 工作动态, 财政信息, 人事信息, 年报
    assert "达到 5 个即单项否决" in found[0]["message"]
    result = run_cli(
        "check",
        "--site",
        make_site(
            {
                "site.yaml": SITE,
                "content/d1/r1.md": rec(1, "政府信息公开制度"),
                "content/d1/r2.md": rec(2, "法定主动公开内容/通知公告"),
            }
        ),
        "--today",
        TODAY,
    )
    assert result.code == 0, result.out


def test_ins002_hidden_empty_columns_are_not_blank_and_not_rendered(make_site: MakeSite, tmp_path: Path) -> None:
    site_yaml = SITE.replace("  - name: 法定主动公开内容\n", "  - name: 法定主动公开内容\n    hide_when_empty: true\n")
    site = make_site(
        {
            "site.yaml": site_yaml,
            "content/d1/r1.md": rec(1, "政府信息公开制度"),
            "content/d1/r2.md": rec(2, "法定主动公开内容/通知公告"),
            "content/d1/r3.md": rec(3, "政府信息公开年报"),
        }
    )
    assert ins(site, "INS002") == []
    out = tmp_path / "out"
    result = run_cli("build", "--site", site, "--out", out, "--today", TODAY)
    assert result.code == 0, result.err
    from generator import urls

    assert (out / urls.category_listing("法定主动公开内容/通知公告")).is_file()
    assert not (out / urls.category_listing("法定主动公开内容/工作动态")).exists()
    home = (out / urls.HOME).read_text("utf-8")
    assert "通知公告" in home and "工作动态" not in home
    assert "暂无公开信息" not in "".join(p.read_text("utf-8") for p in (out / "catalogue").rglob("*.html"))


def test_ins002_department_with_five_required_columns_empty(make_site: MakeSite) -> None:
    required = SITE.replace("      - name: 通知公告\n", "      - name: 通知公告\n        required_for: [市直部门]\n")
    for name in ("工作动态", "财政信息", "人事信息"):
        required = required.replace(
            f"      - name: {name}\n", f"      - name: {name}\n        required_for: [市直部门]\n"
        )
    required = required.replace(
        "  - name: 政府信息公开制度\n", "  - name: 政府信息公开制度\n    required_for: [市直部门]\n"
    )
    files = full_site(site_yaml=required.replace("rules: {STL008: 'off', STL010: 'off'}", "rules: {STL010: 'off'}"))
    five = {"site.yaml": files["site.yaml"]}
    found = ins(make_site(five), "INS002")
    dept = [f for f in found if f["file"] == "content/d1/department.yaml" and "必须公开的栏目" in f["message"]]
    assert len(dept) == 1 and dept[0]["severity"] == "block" and dept[0]["line"] == 3  # the `level:` line


def test_ins002_department_with_four_required_columns_empty_is_silent(make_site: MakeSite) -> None:
    required = SITE.replace("      - name: 通知公告\n", "      - name: 通知公告\n        required_for: [市直部门]\n")
    for name in ("工作动态", "财政信息", "人事信息"):
        required = required.replace(
            f"      - name: {name}\n", f"      - name: {name}\n        required_for: [市直部门]\n"
        )
    site = make_site({"site.yaml": required, "content/d1/r1.md": rec(1, "政府信息公开制度")})
    assert [f for f in ins(site, "INS002") if "必须公开的栏目" in f["message"]] == []


# --- INS003 栏目不更新 ------------------------------------------------------------------------


def test_ins003_news_column_not_updated_in_two_weeks(make_site: MakeSite) -> None:
    site = make_site(full_site({"content/d1/r3.md": rec(3, "法定主动公开内容/工作动态", published="2026-11-01")}))
    found = ins(site, "INS003")
    assert len(found) == 1 and found[0]["severity"] == "warn"
    assert found[0]["file"] == "site.yaml" and found[0]["line"] == 16  # the `name: 工作动态` line
    assert "栏目“法定主动公开内容/工作动态”最新一条信息发布于 2026-11-01，超过 14 天没有更新" in found[0]["message"]
    assert "no_update_reason" in found[0]["fix"]


def test_ins003_notice_column_has_six_months(make_site: MakeSite) -> None:
    site = make_site(full_site({"content/d1/r2.md": rec(2, "法定主动公开内容/通知公告", published="2026-06-01")}))
    assert ins(site, "INS003") == []


def test_ins003_a_column_that_needs_no_update_says_why(make_site: MakeSite, tmp_path: Path) -> None:
    reason = "本栏目发布现行制度，修订时更新。"
    site_yaml = SITE.replace(
        "  - name: 政府信息公开制度\n", f"  - name: 政府信息公开制度\n    no_update_reason: {reason}\n"
    )
    site_stale = make_site(full_site({"content/d1/r1.md": rec(1, "政府信息公开制度", published="2020-01-06")}))
    assert len(ins(site_stale, "INS003")) == 1  # the near miss: no reason, a year is the limit
    site = make_site(full_site({"content/d1/r1.md": rec(1, "政府信息公开制度", published="2020-01-06")}, site_yaml))
    assert ins(site, "INS003") == []
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out, "--today", TODAY).code == 0
    from generator import urls

    assert reason in (out / urls.category_listing("政府信息公开制度")).read_text("utf-8")


def test_ins003_ten_stale_columns_block(make_site: MakeSite) -> None:
    children = "".join(f"      - name: 工作动态{n}\n" for n in range(10))
    site_yaml = (
        f"title: 测试站点\ntoday: {TODAY}\nrules: {{STL008: 'off', STL010: 'off', INS001: 'off'}}\n"
        + FOOTER
        + "categories:\n  - name: 动态\n    children:\n"
        + children
    )
    files = {"site.yaml": site_yaml}
    for n in range(10):
        files[f"content/d1/r{n}.md"] = rec(n + 1, f"动态/工作动态{n}", published="2026-10-01")
    found = ins(make_site(files), "INS003")
    assert len(found) == 10 and all(f["severity"] == "block" for f in found)
    del files["content/d1/r9.md"]
    files["site.yaml"] = site_yaml.replace("      - name: 工作动态9\n", "")
    assert {f["severity"] for f in ins(make_site(files), "INS003")} == {"warn"}  # nine: the near miss


# --- INS004 严重错别字 ------------------------------------------------------------------------


def test_ins004_one_wrong_character_in_a_term_of_the_shipped_data_file(make_site: MakeSite) -> None:
    assert "中华人民共和国" in typos.shipped()
    body = "第一条 根据《中华人民共合国政府信息公开条例》，制定本办法。"
    site = make_site(
        full_site({"content/d1/r1.md": rec(1, "政府信息公开制度", title="关于政务公开的办法").replace("正文。", body)})
    )
    found = ins(site, "INS004")
    assert len(found) == 1
    f = found[0]
    assert f["severity"] == "block" and f["file"] == "content/d1/r1.md" and f["line"] == 11  # the body's line
    assert (
        "“中华人民共合国政府信息公开条例”应为“中华人民共和国政府信息公开条例”" in f["message"]
        or "“中华人民共合国”应为“中华人民共和国”" in f["message"]
    )
    assert "严重错别字" in f["message"] and "改为" in f["fix"]


def test_ins004_silent_on_the_right_form_and_on_other_real_names(make_site: MakeSite) -> None:
    body = (
        "根据《中华人民共和国政府信息公开条例》，国家档案馆和农业农村工作的有关规定，河南省人民政府和云南省人民政府。"
    )
    site = make_site(full_site({"content/d1/r1.md": rec(1, "政府信息公开制度").replace("正文。", body)}))
    assert ins(site, "INS004") == []


def test_ins004_the_sites_own_bodies_and_terms(make_site: MakeSite) -> None:
    """测试局's government and a leader's post from site.yaml: one character off is caught; a real
    name one character away, listed in inspection.terms, is not."""
    site_yaml = SITE + "inspection:\n  terms: [张三丰副市长, 楚雄州人民政府]\n"
    body = "张三丰付市长。楚雄州人民政府和楚雄市人民政府。"
    files = full_site(
        {
            "content/d1/r1.md": rec(1, "政府信息公开制度").replace("正文。", body),
            "content/d1/department.yaml": DEPARTMENT_YAML.replace("name: 测试局", "name: 楚雄市人民政府"),
        },
        site_yaml,
    )
    files = {k: v.replace("publisher: 测试局", "publisher: 楚雄市人民政府") for k, v in files.items()}
    found = ins(make_site(files), "INS004")
    assert [f["message"] for f in found] == ["正文中“张三丰付市长”应为“张三丰副市长”（严重错别字）"]


def test_ins004_edit_distance_one_inside_a_term() -> None:
    terms = typos.build(["中华人民共和国", "政府信息公开条例"])
    text = "中华人民共合国；中华人民和国；中华人民共和和国；政府信息公升条例；政府信息公开条列；中华人民共和国"
    assert [(written, term) for _, written, term in typos.find(text, terms)] == [
        ("中华人民共合国", "中华人民共和国"),
        ("中华人民和国", "中华人民共和国"),
        ("中华人民共和和国", "中华人民共和国"),
        ("政府信息公升条例", "政府信息公开条例"),
    ]  # 条列: the last character, another word as often as a typo


TYPO_TERMS = [
    "中华人民共和国",
    "政府信息公开条例",
    "国家档案局",
    "国家发展和改革委员会",
    "人民政府办公室",
    "国务院办公厅",
]
TYPO_CHARS = "国家人民政府共和条例公开信息局委员会办的，。 "


@st.composite
def _edited_term(draw: st.DrawFn) -> str:
    """A term with one character changed, added or dropped anywhere (ends included), or a half of it."""
    term = draw(st.sampled_from(TYPO_TERMS))
    at = draw(st.integers(0, len(term)))
    char = draw(st.sampled_from(TYPO_CHARS))
    kind = draw(st.sampled_from(["change", "add", "drop", "left", "right", "whole"]))
    if kind == "change" and at < len(term):
        return term[:at] + char + term[at + 1 :]
    if kind == "add":
        return term[:at] + char + term[at:]
    if kind == "drop" and at < len(term):
        return term[:at] + term[at + 1 :]
    if kind in ("left", "right"):
        middle = len(term) // 2
        return term[:middle] if kind == "left" else term[middle:]
    return term


def _near_misses_by_brute_force(text: str, terms: typos.Terms) -> set[tuple[int, str]]:
    """Every span of `text` that one_edit takes for a term: what the search by halves must find."""
    found = set()
    for term in terms.canonical:
        if len(term) < typos.MIN_LENGTH:
            continue
        for start in range(len(text)):
            for size in (len(term) - 1, len(term), len(term) + 1):
                written = text[start : start + size]
                if (
                    len(written) == size
                    and typos.one_edit(written, term)
                    and term not in written
                    and written not in terms.canonical
                ):
                    found.add((start, written))
    return found


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.one_of(_edited_term(), st.sampled_from(TYPO_CHARS)), max_size=10))
def test_ins004_the_search_by_halves_finds_every_near_miss(pieces: list[str]) -> None:
    """One changed, added or dropped character leaves one half of the term intact: the search
    looks only around the halves it finds (fast), and finds what a search of every span finds."""
    terms = typos.build(TYPO_TERMS)
    text = "".join(pieces)
    assert {(start, written) for start, written, _ in typos._candidates(text, terms)} == _near_misses_by_brute_force(
        text, terms
    )


# --- INS006 监测代码和标识 ---------------------------------------------------------------------


def test_ins006_footer_identifiers_in_their_official_forms(make_site: MakeSite) -> None:
    bad = (
        SITE.replace('site_code: "5304000001"', 'site_code: "530400001"')
        .replace("滇ICP备12345678号-1", "无备案号")
        .replace("滇公网安备 53040202000001号", "公安备案 123号")
        .replace("  party_mark: https://bszs.conac.cn/sitename?method=show&id=1\n", "")
    )
    found = ins(make_site(full_site(site_yaml=bad)), "INS006")
    by_line = {f["line"]: f for f in found}
    assert set(by_line) == {6, 7, 8, 4, 9}  # site_code, icp, psb, the footer itself (no party_mark), report_error
    assert "找错链接中的 site_code“5304000001”不是本站的网站标识码" in by_line[9]["message"]
    assert "网站标识码“530400001”不是规定的 10 位形式" in by_line[6]["message"]
    assert "ICP备案号“无备案号”不是规定的形式" in by_line[7]["message"] and "蒙ICP备05002755号-2" in by_line[7]["fix"]
    assert "公安机关备案号“公安备案 123号”" in by_line[8]["message"]
    assert "党政机关网站标识" in by_line[4]["message"] and all(f["severity"] == "block" for f in found)


def test_ins006_silent_on_the_official_forms(make_site: MakeSite) -> None:
    state_council = SITE.replace('site_code: "5304000001"', 'site_code: "bm07000001"').replace(
        "site_code=5304000001", "site_code=bm07000001"
    )
    assert ins(make_site(full_site(site_yaml=state_council)), "INS006") == []


def test_ins006_error_link_names_another_site(make_site: MakeSite) -> None:
    other = SITE.replace("site_code=5304000001", "site_code=1522000001")
    found = ins(make_site(full_site(site_yaml=other)), "INS006")
    assert len(found) == 1 and found[0]["line"] == 10 and "1522000001" in found[0]["message"]


def test_ins006_column_types_only_from_the_vocabulary(make_site: MakeSite) -> None:
    site_yaml = SITE.replace("      - name: 财政信息\n", "      - name: 财政信息\n        column_type: 钱\n")
    files = full_site(
        {"layouts/catalogue.html": "{% extends 'base.html' %}{% block column_type %}列表{% endblock %}"}, site_yaml
    )
    found = ins(make_site(files), "INS006")
    assert {(f["file"], f["line"]) for f in found} == {("site.yaml", 17), ("layouts/catalogue.html", 1)}
    assert all("不在规定的栏目类型中" in f["message"] for f in found)


def test_every_page_kind_and_column_maps_to_an_official_column_type(demo_build: Path) -> None:
    from htmlscan import scan

    seen = set()
    for page in demo_build.rglob("*.html"):
        meta = scan(demo_build, page).meta
        if "ColumnType" in meta:
            seen.add(meta["ColumnType"])
    assert seen and not columntypes.unknown(seen), seen
    assert {"首页", "信息公开目录", "信息公开指南", "信息公开制度", "通知公告"} <= seen


# --- the demo ------------------------------------------------------------------------------


def test_demo_passes_inspection_on_its_pinned_date() -> None:
    result = run_cli("check", "--site", REPO, "--format", "json")
    assert result.code == 0, result.out
    assert [f for f in json.loads(result.out) if f["rule"].startswith("INS")] == []


@pytest.mark.parametrize("later", ["2026-12-21"])
def test_demo_a_month_later_fails_on_ins001_only(demo_copy: Path, later: str) -> None:
    result = run_cli("check", "--site", demo_copy, "--today", later, "--format", "json")
    assert result.code == 1
    found = json.loads(result.out)
    blocking = {f["rule"] for f in found if f["severity"] == "block"}
    assert blocking == {"INS001"}
    assert {f["rule"] for f in found if f["rule"].startswith("INS")} == {"INS001"}
    files = {f["file"] for f in found if f["rule"] == "INS001"}
    assert files == {"site.yaml"} | {
        f"content/{slug}/department.yaml" for slug in ("aershan", "chuxiong", "huaning", "yuxi")
    }


# --- the check cache -------------------------------------------------------------------------


def test_ins_findings_are_computed_afresh_never_cached(make_site: MakeSite) -> None:
    """A warm check gives the same INS findings as a cold one; a change of another file (the body a
    term comes from) or of the date changes them though the record itself is unchanged."""
    body = "楚雄州人民政府办公室印发。"
    site = make_site(full_site({"content/d1/r1.md": rec(1, "政府信息公开制度").replace("正文。", body)}))
    cold = findings(site)
    assert (site / ".cache" / "check").is_dir()
    warm = findings(site)
    assert warm == cold and [f["rule"] for f in cold if f["rule"].startswith("INS")] == []
    (site / "content/d1/department.yaml").write_text(  # its office is a canonical name of the site
        DEPARTMENT_YAML.replace("office: 测试局办公室", "office: 楚雄市人民政府办公室"), encoding="utf-8"
    )
    assert [f["message"] for f in findings(site) if f["rule"] == "INS004"] == [
        "正文中“楚雄州人民政府办公室”应为“楚雄市人民政府办公室”（严重错别字）"
    ]
    assert [f["rule"] for f in findings(site, "2026-12-31") if f["rule"] == "INS001"] == ["INS001", "INS001"]


def test_ins004_a_damaged_memo_is_ignored(make_site: MakeSite) -> None:
    body = "根据《中华人民共合国政府信息公开条例》。"
    site = make_site(full_site({"content/d1/r1.md": rec(1, "政府信息公开制度").replace("正文。", body)}))
    first = ins(site, "INS004")
    memo = site / ".cache" / "inspection" / "typos.json"
    assert len(first) == 1 and memo.is_file()
    memo.write_text('{"fingerprint": "x", "records": [1, 2', encoding="utf-8")
    assert ins(site, "INS004") == first
    data = json.loads(memo.read_text("utf-8"))
    key = next(iter(data["records"]))
    data["records"][key] = [[0, "x", 1, 2]]  # a damaged entry under the right fingerprint
    memo.write_text(json.dumps(data), encoding="utf-8")
    assert ins(site, "INS004") == first
