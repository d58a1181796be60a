"""The 政府信息公开指南 of each department has everything 《条例》第十二条 requires,
generated from department.yaml, site.yaml and the live taxonomy."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
import yaml

from generator import urls
from generator.config import load_config
from htmlscan import scan, text_of
from conftest import REPO, record_text, run_cli

DEMO_DEPARTMENTS = sorted(p.parent.name for p in (REPO / "content").glob("*/department.yaml"))


def guide_text(build: Path, slug: str) -> tuple[str, list[str]]:
    page = scan(build, build / urls.guide(slug))
    return text_of(page), page.links


@pytest.mark.parametrize("slug", DEMO_DEPARTMENTS)
def test_demo_guide_has_every_item_of_article_12(demo_build: Path, slug: str) -> None:
    config, _ = load_config(REPO)
    facts = yaml.safe_load((REPO / "content" / slug / "department.yaml").read_text(encoding="utf-8"))
    text, links = guide_text(demo_build, slug)
    squashed = text.replace(" ", "")
    # 政府信息的分类、编排体系: every node of the live taxonomy, and how items are arranged
    assert "分类与编排体系" in text
    for top in config.categories:
        for leaf in [top, *top.leaves()]:
            assert leaf.name in text, leaf.path
            # a column hidden while empty has no listing
            listed = (demo_build / urls.category_listing(leaf.path)).is_file()
            assert listed or leaf.hide_when_empty, leaf.path
            # linked to the department's own listing of the column wherever it has records there
            own = urls.dept_listing(slug, urls.category_listing(leaf.path))
            assert (urls.relative(urls.guide(slug), own) in links) == (demo_build / own).is_file(), leaf.path
    assert "索引号、名称、文号、内容概述、发布日期" in text
    # 获取方式: 主动公开 channels and how to apply, with the reply period, the fee rule and the online link
    assert "主动公开" in text and urls.relative(urls.guide(slug), urls.dept_catalogue(slug)) in links
    assert f"自收到申请之日起{config.deadlines.reply_days}个工作日内予以答复" in squashed
    assert f"最长不超过{config.deadlines.reply_extension_days}个工作日" in squashed
    assert "不收取费用" in text and "信息处理费" in text
    if facts.get("apply_url"):
        assert facts["apply_url"] in links
    # 工作机构: name, address, office hours, phone, fax, internet contact
    for label, key in (
        ("机构名称", "office"),
        ("办公地址", "address"),
        ("办公时间", "office_hours"),
        ("联系电话", "phone"),
        ("传真号码", "fax"),
        ("电子邮箱", "email"),
        ("互联网联系方式", "website"),
    ):
        assert label in text, label
        if facts.get(key):
            assert str(facts[key]) in text, key
    # 监督和救济
    supervision = facts["supervision"]
    for value in supervision.values() if isinstance(supervision, dict) else [supervision]:
        assert str(value) in text
    assert "行政复议" in text and "行政诉讼" in text
    assert "owners" not in text and not any(str(o) in text for o in facts.get("owners", []))


def test_guide_follows_the_site_taxonomy_and_deadlines(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site(
        {
            "site.yaml": "title: 测试站点\ntoday: 2026-11-21\nrules: {STL010: off, STL008: off, INS001: off, INS002: off, INS006: off}\ndeadlines: {reply_days: 15, reply_extension_days: 10}\n"
            "categories:\n  - name: 专项公开\n    children: [{name: 乡村振兴}, {name: 通知公告}]\n",
            "content/d1/a.md": record_text(category="专项公开/通知公告"),
        }
    )
    assert run_cli("build", "--site", site, "--out", tmp_path / "out").code == 0
    text, _ = guide_text(tmp_path / "out", "d1")
    squashed = text.replace(" ", "")
    assert "乡村振兴（0条）" in squashed and "通知公告（1条）" in squashed and "专项公开（1条）" in squashed
    assert "法定主动公开内容" not in text
    assert "自收到申请之日起15个工作日内予以答复" in squashed and "最长不超过10个工作日" in squashed
    assert "传真号码 未设传真" in text  # DEPARTMENT_YAML gives no fax: said, not left blank
    assert "test@example.gov.cn" not in text  # owners are never published
