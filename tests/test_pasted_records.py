"""A second record pasted into the same file below the first is refused (FMT001), not published.

The front matter ends at its second `---`: a record pasted below was body, shown as a rule and a
heading, and its text published under the first record's 公开属性 with exit 0. generator/pasted.py
refuses a body with a second front matter — a `---` line outside code, then at least two lines
`<record key>: …` (first among them), up to the next `---`/`...` or the first line no front matter
holds — and leaves alone thematic breaks, a single `key: value` line, front matters shown in code
blocks and Chinese `名称: …` lines.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pytest

from conftest import DEPT_USCC, SITE_YAML, record_text, run_cli
from generator import pasted

MakeSite = Callable[..., Path]
CANARY = "绝不能公开的正文PASTED5581"
TITLE = "不予公开的审查表PASTED5582"

WITHHELD_FRONT = f"""---
index_no: {DEPT_USCC}/2026-00009
title: {TITLE}
category: 法定主动公开内容/通知公告
publisher: 测试局
written: 2026-11-02
publicity: 不予公开
withhold_reason: 《中华人民共和国政府信息公开条例》第十四条
review:
  drafter: 李明
  opinion: 免予公开
  checker: 王芳
  approver: 赵刚
  approved_on: 2026-11-03
---
"""
PUBLIC = record_text("公开正文。", index_no=f"{DEPT_USCC}/2026-00002")

# (name, file text, the text of the line the finding is at)
PASTES = [
    ("withheld record pasted below a public one", PUBLIC + "\n" + WITHHELD_FRONT + f"\n{CANARY}\n", "---"),
    ("pasted right below the last line", PUBLIC + WITHHELD_FRONT + f"{CANARY}\n", "---"),
    (
        "pasted front matter left unclosed",
        PUBLIC + "\n" + WITHHELD_FRONT.rsplit("---\n", 1)[0] + f"\n{CANARY}\n",
        "---",
    ),
    (
        "public record pasted below a withheld one",
        WITHHELD_FRONT + f"{CANARY}\n\n" + PUBLIC,
        "---",
    ),
]


def second_delimiter(text: str) -> int:
    """The file line of the first `---` after the front matter's own two."""
    lines = [i for i, row in enumerate(text.split("\n"), 1) if row.strip() == "---"]
    return lines[2]


def check(site: Path) -> tuple[int, list[dict[str, object]]]:
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.code in (0, 1), result.err
    return result.code, json.loads(result.out)


def output_bytes(site: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted((site / "build").rglob("*")) if path.is_file())


@pytest.mark.parametrize("name,text,start", PASTES, ids=[paste[0] for paste in PASTES])
def test_a_pasted_second_record_blocks_at_its_line(make_site: MakeSite, name: str, text: str, start: str) -> None:
    site = make_site({"content/d1/b.md": text})
    code, found = check(site)
    assert code == 1
    (finding,) = [f for f in found if f["severity"] == "block"]
    assert finding["rule"] == "FMT001" and finding["file"] == "content/d1/b.md"
    assert finding["line"] == second_delimiter(text)
    assert "第二段前置元数据" in str(finding["message"]) and "粘贴" in str(finding["message"])
    assert "每条记录单独一个文件" in str(finding["fix"])


@pytest.mark.parametrize("name,text,start", PASTES[:2], ids=[paste[0] for paste in PASTES[:2]])
def test_the_pasted_record_never_reaches_the_output(make_site: MakeSite, name: str, text: str, start: str) -> None:
    site = make_site({"content/d1/a.md": record_text(), "content/d1/b.md": text})
    assert run_cli("build", "--site", site).code == 1
    # even with FMT001 made a warning, the file is not read: nothing of it is published
    (site / "site.yaml").write_text(SITE_YAML.replace("rules: {", "rules: {FMT001: warn, "), encoding="utf-8")
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.out + result.err
    published = output_bytes(site)
    assert "关于测试工作的通知".encode() in published
    assert CANARY.encode() not in published and TITLE.encode() not in published


FENCED_FRONT = f"---\nindex_no: {DEPT_USCC}/2026-00001\ntitle: 关于……的通知\npublicity: 主动公开\n---"
# bodies that are no second record: each still builds, its text published
LEGITIMATE = {
    "thematic break": "第一部分。\n\n---\n\n第二部分LEGIT01。\n",
    "thematic breaks around text": "甲。\n\n---\n\n乙LEGIT02。\n\n---\n\n丙。\n",
    "one key line between breaks": "甲。\n\n---\ntitle: 只有一行LEGIT03\n---\n\n乙。\n",
    "front matter in a ``` block": f"格式示例LEGIT04：\n\n```yaml\n{FENCED_FRONT}\n```\n",
    "front matter in a ~~~ block": f"格式示例LEGIT05：\n\n~~~\n{FENCED_FRONT}\n~~~\n",
    "front matter in a list item's block": "- 示例LEGIT06：\n\n  ```yaml\n  ---\n  title: 甲\n  publicity: 主动公开\n  ---\n  ```\n",
    "indented code block": "示例LEGIT07：\n\n    ---\n    title: 甲\n    publicity: 主动公开\n    ---\n",
    "Chinese key lines between breaks": "甲LEGIT08。\n\n---\n发布机构: 测试局\n成文日期: 2026-11-02\n---\n",
    "text first after the break": "甲。\n\n---\n说明LEGIT09：\ntitle: 甲\npublicity: 主动公开\n---\n",
    "heading underline then text": "小标题LEGIT10\n---\n\n正文。\n",
}


def test_ordinary_bodies_with_rules_and_yaml_in_code_still_build(make_site: MakeSite) -> None:
    files = {
        f"content/d1/r{i}.md": record_text(body, index_no=f"{DEPT_USCC}/2026-{i + 10:05d}", title=f"记录{i}")
        for i, body in enumerate(LEGITIMATE.values())
    }
    site = make_site(files)
    code, found = check(site)
    assert code == 0 and not [f for f in found if f["rule"] == "FMT001"], found
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.out + result.err
    published = output_bytes(site)
    for i in range(1, len(LEGITIMATE) + 1):
        assert f"LEGIT{i:02d}".encode() in published


@pytest.mark.parametrize("name", list(LEGITIMATE))
def test_the_criterion_leaves_ordinary_bodies_alone(name: str) -> None:
    assert pasted.second_front_matter(LEGITIMATE[name]) is None


def test_the_criterion_names_the_line_and_the_keys() -> None:
    body = "正文。\n\n---\n# 第二条\nindex_no: x\n\nTitle: 甲\nreview:\n  drafter: 李明\n- 列表\npublicity: 乙\n---\n正文\n"
    assert pasted.second_front_matter(body) == (2, ["index_no", "title", "review", "publicity"])
    assert pasted.second_front_matter("---\ntitle: 甲\n正文\npublicity: 乙\n---\n") is None  # prose ends it
    fenced = "```\n---\ntitle: 甲\npublicity: 乙\n---\n```\n"
    assert pasted.second_front_matter(fenced + body) == (8, ["index_no", "title", "review", "publicity"])
