"""Every YAML file is read by one bounded, safe parser that explains its errors in Chinese.

generator/yamlsrc.py reads site.yaml, department.yaml and the front matter of records and annual
reports. Aliases are bounded (uses, nesting, size once expanded; a recursive alias refused), tags
other than the plain types are refused, and a syntax error names the line and column a clerk must
fix, with a hint for the usual causes — never PyYAML's English (issues 12 and 16).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import DEPARTMENT_YAML, REPO, SITE_YAML, record_text, run_cli
from generator import yamlsrc

MakeSite = Callable[..., Path]

# PyYAML's vocabulary: none of it may reach a clerk.
ENGLISH = re.compile(
    r"\b(while|found|expected|could|not|mapping|scanning|parsing|character|token|allowed|"
    r"context|stream|document|constructor|determine|indentation|anchor|alias|scalar|block|"
    r"flow|sequence|unacceptable|position|unicode|string|line|column)\b",
    re.IGNORECASE,
)


def findings(site: Path, rule: str | None = None) -> list[dict[str, object]]:
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.code in (0, 1), result.err
    return [f for f in json.loads(result.out) if rule is None or f["rule"] == rule]


def front(*lines: str) -> str:
    """A record whose front matter is the good record's with `lines` added at its end."""
    good = record_text().split("---\n")[1]
    return "---\n" + good + "".join(line + "\n" for line in lines) + "---\n正文。\n"


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def assert_chinese(found: dict[str, object]) -> None:
    for key in ("message", "fix"):
        text = str(found[key])
        assert text and not ENGLISH.search(text), f"{key}: {text}"
        assert re.search(r"[\u4e00-\u9fff]", text), text


def only_fmt001(site: Path) -> dict[str, object]:
    (found,) = findings(site, "FMT001")
    assert_chinese(found)
    return found


# --- bounds: aliases, nesting, size -------------------------------------------------------------


def test_a_recursive_alias_in_signoffs_is_fmt001_at_its_line(make_site: MakeSite) -> None:
    for value in ("&s [*s]", "&s [{rule: SEC008, reviewers: *s}]", "&s {a: *s}"):
        text = front(f"signoffs: {value}")
        site = make_site({"content/d1/a.md": text})
        found = only_fmt001(site)
        assert found["line"] == line_of(text, "signoffs:") and "循环引用" in str(found["message"]), found
        assert run_cli("build", "--site", site).code == 1


def test_too_many_alias_uses_are_refused_at_the_one_past_the_bound() -> None:
    text = "a: &a x\nb:\n" + "".join("  - *a\n" for _ in range(yamlsrc.MAX_ALIASES + 5))
    with pytest.raises(yamlsrc.YamlError) as raised:
        yamlsrc.parse(text)
    assert raised.value.line == 3 + yamlsrc.MAX_ALIASES and f"超过 {yamlsrc.MAX_ALIASES} 次" in raised.value.message
    yamlsrc.parse("a: &a x\nb:\n" + "".join("  - *a\n" for _ in range(yamlsrc.MAX_ALIASES)))  # at the bound: fine


def test_nesting_past_the_bound_is_refused_with_its_line_and_column() -> None:
    deep = "a: 1\nb: " + "[" * (yamlsrc.MAX_DEPTH + 1) + "]" * (yamlsrc.MAX_DEPTH + 1) + "\n"
    with pytest.raises(yamlsrc.YamlError) as raised:
        yamlsrc.parse(deep)
    assert (raised.value.line, raised.value.column) == (2, 4 + yamlsrc.MAX_DEPTH - 1)
    ok = "b: " + "[" * (yamlsrc.MAX_DEPTH - 1) + "]" * (yamlsrc.MAX_DEPTH - 1) + "\n"
    assert yamlsrc.parse(ok).data["b"] is not None


def test_nesting_through_aliases_counts_too() -> None:
    half = yamlsrc.MAX_DEPTH // 2 + 2
    text = "a: &a " + "[" * half + "]" * half + "\nb: " + "[" * half + "*a" + "]" * half + "\n"
    with pytest.raises(yamlsrc.YamlError) as raised:
        yamlsrc.parse(text)
    assert raised.value.line == 2 and "嵌套超过" in raised.value.message


def test_two_hundred_thousand_brackets_neither_crash_nor_hang(make_site: MakeSite) -> None:
    # libyaml's composer recurses per level and overflows the C stack near 100,000 levels
    text = front("keywords: " + "[" * 200_000 + "]" * 200_000)
    site = make_site({"content/d1/a.md": text})
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--site", str(site), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 1, done.stderr
    (found,) = [f for f in json.loads(done.stdout) if f["rule"] == "FMT001"]
    assert found["line"] == line_of(text, "keywords:") and "嵌套超过" in found["message"]
    print(f"200,000 brackets: {time.monotonic() - started:.1f} s")


def test_a_value_longer_than_limits_field_chars_is_fmt001_and_the_limit_is_a_setting(make_site: MakeSite) -> None:
    text = front("summary: " + "长" * 6000)
    site = make_site({"content/d1/a.md": text})
    found = only_fmt001(site)
    assert found["line"] == line_of(text, "summary:") and "6000 个字" in str(found["message"])
    assert "limits.field_chars" in str(found["fix"])
    (site / "site.yaml").write_text(SITE_YAML + "limits: {field_chars: 7000}\n", encoding="utf-8")
    assert findings(site, "FMT001") == []


# --- tags -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, shown",
    [
        ("!!python/object/apply:os.system [echo pwned]", "!!python/object/apply:os.system"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!foo 关于测试工作的通知", "!foo"),
        ("!!binary 5YWz5LqO", "!!binary"),
        ("!!set {a, b}", "!!set"),
        ("!!omap [{a: 1}]", "!!omap"),
        ("!!int 关于", "!!int"),
    ],
)
def test_a_tag_is_refused_with_its_line(make_site: MakeSite, value: str, shown: str) -> None:
    text = front(f"doc_type: {value}")
    site = make_site({"content/d1/a.md": text})
    (found,) = findings(site, "FMT001")
    assert found["line"] == line_of(text, "doc_type:") and f"不支持 YAML 标签“{shown}”" in str(found["message"])
    assert "删除以 ! 开头的标签" in str(found["fix"])


def test_the_plain_types_and_str_still_load() -> None:
    parsed = yamlsrc.parse("a: !!str 2026\nb: 2026-11-03\nc: 1.5\nd: true\ne: null\nf: =\ng: <<\nh: [1, {i: x}]\n")
    assert parsed.data["a"] == "2026" and parsed.data["f"] == "=" and parsed.data["g"] == "<<"


# The data of a document is made in the same walk that finds its lines and faults (not by PyYAML's
# constructor afterwards): it must be what PyYAML's safe loader makes, value for value and type for type.
_SCALARS = (
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False)
    | st.booleans()
    | st.none()
    | st.dates()
    | st.datetimes()
)
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_SCALARS, inner, max_size=4),
    max_leaves=12,
)


# what yamlsrc builds on (the pure-Python parser differs at edges: `[0:,]`)
LIBYAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _as_loaded(data: object) -> str:
    """The data with its types: 1 and True, a date and its text differ."""
    return repr(data) + repr(_types(data))


def _types(data: object) -> object:
    """The type of every value in `data`, in its shape."""
    if isinstance(data, dict):
        return [(_types(k), _types(v)) for k, v in data.items()]
    if isinstance(data, list):
        return [_types(item) for item in data]
    return type(data).__name__


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(_DOCUMENTS, st.sampled_from([None, False, True]))
def test_any_document_pyyaml_writes_reads_as_pyyaml_reads_it(data: object, flow: bool | None) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow)
    assume("!!" not in text)  # an explicit tag (some datetimes), which yamlsrc refuses on purpose
    expected = yaml.load(text, Loader=LIBYAML)
    assert _as_loaded(yamlsrc.parse(text, max_chars=10**6).data) == _as_loaded(expected)


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(
    st.text(alphabet="0123456789abcdefxoXOeE.+-_:~ TtYyNn年月日公开,", min_size=1, max_size=14)
    | st.sampled_from(
        "true True TRUE false False yes Yes YES no No NO on On ON off Off OFF y Y n N null Null NULL ~ "
        ".inf -.Inf +.INF .nan .NaN 0b101 0o17 0x1F 190:20:30 1_000 2026-11-30T10:00:00Z".split()
    )
)
def test_a_plain_value_of_any_shape_reads_as_pyyaml_reads_it(value: str) -> None:
    """Chinese text and every look-alike of a number, a date, a boolean or null, written plain."""
    text = f"k: {value}\nlist: [{value}]\n"
    try:
        expected: object = _as_loaded(yaml.load(text, Loader=LIBYAML))
    except (yaml.YAMLError, ValueError):
        expected = "refused"
    try:
        found: object = _as_loaded(yamlsrc.parse(text).data)
    except yamlsrc.YamlError:
        found = "refused"
    assert found == expected


def test_a_value_met_again_through_an_alias_is_the_same_object() -> None:
    data = yamlsrc.parse("a: &x [1, {b: 2026-01-02}]\nc: *x\nd: &y 12\ne: *y\n").data
    assert data["a"] is data["c"] and data == yaml.safe_load("a: &x [1, {b: 2026-01-02}]\nc: *x\nd: 12\ne: 12\n")


@pytest.mark.parametrize(
    "text",
    ["? [a, b]\n: x\n", "? {a: 1}\n: x\n", "k: 2026-02-30\n", "a: &x [1]\n*x : 2\n"],
)
def test_a_document_pyyaml_cannot_make_is_refused_in_chinese(text: str) -> None:
    with pytest.raises((yaml.YAMLError, ValueError)):  # PyYAML itself refuses it
        yaml.safe_load(text)
    with pytest.raises(yamlsrc.YamlError) as refused:
        yamlsrc.parse(text)
    assert not ENGLISH.search(refused.value.message), refused.value.message


# --- one parser for every YAML file ---------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2026-01-02",
        "2026-01-02 10:30:00+08:00",
        "12",
        "0x1F",
        "0o17",
        "1_000",
        "1.5e3",
        ".5",
        "-.inf",
        "yes",
        "No",
        "null",
        "~",
        "11530400MB0000001N/2026-00009",
        "1985-06-01x",
        "+12",
        "12:30:00",
        "2026-13-01",
    ],
)
def test_a_plain_scalar_reads_as_pyyaml_reads_it_every_time(value: str) -> None:
    """The loader remembers the tag of each plain scalar it resolved: the second reading of a value
    (from the memo) is the first's, and both are the safe loader's own."""

    def read() -> object:
        try:
            return yamlsrc.parse(f"k: {value}\nlist: [{value}]\n").data
        except yamlsrc.YamlError:
            return "refused"

    try:
        expected: object = yaml.safe_load(f"k: {value}\nlist: [{value}]\n")
    except ValueError:  # a date that does not exist
        expected = "refused"
    assert read() == read() == expected


def test_only_yamlsrc_loads_yaml() -> None:
    loaders = re.compile(
        r"yaml\.(load|safe_load|full_load|unsafe_load|load_all|safe_load_all|compose|parse)\(|"
        r"yaml\.(C?SafeLoader|C?FullLoader|C?UnsafeLoader|C?Loader|C?BaseLoader)\b"
    )
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "generator").rglob("*.py")
        if path.name != "yamlsrc.py" and loaders.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_department_yaml_report_and_site_yaml_take_the_same_rules(make_site: MakeSite) -> None:
    department = DEPARTMENT_YAML + "fax: !!python/object/apply:os.system [echo]\n"
    report = "---\npermits: &p [*p]\n---\n正文。\n"
    site = make_site(
        {
            "content/d1/department.yaml": department,
            "content/d1/a.md": record_text(),
            "content/d1/reports/2025.md": report,
        }
    )
    by_file = {f["file"]: f for f in findings(site, "FMT001")}
    assert by_file["content/d1/department.yaml"]["line"] == line_of(department, "fax:")
    assert by_file["content/d1/reports/2025.md"]["line"] == 2
    assert "循环引用" in str(by_file["content/d1/reports/2025.md"]["message"])
    (site / "site.yaml").write_text(SITE_YAML + "topics: !!set {a, b}\n", encoding="utf-8")
    result = run_cli("check", "--site", site)
    assert result.code == 2 and "site.yaml 第 4 行" in result.err and "!!set" in result.err
    assert not ENGLISH.search(result.err)


# --- syntax errors: Chinese, the line and column to fix, a hint ------------------------------------

FAULTS = [
    # name, lines added to a good front matter, the line (by its text) and column to report, words
    ("full-width colon", ["doc_no：测发〔2026〕1号", "summary: 概述"], "doc_no：", 7, "全角冒号"),
    ("full-width colon, last line", ["doc_no：测发〔2026〕1号"], "doc_no：", 7, "全角冒号"),
    ("tab indentation", ["declassified:", "\tapprover: 赵刚"], "\tapprover", 1, "制表符"),
    ("tab among spaces", ["declassified:", "  approver: 赵刚", "\tdate: 2026-11-03"], "\tdate", 1, "制表符"),
    (
        "unclosed double quote",
        ['summary: "没有闭合的概述', "doc_no: 测发〔2026〕1号", "keywords: [a]"],
        "summary:",
        10,
        "没有闭合",
    ),
    ("unclosed single quote", ["summary: '没有闭合的概述", "doc_no: 测发〔2026〕1号"], "summary:", 10, "没有闭合"),
    (
        "unclosed bracket",
        ["keywords: [通知, 测试", "doc_no: 测发〔2026〕1号", "summary: 概述"],
        "keywords:",
        11,
        "方括号",
    ),
    ("key indented too far", ["summary: 概述", "  doc_no: 测发〔2026〕1号"], "  doc_no", 3, "缩进"),
    ("key indented too little", ["declassified:", "    approver: 赵刚", "  date: 2026-11-03"], "  date", 3, "缩进"),
    ("list item misaligned", ["keywords:", "  - 通知", " - 测试", "summary: 概述"], " - 测试", 2, "列表项"),
    ("no space after the colon", ["summary:概述", "doc_no: 测发〔2026〕1号"], "summary:", 8, "冒号后缺少空格"),
    ("a colon in the value", ["summary: 关于: 补充通知"], "summary:", 12, "值中含有"),
    ("a control character", ["summary: 概\x07述"], "summary:", 11, "控制字符"),
    ("a bad escape", ['summary: "路径 C:\\q"'], "summary:", 16, "转义"),
    ("a value starting with @", ["summary: @测试"], "summary:", 10, "@"),
]


@pytest.mark.parametrize("name, added, at, column, words", FAULTS, ids=[f[0] for f in FAULTS])
def test_a_yaml_fault_is_explained_in_chinese_at_its_line_and_column(
    make_site: MakeSite, name: str, added: list[str], at: str, column: int, words: str
) -> None:
    text = front(*added)
    site = make_site({"content/d1/a.md": text})
    found = only_fmt001(site)
    line = line_of(text, at)
    assert found["line"] == line, (name, found)
    assert f"第 {line} 行第 {column} 列" in str(found["message"]), (name, found)
    assert words in str(found["message"]), (name, found)


def test_a_fault_in_department_yaml_and_site_yaml_is_explained_too(make_site: MakeSite) -> None:
    department = DEPARTMENT_YAML.replace("office: ", "office：")
    site = make_site({"content/d1/department.yaml": department, "content/d1/a.md": record_text()})
    found = only_fmt001(site)
    assert found["file"] == "content/d1/department.yaml" and found["line"] == line_of(department, "office：")
    assert "全角冒号" in str(found["message"])
    (site / "site.yaml").write_text("title: 测试站点\ntoday：2026-11-21\n", encoding="utf-8")
    result = run_cli("check", "--site", site)
    assert result.code == 2 and "site.yaml 第 2 行" in result.err and "全角冒号" in result.err, result.err
    assert not ENGLISH.search(result.err)


def _record_with(line3: str, line14: str) -> str:
    """A record of 16 front-matter lines whose third and fourteenth lines are given."""
    lines = [
        "index_no: 11530400MB0000001N/2026-00001",
        "title: 关于测试工作的通知",
        line3,
        "category: 法定主动公开内容/通知公告",
        "publisher: 测试局",
        "written: 2026-11-02",
        "published: 2026-11-03",
        "publicity: 主动公开",
        "review:",
        "  drafter: 李明",
        "  opinion: 主动公开",
        "  checker: 王芳",
        "  approver: 赵刚",
        line14,
        "keywords: [通知, 测试]",
        "status: 现行有效",
    ]
    return "---\n" + "\n".join(lines) + "\n---\n正文。\n"


@pytest.mark.parametrize(
    "line3, line14, line, column, words",
    [
        ('summary: "没有闭合的概述', "  approved_on: 2026-11-03", 4, 10, "没有闭合"),
        ("summary: 概述", "   approved_on: 2026-11-03", 15, 4, "缩进"),
        ("summary: 概述", " approved_on: 2026-11-03", 15, 2, "缩进"),
        ("doc_no：测发〔2026〕1号", "  approved_on: 2026-11-03", 4, 7, "全角冒号"),
        ("summary: 概述", "\tapproved_on: 2026-11-03", 15, 1, "制表符"),
    ],
    ids=["unclosed quote", "key indented too far", "key indented too little", "full-width colon", "tab"],
)
def test_a_fault_in_the_middle_of_a_front_matter_is_reported_at_its_own_line(
    make_site: MakeSite, line3: str, line14: str, line: int, column: int, words: str
) -> None:
    """The fault's own line (the file's line 4 is front matter line 3 after the opening ---), not
    the line where PyYAML noticed something was wrong, with a Chinese hint and no PyYAML English."""
    site = make_site({"content/d1/a.md": _record_with(line3, line14)})
    found = only_fmt001(site)
    assert found["line"] == line, found
    assert f"第 {line} 行第 {column} 列" in str(found["message"]) and words in str(found["message"]), found
    assert str(found.get("fix", "")), found
