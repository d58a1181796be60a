"""`disclosure build`: what reaches the output, and what never does."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from conftest import DEPT_USCC, SITE_YAML, record_text, run_cli

MakeSite = Callable[..., Path]
WITHHOLD = "withhold_reason: 《中华人民共和国政府信息公开条例》第十四条"


def output_text(build: Path) -> str:
    return "\n".join(p.read_text("utf-8", errors="replace") for p in sorted(build.rglob("*")) if p.is_file())


def idx(n: int) -> str:
    return f"{DEPT_USCC}/2026-{n:05d}"


def test_build_prints_where_the_site_is(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text()})
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    assert str(site / "build") in result.out
    assert (site / "build/index.html").is_file()


def test_one_page_per_public_record_and_none_for_the_others(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/d1/a.md": record_text(index_no=idx(1), title="主动公开的通知"),
            "content/d1/b.md": record_text(
                "正文［已删减：涉及个人隐私］。",
                index_no=idx(2),
                title="删减后公开的通知",
                publicity="删减后公开",
                withhold_reason="《条例》第十五条",
            ),
            "content/d1/c.md": record_text(
                index_no=idx(3),
                title="脱密后公开的通知",
                publicity="脱密后公开",
                withhold_reason="《条例》第十四条",
                declassified="{approver: 赵刚, date: 2026-11-01, basis: 保密期限届满}",
            ),
            "content/d1/d.md": record_text(
                index_no=idx(4), title="依申请公开的台账", publicity="依申请公开", withhold_reason="《条例》第十五条"
            ),
            "content/d1/e.md": record_text(
                index_no=idx(5),
                title="不予公开的报告",
                publicity="不予公开",
                withhold_reason="《条例》第十四条",
                review=None,
            ),
        }
    )
    assert run_cli("build", "--site", site).code == 0
    pages = sorted(p.name for p in (site / "build/d1").glob("*.html") if p.name[0].isdigit())
    assert pages == ["2026-00001.html", "2026-00002.html", "2026-00003.html"]
    text = output_text(site / "build")
    assert "依申请公开的台账" in text  # listed, metadata only
    assert "不予公开的报告" not in text and idx(5) not in text


def test_markers_of_non_public_records_never_reach_the_output(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/d1/a.md": record_text("公开正文 MARK-PUBLIC-BODY。", index_no=idx(1)),
            "content/d1/on-request.md": record_text(
                "依申请正文 MARK-ONREQUEST-BODY。",
                index_no=idx(2),
                title="依申请 MARK-ONREQUEST-TITLE",
                publicity="依申请公开",
                withhold_reason="《条例》第二十七条 MARK-ONREQUEST-REASON",
                summary="MARK-ONREQUEST-SUMMARY",
                keywords="[MARK-ONREQUEST-KEYWORD]",
            ),
            "content/d1/withheld.md": record_text(
                "不予公开正文 MARK-WITHHELD-BODY。",
                index_no=idx(3),
                title="不予公开 MARK-WITHHELD-TITLE",
                publicity="不予公开",
                withhold_reason="《条例》第十四条 MARK-WITHHELD-REASON",
                summary="MARK-WITHHELD-SUMMARY",
                review=None,
            ),
        }
    )
    assert run_cli("build", "--site", site).code == 0
    text = output_text(site / "build")
    assert "MARK-PUBLIC-BODY" in text and "MARK-ONREQUEST-TITLE" in text
    leaked = sorted(set(re.findall(r"MARK-(?:WITHHELD-\w+|ONREQUEST-(?:BODY|REASON|SUMMARY|KEYWORD))", text)))
    assert leaked == []
    assert "李明" not in text  # review names are internal


def test_repealed_record_banner_links_to_its_successor(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/d1/old.md": record_text(
                index_no=idx(1), title="旧制度", status="已废止", status_date="2026-11-10", superseded_by=idx(2)
            ),
            "content/d1/new.md": record_text(index_no=idx(2), title="新制度"),
        }
    )
    assert run_cli("build", "--site", site).code == 0
    html = (site / "build/d1/2026-00001.html").read_text("utf-8")
    banner = html[html.index("status-banner") :]
    assert "本文件已废止" in banner and 'href="2026-00002.html"' in banner.split("</div>")[0]


def test_interpretation_and_policy_link_both_ways(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/d1/policy.md": record_text(index_no=idx(1), title="某某办法"),
            "content/d1/jiedu.md": record_text(
                index_no=idx(2), title="《某某办法》解读", doc_type="政策解读", interprets=idx(1)
            ),
        }
    )
    assert run_cli("build", "--site", site).code == 0
    policy = (site / "build/d1/2026-00001.html").read_text("utf-8")
    jiedu = (site / "build/d1/2026-00002.html").read_text("utf-8")
    assert 'href="2026-00002.html"' in policy and "《某某办法》解读" in policy
    assert 'href="2026-00001.html"' in jiedu


def test_record_page_metadata_table_and_attachments(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/d1/a.md": record_text(doc_no="测发〔2026〕3号", attachments="[方案.txt]"),
            "content/d1/a.files/方案.txt": "实施方案全文。".encode(),
        }
    )
    assert run_cli("build", "--site", site).code == 0
    html = (site / "build/d1/2026-00001.html").read_text("utf-8")
    for label in ("索引号", "信息分类", "发布机构", "成文日期", "发布日期", "文号", "公开属性", "有效性"):
        assert f'<th scope="row">{label}</th>' in html
    assert "测发〔2026〕3号" in html
    assert (site / "build/d1/2026-00001/方案.txt").read_text("utf-8") == "实施方案全文。"
    assert 'href="2026-00001/方案.txt"' in html


def test_content_is_escaped_and_raw_html_never_rendered(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/d1/a.md": record_text(
                "正文 `<script>alert(2)</script>` [x](javascript:alert(3))", title='"<script>alert(1)</script>"'
            ),
            # the javascript: link is FMT009 (blocking); switched off here to see what rendering does with it
            "site.yaml": SITE_YAML.replace("STL010: 'off'", "STL010: 'off', FMT009: 'off'"),
        }
    )
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    html = "\n".join(p.read_text("utf-8") for p in (site / "build").rglob("*.html"))
    assert "<script>alert" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)" in html


def test_catalogue_is_paginated_grouped_and_newest_first(make_site: MakeSite) -> None:
    files = {
        f"content/d1/r{n}.md": record_text(index_no=idx(n), title=f"通知第{n}号", published=f"2026-11-{n + 2:02d}")
        for n in range(1, 6)
    }
    files["content/d1/p.md"] = record_text(index_no=idx(9), title="制度一", category="政府信息公开制度")
    site = make_site({**files, "site.yaml": SITE_YAML + "page_size: 4\n"})
    assert run_cli("build", "--site", site).code == 0
    first = (site / "build/d1/catalogue/index.html").read_text("utf-8")
    second = (site / "build/d1/catalogue/2.html").read_text("utf-8")
    assert "制度一" in first  # taxonomy order: 政府信息公开制度 comes before 法定主动公开内容
    assert first.index("通知第5号") < first.index("通知第4号") < first.index("通知第3号")
    assert "通知第1号" in second and 'href="2.html"' in first
    for column in ("索引号", "名称", "文号", "内容概述", "发布日期"):
        assert f">{column}</th>" in first


def test_site_layouts_override_a_default_template(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/d1/a.md": record_text(),
            "layouts/home.html": '{% extends "base.html" %}{% block content %}<p>OVERRIDDEN-HOME</p>{% endblock %}',
        }
    )
    assert run_cli("build", "--site", site).code == 0
    assert "OVERRIDDEN-HOME" in (site / "build/index.html").read_text("utf-8")


def test_build_refuses_an_output_folder_it_did_not_make(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/d1/a.md": record_text()})
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("do not delete")
    result = run_cli("build", "--site", site, "--out", precious)
    assert result.code == 2 and (precious / "keep.txt").exists()
    assert run_cli("build", "--site", site, "--out", site).code == 2
    assert (site / "site.yaml").exists()


def test_usage_errors_exit_2(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text()})
    assert run_cli("check", "--site", site, "--today", "2026-13-01").code == 2
    assert run_cli("check", "--site", site / "missing").code == 2
    (site / "site.yaml").write_text("page_size: many\n", encoding="utf-8")
    result = run_cli("check", "--site", site)
    assert result.code == 2 and "site.yaml 第 1 行" in result.err


def test_times_with_a_zone_are_read_as_china_time(make_site: MakeSite) -> None:
    """A date written with a time zone (as exported by some systems) sorts and shows beside plain dates."""
    site = make_site(
        {
            "content/d1/a.md": record_text(published="2026-11-03T10:00:00+08:00"),
            "content/d1/b.md": record_text(index_no=f"{DEPT_USCC}/2026-00002", published="2026-11-02T20:00:00Z"),
            "content/d1/c.md": record_text(index_no=f"{DEPT_USCC}/2026-00003", published="2026-11-04"),
        }
    )
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    assert "2026-11-03" in (site / "build/d1/2026-00002.html").read_text(encoding="utf-8")  # 20:00 UTC is 04:00 CST
