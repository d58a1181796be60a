"""A key that reads as another key of the same mapping is refused like a key written twice (FMT001).

YAML takes `Publicity: 不予公开` and `publicity: 主动公开` for two keys: the first was an unknown key
(an FMT002 warning) and the record was published in full. generator/lookalike.py refuses a key that
reads as a declared key written beside it (case, width, spaces, invisible characters, `_`/`-`, or
the key's 中文名 from schema.py), one that reads as a key the secrecy decision depends on even
alone, and a key written at the wrong level of `review`/`declassified` — in the flat reader's path
and libyaml's alike, whatever the check cache held.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DEPARTMENT_YAML, DEPT_USCC, SITE_YAML, record_text, run_cli
from generator import checkcache, load, lookalike, pagecache, yamlflat, yamlsrc
from generator.schema import DepartmentFacts, RecordFront, key_skeleton

MakeSite = Callable[..., Path]
CANARY = "绝不能公开的正文LOOKALIKE4471"
TITLE = "不予公开的标题LOOKALIKE4472"
REASON = "《中华人民共和国政府信息公开条例》第十四条"
REVIEW = "{drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: 2026-11-03}"


def withheld_then_public(lookalike_line: str) -> str:
    """A record whose look-alike key says 不予公开 above the real key that says 主动公开."""
    return record_text(CANARY, title=TITLE).replace(
        "publicity: 主动公开", f"{lookalike_line}\nwithhold_reason: {REASON}\npublicity: 主动公开"
    )


# (name, record text, the look-alike's line text): each published the record in full with exit 0
TRICKS = [
    ("中文名 公开属性", withheld_then_public("公开属性: 不予公开"), "公开属性:"),
    ("capital Publicity", withheld_then_public("Publicity: 不予公开"), "Publicity:"),
    ("U+3000 inside the key", withheld_then_public("publicity\u3000: 不予公开"), "publicity\u3000:"),
    ("trailing underscore", withheld_then_public("publicity_: 不予公开"), "publicity_:"),
    ("U+200B after the key", withheld_then_public("publicity\u200b: 不予公开"), "publicity\u200b:"),
    ("full-width ｐ", withheld_then_public("\uff50ublicity: 不予公开"), "\uff50ublicity:"),
    (
        "the real key first, the look-alike below",
        record_text(CANARY, title=TITLE).replace("publicity: 主动公开", "publicity: 主动公开\nPUBLICITY: 不予公开"),
        "PUBLICITY:",
    ),
    (
        "opinion look-alike inside review",
        record_text(
            CANARY,
            title=TITLE,
            review="\n  drafter: 李明\n  Opinion: 需报审\n  opinion: 主动公开\n  checker: 王芳\n"
            "  approver: 赵刚\n  approved_on: 2026-11-03",
        ),
        "  Opinion:",
    ),
]


def line_of(text: str, start: str) -> int:
    (line,) = [i for i, row in enumerate(text.split("\n"), 1) if row.startswith(start)]
    return line


def check(site: Path) -> tuple[int, list[dict[str, object]]]:
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.code in (0, 1), result.err
    return result.code, json.loads(result.out)


def blocking(found: list[dict[str, object]]) -> list[dict[str, object]]:
    return [f for f in found if f["severity"] == "block"]


def output_bytes(site: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted((site / "build").rglob("*")) if path.is_file())


def assert_never_published(make_site: MakeSite, files: dict[str, str]) -> None:
    """The build is refused; and with FMT001 made a warning (rules:), the build goes on without the
    record: nothing of it reaches the output."""
    site = make_site({"content/d1/a.md": record_text(), **files})
    assert run_cli("build", "--site", site).code == 1
    (site / "site.yaml").write_text(SITE_YAML.replace("rules: {", "rules: {FMT001: warn, "), encoding="utf-8")
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.out + result.err
    published = output_bytes(site)
    assert "关于测试工作的通知".encode() in published  # the good record is there
    assert CANARY.encode() not in published and TITLE.encode() not in published


@pytest.mark.parametrize("name,text,start", TRICKS, ids=[trick[0] for trick in TRICKS])
def test_a_lookalike_beside_the_real_key_blocks_at_its_line(
    make_site: MakeSite, name: str, text: str, start: str
) -> None:
    site = make_site({"content/d1/b.md": text})
    code, found = check(site)
    assert code == 1
    (finding,) = blocking(found)
    assert finding["rule"] == "FMT001" and finding["file"] == "content/d1/b.md"
    assert finding["line"] == line_of(text, start)
    message = str(finding["message"])
    assert "重复" in message and "只保留一个" in message
    assert "'publicity'" in message or "'review.opinion'" in message


@pytest.mark.parametrize("name,text,start", TRICKS[:3], ids=[trick[0] for trick in TRICKS[:3]])
def test_the_withheld_text_never_reaches_the_output(make_site: MakeSite, name: str, text: str, start: str) -> None:
    assert_never_published(make_site, {"content/d1/b.md": text})


def test_a_top_level_key_indented_under_review_blocks(make_site: MakeSite) -> None:
    text = record_text(
        CANARY,
        title=TITLE,
        review="\n  drafter: 李明\n  opinion: 主动公开\n  checker: 王芳\n  approver: 赵刚\n"
        "  approved_on: 2026-11-03\n  publicity: 不予公开",
    )
    site = make_site({"content/d1/b.md": text})
    code, found = check(site)
    (finding,) = blocking(found)
    assert code == 1 and finding["rule"] == "FMT001" and finding["line"] == line_of(text, "  publicity:")
    assert "缩进错误" in str(finding["message"]) and "顶层" in str(finding["message"])
    assert "移到行首" in str(finding["fix"])
    assert_never_published(make_site, {"content/d1/b.md": text})


def test_a_top_level_key_indented_under_declassified_blocks(make_site: MakeSite) -> None:
    text = record_text(
        CANARY,
        publicity="脱密后公开",
        withhold_reason=REASON,
        declassified="\n  approver: 赵刚\n  date: 2026-11-01\n  basis: 保密期限届满\n  Publicity: 不予公开",
    )
    site = make_site({"content/d1/b.md": text})
    _, found = check(site)
    (finding,) = blocking(found)
    assert finding["rule"] == "FMT001" and finding["line"] == line_of(text, "  Publicity:")
    assert "缩进错误" in str(finding["message"]) and "declassified" in str(finding["message"])


def test_a_review_key_dedented_to_the_top_level_blocks(make_site: MakeSite) -> None:
    """`opinion: 需报审` written at the top level was ignored: nobody saw that the record may not go out."""
    text = record_text(CANARY, title=TITLE).replace("publicity: 主动公开", "publicity: 主动公开\nopinion: 需报审")
    text = text.replace("opinion: 主动公开, ", "")
    site = make_site({"content/d1/b.md": text})
    _, found = check(site)
    (finding,) = blocking(found)
    assert finding["rule"] == "FMT001" and finding["line"] == line_of(text, "opinion:")
    assert "缩进错误" in str(finding["message"]) and "review" in str(finding["message"])


@pytest.mark.parametrize(
    "change",
    [
        ("publicity: 主动公开", "Publicity: 不予公开"),
        ("publicity: 主动公开", "公开属性: 主动公开"),
        ("publicity: 主动公开", f"publicity: 主动公开\n不予公开理由: {REASON}"),
        ("review:", "Review:"),
        ("opinion: 主动公开", "拟定意见: 需报审"),
    ],
    ids=["Publicity", "公开属性", "不予公开理由", "Review", "review.拟定意见"],
)
def test_a_lookalike_of_a_secrecy_key_blocks_even_alone(make_site: MakeSite, change: tuple[str, str]) -> None:
    text = record_text(CANARY).replace(*change)
    site = make_site({"content/d1/b.md": text})
    _, found = check(site)
    fmt001 = [f for f in found if f["rule"] == "FMT001"]
    assert len(fmt001) == 1 and fmt001[0]["severity"] == "block"
    key = change[1].split("\n")[-1].split(":")[0].strip()
    assert fmt001[0]["line"] == line_of(text, key if key != "拟定意见" else "review:")
    assert "应写作" in str(fmt001[0]["message"])


def test_a_lookalike_of_another_key_alone_stays_an_fmt002_warning(make_site: MakeSite) -> None:
    """`Summary:` without `summary:` decides nothing: as before, an unknown key ignored with a warning."""
    site = make_site({"content/d1/b.md": record_text(Summary="一句话概述", index_no=f"{DEPT_USCC}/2026-00002")})
    code, found = check(site)
    assert code == 0
    assert [(f["rule"], f["severity"]) for f in found if str(f["rule"]).startswith("FMT")] == [("FMT002", "warn")]


def test_a_record_using_each_key_once_and_unrelated_unknown_keys_builds(make_site: MakeSite) -> None:
    text = record_text(
        "正文。",
        summary="概述。",
        keywords="[甲, 乙]",
        status="现行有效",
        note="备注不是任何键的写法",  # unknown: the FMT002 warning, as before
    )
    site = make_site({"content/d1/a.md": text})
    code, found = check(site)
    assert code == 0 and not blocking(found)
    assert run_cli("build", "--site", site).code == 0


def test_a_department_yaml_lookalike_beside_its_key_blocks(make_site: MakeSite) -> None:
    text = DEPARTMENT_YAML + "Name: 另一个局\n"
    site = make_site({"content/d1/department.yaml": text, "content/d1/a.md": record_text()})
    _, found = check(site)
    (finding,) = [f for f in found if f["rule"] == "FMT001"]
    assert finding["file"] == "content/d1/department.yaml" and finding["line"] == line_of(text, "Name:")
    assert "'name'" in str(finding["message"]) and "只保留一个" in str(finding["message"])
    assert load.load_department(site / "content/d1", site, []).data == {}


def test_a_department_yaml_chinese_name_alone_stays_a_warning(make_site: MakeSite) -> None:
    text = DEPARTMENT_YAML + "邮政编码: 653100\n"
    site = make_site({"content/d1/department.yaml": text, "content/d1/a.md": record_text()})
    code, found = check(site)
    assert code == 0 and [f["rule"] for f in found if str(f["rule"]).startswith("FMT")] == ["FMT002"]


@pytest.mark.parametrize("name,text,start", TRICKS, ids=[trick[0] for trick in TRICKS])
def test_the_flat_reader_and_libyaml_give_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, start: str
) -> None:
    path = tmp_path / "content/d1/b.md"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    fast: list = []
    load.load_record(path, tmp_path, "d1", fast)
    with monkeypatch.context() as patch:
        patch.setattr(yamlflat, "parse", lambda *args: None)
        slow: list = []
        load.load_record(path, tmp_path, "d1", slow)
    assert fast == slow and [f.rule for f in fast] == ["FMT001"]


NAMES = list(RecordFront.keys)
VARIANTS = [
    lambda key: key,
    str.upper,
    str.title,
    lambda key: key + "_",
    lambda key: "-" + key,
    lambda key: key + "\u3000",
    lambda key: key + "\u200b",
    lambda key: "\uff50" + key[1:] if key.startswith("p") else key,
    lambda key: RecordFront.keys[key].label,
    lambda key: "x" + key,  # no look-alike: an unknown key
]


@st.composite
def front_matters(draw: st.DrawFn) -> str:
    """A flat front matter of declared keys and look-alikes of them, some nested under review."""
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        key = draw(st.sampled_from(VARIANTS))(draw(st.sampled_from(NAMES)))
        rows.append(f"{key}: {draw(st.sampled_from(['主动公开', '不予公开', '2026-11-03', '甲']))}")
    if draw(st.booleans()):
        inner = draw(st.lists(st.sampled_from(["drafter", "Opinion", "opinion", "publicity", "审核人"]), max_size=3))
        rows.append("review:" if inner else "review: {drafter: 李明}")
        rows += [f"  {key}: 王芳" for key in inner]
    return "\n".join(rows)


@settings(max_examples=300, deadline=None)
@given(front=front_matters())
def test_flat_and_libyaml_front_matters_give_the_same_lookalike_findings(front: str) -> None:
    try:
        fast = yamlsrc.parse(front, 1)
    except yamlsrc.YamlError:
        return  # a key written twice exactly: yamlsrc's own FMT001
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlflat, "parse", lambda *args: None)
        slow = yamlsrc.parse(front, 1)
    assert lookalike.faults(fast, RecordFront, 1) == lookalike.faults(slow, RecordFront, 1)


def test_the_flat_reader_takes_some_of_the_tricks() -> None:
    """So the comparison above compares two readers (the rest has characters only libyaml reads)."""
    flat = [name for name, text, _ in TRICKS if yamlflat.parse(text.split("---\n")[1], yamlsrc._plain, 10_000)]
    assert "capital Publicity" in flat and "trailing underscore" in flat


def test_a_check_cache_written_before_the_rule_does_not_hide_it(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache entry of a release without the rule holds the record loaded, without a finding. The
    shards name the release's code (checkcache.version: every module of the package, this one's too),
    so the release with the rule reads the file again."""
    _, text, _ = TRICKS[1]
    site = make_site({"content/d1/b.md": text})
    with monkeypatch.context() as patch:  # the release before: no look-alike rule, its own version
        patch.setattr(lookalike, "faults", lambda *args, **kwargs: [])
        patch.setattr(checkcache, "version", lambda: "the release before")
        code, found = check(site)
        assert code == 0 and not blocking(found)
        assert run_cli("check", "--site", site).code == 0  # from the cache
    assert any((site / ".cache/check").glob("*.json"))
    for _ in range(2):  # cold for this release, then warm from its own cache
        code, found = check(site)
        assert code == 1 and [f["rule"] for f in blocking(found)] == ["FMT001"]


def test_the_check_cache_version_changes_with_the_lookalike_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """What keeps an old entry out: the version names the code of every module, this rule's too."""
    module = Path(lookalike.__file__).resolve()
    read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: read(path) + (b"#" if path == module else b""))
    assert pagecache.product.__wrapped__() != pagecache.product()


def test_each_declared_key_and_its_chinese_name_read_as_that_key() -> None:
    for declaration in (RecordFront, DepartmentFacts):
        for name, key in declaration.keys.items():
            assert declaration.reads_as(name) == name
            assert declaration.reads_as(key.label) == name
    assert RecordFront.reads_as("名称") == "title" and RecordFront.reads_as("索引号") == "index_no"
    for written in ("Publicity", "publicity\u3000", "publicity_", "-publicity", "publicity\u200b", "\uff50ublicity"):
        assert key_skeleton(written) == key_skeleton("publicity"), written
    assert RecordFront.reads_as("publicity_old") is None and RecordFront.reads_as("status") == "status"
