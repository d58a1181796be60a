"""`disclosure new` allocates the next index number; `disclosure codeowners` maps folders to owners."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from conftest import DEPT_USCC, record_text, run_cli

MakeSite = Callable[..., Path]


def test_new_allocates_the_next_serial_and_the_check_asks_for_the_review(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text(index_no=f"{DEPT_USCC}/2026-00007")})
    result = run_cli(
        "new", "--site", site, "--dept", "d1", "--category", "法定主动公开内容/通知公告", '关于"新"工作的通知'
    )
    assert result.code == 0, result.err
    path = site / "content/d1/2026-00008.md"
    assert str(path) in result.out and f"index_no: {DEPT_USCC}/2026-00008" in path.read_text("utf-8")
    findings = json.loads(run_cli("check", "--site", site, "--format", "json").out)
    # the clerk still has to choose the 公开属性 (SEC001) and name the reviewers (SEC003)
    assert {f["rule"] for f in findings if f["file"] == "content/d1/2026-00008.md"} == {"SEC001", "SEC003"}
    second = run_cli("new", "--site", site, "--dept", "d1", "--category", "政府信息公开制度", "第二条")
    assert second.code == 0 and (site / "content/d1/2026-00009.md").exists()


def test_new_refuses_unknown_department_and_category(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text()})
    assert run_cli("new", "--site", site, "--dept", "nope", "--category", "政府信息公开制度", "标题").code == 2
    result = run_cli("new", "--site", site, "--dept", "d1", "--category", "不存在", "标题")
    assert result.code == 2 and "政府信息公开制度" in result.err
    assert sorted(p.name for p in (site / "content/d1").glob("*.md")) == ["a.md"]


def test_codeowners_lists_each_department_with_its_owners(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text()})
    result = run_cli("codeowners", "--site", site)
    assert result.code == 0
    assert "/content/d1/ test@example.gov.cn" in result.out.splitlines()


def test_new_writes_every_field_of_the_record_format_with_a_chinese_comment(make_site: MakeSite) -> None:
    """A clerk sees every key there is (文号, 内容概述, 文种, 主题分类, 关键词 …), each explained in
    Chinese; the rarer ones (解密, 签认) as comments to uncomment. The file still parses."""
    from generator import yamlsrc
    from generator.schema import RecordFront, Review

    site = make_site({"content/d1/a.md": record_text(index_no=f"{DEPT_USCC}/2026-00007")})
    assert run_cli("new", "--site", site, "--dept", "d1", "--category", "政府信息公开制度", "制度").code == 0
    text = (site / "content/d1/2026-00008.md").read_text("utf-8")
    front = text.split("---\n")[1]
    lines = front.splitlines()
    for name, key in RecordFront.keys.items():
        line = next((ln for ln in lines if ln.lstrip("# ").startswith(f"{name}:")), None)
        assert line is not None, name
        assert f"# {key.label}：" in line or f"  {key.label}：" in line, line
    for name, key in Review.keys.items():
        assert any(ln.startswith(f"  {name}:") and f"# {key.label}：" in ln for ln in lines), name
    data = yamlsrc.parse(front).data
    assert {"summary", "doc_no", "doc_type", "topic", "keywords"} <= set(data)
    assert "declassified" not in data and "signoffs" not in data
