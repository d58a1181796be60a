"""A key written twice in one YAML mapping is an error naming both lines, in every YAML file.

PyYAML keeps the last of two equal keys without a word: a careless merge-conflict resolution
that leaves `publicity: 不予公开` above `publicity: 主动公开` would publish the record in full.
generator/yamlsrc.py refuses it (FMT001 for content files, exit 2 for site.yaml), refuses the
merge key `<<`, and walks every YAML node once so that an alias bomb is refused cheaply
(tests/test_yaml_safety.py: the bounds, tags and the Chinese error messages).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from conftest import DEPARTMENT_YAML, DEPT_USCC, SITE_YAML, record_text, run_cli, tree_hash
from generator import load, yamlsrc

MakeSite = Callable[..., Path]
CANARY = "绝不能公开的正文CANARY7731"


def lines_of(text: str, prefix: str) -> list[int]:
    """1-based file lines that start with `prefix`, as the clerk sees them in an editor."""
    return [i for i, line in enumerate(text.splitlines(), 1) if line.startswith(prefix)]


def findings(site: Path, rule: str | None = None) -> list[dict[str, object]]:
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.code in (0, 1), result.err
    return [f for f in json.loads(result.out) if rule is None or f["rule"] == rule]


def built_site(make_site: MakeSite) -> tuple[Path, str]:
    """A site with one good record, built; the hash of its output."""
    site = make_site({"content/d1/a.md": record_text()})
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err + result.out
    return site, tree_hash(site / "build")


def assert_blocked_and_untouched(site: Path, before: str) -> None:
    result = run_cli("build", "--site", site)
    assert result.code == 1, result.out + result.err
    assert tree_hash(site / "build") == before
    for path in (site / "build").rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path


# --- records --------------------------------------------------------------------------

DUPLICATE_PUBLICITY = f"""---
index_no: {DEPT_USCC}/2026-00002
title: 关于内部事项的请示
category: 法定主动公开内容/通知公告
publisher: 测试局
written: 2026-11-02
publicity: 不予公开
withhold_reason: 《中华人民共和国政府信息公开条例》第十四条
published: 2026-11-03
review: {{drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: 2026-11-03}}
publicity: 主动公开
---
{CANARY}
"""


def test_duplicate_publicity_in_a_record_blocks_the_build_and_names_both_lines(make_site: MakeSite) -> None:
    site, before = built_site(make_site)
    assert lines_of(DUPLICATE_PUBLICITY, "publicity:") == [7, 11]
    (site / "content/d1/b.md").write_text(DUPLICATE_PUBLICITY, encoding="utf-8")
    (found,) = findings(site, "FMT001")
    assert found["file"] == "content/d1/b.md" and found["line"] == 11
    assert found["severity"] == "block"
    assert "publicity" in str(found["message"]) and "第 7 行与第 11 行" in str(found["message"])
    text = run_cli("check", "--site", site)
    assert text.code == 1 and "content/d1/b.md:11" in text.out
    assert_blocked_and_untouched(site, before)


def test_a_record_with_a_duplicate_key_is_not_loaded(tmp_path: Path) -> None:
    path = tmp_path / "content/d1/b.md"
    path.parent.mkdir(parents=True)
    path.write_text(DUPLICATE_PUBLICITY, encoding="utf-8")
    found: list = []
    record = load.load_record(path, tmp_path, "d1", found)
    assert not record.loaded and record.meta == {} and record.body == ""
    assert [(f.rule, f.line) for f in found] == [("FMT001", 11)]


DUPLICATE_IN_REVIEW = f"""---
index_no: {DEPT_USCC}/2026-00002
title: 关于测试工作的通知
category: 法定主动公开内容/通知公告
publisher: 测试局
written: 2026-11-02
published: 2026-11-03
publicity: 主动公开
review:
  drafter: 李明
  opinion: 不予公开
  checker: 王芳
  approver: 赵刚
  approved_on: 2026-11-03
  opinion: 主动公开
---
{CANARY}
"""


def test_duplicate_nested_key_in_review_blocks(make_site: MakeSite) -> None:
    site, before = built_site(make_site)
    assert lines_of(DUPLICATE_IN_REVIEW, "  opinion:") == [11, 15]
    (site / "content/d1/b.md").write_text(DUPLICATE_IN_REVIEW, encoding="utf-8")
    (found,) = findings(site, "FMT001")
    assert found["file"] == "content/d1/b.md" and found["line"] == 15
    assert "review.opinion" in str(found["message"]) and "第 11 行与第 15 行" in str(found["message"])
    assert_blocked_and_untouched(site, before)


def test_duplicate_key_spelled_differently_is_still_a_duplicate(make_site: MakeSite) -> None:
    text = record_text(CANARY).replace("publicity: 主动公开", 'publicity: 不予公开\n"publicity": 主动公开')
    site = make_site({"content/d1/b.md": text})
    (line,) = lines_of(text, '"publicity":')
    (found,) = findings(site, "FMT001")
    assert found["line"] == line and f"第 {line - 1} 行与第 {line} 行" in str(found["message"])


def test_merge_key_is_refused(make_site: MakeSite) -> None:
    text = record_text(
        CANARY,
        review="&r {drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: 2026-11-03}",
        declassified="{<<: *r, approver: 赵刚}",
    )
    site = make_site({"content/d1/b.md": text})
    (found,) = findings(site, "FMT001")
    assert found["line"] == lines_of(text, "declassified:")[0]
    assert "合并键" in str(found["message"])


# --- department.yaml, report front matter, site.yaml ------------------------------------


def test_duplicate_key_in_department_yaml_is_a_finding_and_the_department_is_not_loaded(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site, before = built_site(make_site)
    text = DEPARTMENT_YAML + "name: 另一个局\n"
    assert lines_of(text, "name:") == [1, 11]
    (site / "content/d1/department.yaml").write_text(text, encoding="utf-8")
    (found,) = findings(site, "FMT001")
    assert found["file"] == "content/d1/department.yaml" and found["line"] == 11
    assert "'name'" in str(found["message"]) and "第 1 行与第 11 行" in str(found["message"])
    assert_blocked_and_untouched(site, before)
    dept = load.load_department(site / "content/d1", site, [])
    assert dept.data == {}  # nothing of it is used, nothing of it published


REPORT = """---
permits: 3
penalties: 0
coercions: 0
fees: 0
permits: 9999
---
## 总体情况

文字。
"""


def test_duplicate_key_in_report_front_matter_blocks(make_site: MakeSite) -> None:
    site, before = built_site(make_site)
    assert lines_of(REPORT, "permits:") == [2, 6]
    (site / "content/d1/reports").mkdir()
    (site / "content/d1/reports/2025.md").write_text(REPORT.replace("文字。", CANARY), encoding="utf-8")
    (found,) = findings(site, "FMT001")
    assert found["file"] == "content/d1/reports/2025.md" and found["line"] == 6
    assert "第 2 行与第 6 行" in str(found["message"])
    assert_blocked_and_untouched(site, before)


def test_duplicate_key_in_site_yaml_exits_2_naming_both_lines(make_site: MakeSite) -> None:
    site, before = built_site(make_site)
    text = SITE_YAML + "page_size: 10\ntitle: 另一个站点\n"
    assert lines_of(text, "title:") == [1, 5]
    (site / "site.yaml").write_text(text, encoding="utf-8")
    result = run_cli("build", "--site", site)
    assert result.code == 2
    assert "site.yaml 第 5 行" in result.err and "第 1 行与第 5 行" in result.err and "'title'" in result.err
    assert tree_hash(site / "build") == before


def test_duplicate_nested_key_in_site_yaml(make_site: MakeSite) -> None:
    text = SITE_YAML + "footer:\n  host: 甲\n  icp: 滇ICP备1号\n  host: 乙\n"
    site = make_site({"site.yaml": text, "content/d1/a.md": record_text()})
    result = run_cli("check", "--site", site)
    assert result.code == 2
    assert "footer.host" in result.err and "第 5 行与第 7 行" in result.err


# --- near misses --------------------------------------------------------------------------


def test_the_same_key_in_different_mappings_is_fine(make_site: MakeSite) -> None:
    site_yaml = (
        SITE_YAML + "platforms:\n  - name: 甲\n    url: https://a.example.gov.cn/\n"
        "  - name: 乙\n    url: https://b.example.gov.cn/\n"
    )
    record = record_text(
        publicity="脱密后公开",
        withhold_reason="已解密",
        declassified="{approver: 赵刚, date: 2026-11-03, basis: 定密责任人审定}",
    )
    site = make_site({"site.yaml": site_yaml, "content/d1/a.md": record})
    assert findings(site, "FMT001") == []
    assert run_cli("build", "--site", site).code == 0
    parsed = yamlsrc.parse("a: 1\nb:\n  a: 2\n  c: {a: 3}\nd:\n  - a: 4\n  - a: 5\n")
    assert parsed.data == {"a": 1, "b": {"a": 2, "c": {"a": 3}}, "d": [{"a": 4}, {"a": 5}]}
    assert parsed.line_of("d", 1, "a") == 7


@pytest.mark.parametrize(
    "text, first, second",
    [
        ("a: 1\nb: 2\na: 3\n", 1, 3),
        ("yes: 1\ntrue: 2\n", 1, 2),  # both load as the key True
        ("1: a\n0x1: b\n", 1, 2),
        ("x:\n  - k: 1\n    k: 2\n", 2, 3),
    ],
)
def test_yamlsrc_duplicates(text: str, first: int, second: int) -> None:
    with pytest.raises(yamlsrc.YamlError) as raised:
        yamlsrc.parse(text)
    assert raised.value.line == second and f"第 {first} 行与第 {second} 行" in raised.value.message
    with pytest.raises(yamlsrc.YamlError) as shifted:
        yamlsrc.parse(text, line_offset=1)
    assert shifted.value.line == second and f"第 {first + 1} 行与第 {second + 1} 行" in shifted.value.message


def test_alias_heavy_valid_yaml_loads(make_site: MakeSite) -> None:
    parsed = yamlsrc.parse("base: &b {x: 1, y: [1, 2]}\none: *b\ntwo: *b\nlist: &l [*b, *b]\nmore: [*l, *l]\n")
    assert parsed.data["two"] == {"x": 1, "y": [1, 2]} and parsed.data["more"][1][0]["y"] == [1, 2]
    assert parsed.line_of("base", "x") == 1
    record = record_text(
        written="&d 2026-11-02",
        published="&p 2026-11-03",
        review="{drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: *p}",
        changed="*d",
    )
    site = make_site({"content/d1/a.md": record})
    assert [f for f in findings(site) if str(f["rule"]).startswith(("FMT", "SEC"))] == []
    assert run_cli("build", "--site", site).code == 0


def alias_bomb(levels: int = 8) -> str:
    names = "abcdefghijklmnop"
    lines = [f"{names[0]}: &{names[0]} [x, x, x, x, x, x, x, x, x]"]
    for previous, name in zip(names, names[1:levels]):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_quickly_at_the_alias_that_passes_the_bound() -> None:
    # 9**8 = 43 million leaves if expanded: refused at the first alias past MAX_NODES, not walked
    text = alias_bomb()
    with pytest.raises(yamlsrc.YamlError) as raised:
        yamlsrc.parse(text)
    assert raised.value.line == lines_of(text, "f:")[0] and "别名 *e" in raised.value.message


def test_a_modest_alias_tree_within_the_bounds_loads() -> None:
    parsed = yamlsrc.parse(alias_bomb(4))  # 9**4 = 6,561 leaves once expanded
    assert len(parsed.data["d"]) == 9 and parsed.data["d"][0][0][0] == ["x"] * 9


def test_alias_bomb_in_a_record_is_fmt001_and_finishes_in_seconds(make_site: MakeSite) -> None:
    front = record_text().split("---\n")[1]
    text = "---\n" + front + alias_bomb() + "---\n正文。\n"
    site = make_site({"content/d1/a.md": text})
    done = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--site", str(site), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    (found,) = [f for f in json.loads(done.stdout) if f["rule"] == "FMT001"]
    assert found["file"] == "content/d1/a.md" and found["line"] == lines_of(text, "f:")[0]
    built = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site", str(site)], capture_output=True, text=True, timeout=60
    )
    assert built.returncode == 1, built.stderr
