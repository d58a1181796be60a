"""The secrecy check reads what a reader sees: numbers and markings hidden by Markdown,
invisible characters, Word's spaces, dashes or grouping are caught at the source with the
line as written; a number is printed masked the same way everywhere; personal data in
department.yaml is allowed only in the contact fields meant for the public."""

from __future__ import annotations

import json
from dataclasses import dataclass
import re
from pathlib import Path
from typing import Callable

import pytest

from conftest import DEPARTMENT_YAML, DEPT_USCC, record_text, run_cli, tree_hash
from generator import urls
from generator.render import feeds
from generator.secrecy.personal import personal_data

MakeSite = Callable[..., Path]
ID = "440305198807151237"  # ISO 7064 MOD 11-2 holds, born 1988-07-15
CARD = "6228480017865939"  # Luhn holds
MOBILE = "13957086421"


# (how the clerk wrote it, the rule it must raise)
HIDDEN = {
    "emphasis": ("139**1234**5678", "SEC008"),
    "link": ("[6228](#)480017865939", "SEC008"),
    "entity": ("139&#49;2345678", "SEC008"),
    "zero-width space": ("139\u200b1234\u200b5678", "SEC008"),
    "no-break space": ("139\u00a01234\u00a05678", "SEC008"),
    "ideographic space": ("139\u30001234\u30005678", "SEC008"),
    "hyphen U+2010": ("139\u20101234\u20105678", "SEC008"),
    "full-width dash": ("139－1234－5678", "SEC008"),
    "full-width digits": ("１３９１２３４５６７８", "SEC008"),
    "grouped ID": ("440305 19880715 1237", "SEC008"),
    "ID split by a soft hyphen": ("440305\u00ad198807151237", "SEC008"),
    "marking with U+3000": ("秘\u3000密★1年", "SEC006"),
    "marking with no-break spaces": ("机密\u00a0★\u00a05年", "SEC006"),
    "marking in emphasis": ("**绝**密★长期", "SEC006"),
    "internal marking with spaces": ("内部\u3000资料", "SEC007"),
    # pasted from a damaged source: a NUL shows as �, other control characters as nothing
    "ID split by a NUL": ("440305198807\x00151237", "SEC008"),
    "mobile split by U+FFFD": ("139\ufffd1234\ufffd5678", "SEC008"),
    "marking split by a control character": ("机\x08密★5年", "SEC006"),
    "marking split by U+FFFD": ("机\ufffd密★5年", "SEC006"),
}


@pytest.mark.parametrize("name", HIDDEN)
def test_hidden_number_or_marking_blocks_with_the_line_as_written(make_site: MakeSite, name: str) -> None:
    written, rule = HIDDEN[name]
    site = make_site({"content/d1/r.md": record_text()})
    assert run_cli("build", "--site", site).code == 0
    before = tree_hash(site / "build")
    body = f"第一段。\n\n联系方式：{written}，请勿拨打。\n"
    (site / "content/d1/r.md").write_text(record_text(body), encoding="utf-8")
    result = run_cli("build", "--site", site)
    assert result.code == 1, result.err
    body_start = record_text(body).split("\n").index("---", 1) + 2  # file line of the body's first line
    assert re.search(rf"{rule} .*\n\s+content/d1/r\.md:{body_start + 2} ", result.err), result.err
    assert tree_hash(site / "build") == before


def test_a_title_with_a_zero_width_split_number_blocks(make_site: MakeSite) -> None:
    site = make_site({"content/d1/r.md": record_text(title="关于139\u200b1234\u200b5678的通知")})
    found = json.loads(run_cli("check", "--site", site, "--format", "json").out)
    assert any(f["rule"] == "SEC008" and f["line"] == 3 for f in found)


def test_two_separate_numbers_are_not_glued_into_one(make_site: MakeSite) -> None:
    """Joining gaps in digit runs is an extra view: a number standing alone is still found."""
    site = make_site({"content/d1/r.md": record_text(f"张某 {MOBILE} 2019-03-07 登记。")})
    found = json.loads(run_cli("check", "--site", site, "--format", "json").out)
    assert [f["rule"] for f in found] == ["SEC008"]


def test_near_misses_stay_silent(make_site: MakeSite) -> None:
    body = (
        "2019 2020 2021 年度数字，电话 0877-1234567，索引号 11530400MB0000001N/2026-00001，"
        "遮蔽后的号码 139****5678 与 440***********1237，商业秘密的保护。"
    )
    site = make_site({"content/d1/r.md": record_text(body)})
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.code == 0, result.out


def _closes_into_a_number(text: str) -> bool:
    """What a scan that closed every gap between digits would find: a UUID's groups as one number."""
    return any(personal_data(re.sub(r"(?<=[0-9])-(?=[0-9])", "", text)))


def test_a_uuid_is_one_identifier_not_a_card_number(make_site: MakeSite) -> None:
    """A UUID's digit groups, closed up, make a Luhn-valid 16-digit run in about one UUID in 20,000;
    a link to a CMS file named by UUID must not stop the check, a card written beside it must."""
    uuid = "03680445-1723-5291-bef2-c524c737d6d8"
    assert _closes_into_a_number(uuid)
    body = f"原文见 [附件](https://example.gov.cn/files/{uuid}.pdf)，编号 {uuid}。"
    site = make_site({"content/d1/r.md": record_text(body)})
    assert run_cli("check", "--site", site).code == 0
    (site / "content/d1/r.md").write_text(record_text(body + "\n\n卡号 6228 4800 1786 5939。"), encoding="utf-8")
    found = json.loads(run_cli("check", "--site", site, "--format", "json").out)
    assert [f["rule"] for f in found] == ["SEC008"]


def test_a_feed_entry_id_never_blocks_the_build(make_site: MakeSite) -> None:
    """Feed entry ids are UUIDs made from the 索引号: a site with 20,000 records holds about one
    whose digit groups close into a Luhn-valid number. The output scan reads it as an identifier."""
    serial = next(
        n for n in range(1, 200_000) if _closes_into_a_number(feeds.entry_id(_Indexed(f"{DEPT_USCC}/2026-{n:05d}")))
    )
    site = make_site({"content/d1/r.md": record_text(index_no=f"{DEPT_USCC}/2026-{serial:05d}")})
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    assert feeds.entry_id(_Indexed(f"{DEPT_USCC}/2026-{serial:05d}")) in (site / "build" / urls.FEED).read_text()


@dataclass
class _Indexed:
    index_no: str


def _department(**fields: str) -> str:
    text = DEPARTMENT_YAML
    for key, value in fields.items():
        text = re.sub(rf"^{key}: .*$", f"{key}: {value}", text, flags=re.MULTILINE)
    return text


@pytest.mark.parametrize(
    "key, value",
    [
        ("office", f"测试局办公室（联系人手机 {MOBILE}）"),
        ("office", f"测试局办公室 身份证 {ID}"),
        ("phone", f"0877-0000000，身份证 {ID}"),
        ("phone", f"0877-0000000，账户 {CARD}"),
        ("supervision", f"投诉 {MOBILE}"),
    ],
)
def test_personal_data_in_department_yaml_is_allowed_by_field_not_by_file(
    make_site: MakeSite, key: str, value: str
) -> None:
    site = make_site({"content/d1/r.md": record_text()})
    assert run_cli("build", "--site", site).code == 0
    before = tree_hash(site / "build")
    dept = _department(**{key: value})
    (site / "content/d1/department.yaml").write_text(dept, encoding="utf-8")
    result = run_cli("build", "--site", site)
    assert result.code == 1
    line = dept.split("\n").index(f"{key}: {value}") + 1
    assert re.search(rf"SEC008 .*\n\s+content/d1/department\.yaml:{line} ", result.err), result.err
    assert tree_hash(site / "build") == before
    assert not any(number in result.err for number in (MOBILE, ID, CARD))


def test_a_mobile_number_in_the_public_phone_field_is_published(make_site: MakeSite) -> None:
    site = make_site({"content/d1/r.md": record_text(), "content/d1/department.yaml": _department(phone=MOBILE)})
    assert run_cli("build", "--site", site).code == 0
    assert MOBILE in (site / "build/d1/guide.html").read_text(encoding="utf-8")


def test_an_allowed_number_is_matched_exactly_not_by_kind(make_site: MakeSite) -> None:
    """The department's own phone is allowed; another mobile number in the output is not."""
    other = "13712345678"
    site = make_site({"content/d1/r.md": record_text(), "content/d1/department.yaml": _department(phone=MOBILE)})
    (site / "layouts").mkdir()
    base = (Path(__file__).resolve().parent.parent / "layouts/base.html").read_text(encoding="utf-8")
    (site / "layouts/base.html").write_text(base.replace("</body>", f"<p>{other}</p></body>"), encoding="utf-8")
    result = run_cli("build", "--site", site)
    assert result.code == 1 and "SEC008" in result.err and "生成的输出中" in result.err


def _leaked_digits(number: str, printed: str) -> list[str]:
    """Pieces of `number` beyond its first 3 and last 4 digits that appear in `printed`."""
    digits_printed = re.sub(r"[^0-9*]", " ", printed)
    hidden = [number[i : i + 4] for i in range(1, len(number) - 4)]  # every 4 digits touching the hidden middle
    return [piece for piece in hidden if piece in digits_printed.replace(" ", "")]


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_matched_numbers_are_masked_in_every_format(make_site: MakeSite, fmt: str) -> None:
    body = f"身份证号{ID}，手机{MOBILE}，卡号{CARD}。"
    site = make_site({"content/d1/r.md": record_text(body)})
    result = run_cli("check", "--site", site, "--format", fmt)
    assert result.code == 1 and "SEC008" in result.out and result.out.count("content/d1/r.md") >= 3
    for number in (ID, MOBILE, CARD):
        assert _leaked_digits(number, result.out) == [], (number, result.out)
    if fmt != "github":
        assert "440" in result.out and "1237" in result.out and "139****6421" in result.out


def test_dashboard_masks_too(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/d1/r.md": record_text(f"身份证号{ID}，手机{MOBILE}。")})
    run_cli("check", "--site", site, "--report", tmp_path / "report")
    dashboard = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "report").rglob("*.html"))
    assert "SEC008" in dashboard
    for number in (ID, MOBILE):
        assert _leaked_digits(number, dashboard) == []


def test_a_number_is_masked_in_a_neighbouring_findings_excerpt(make_site: MakeSite) -> None:
    """A marking's excerpt shows its context; a number in that context is masked whole, never cut."""
    site = make_site({"content/d1/r.md": record_text("密级：机密★5年 号码 440305 19880715 1237")})
    out = run_cli("check", "--site", site, "--format", "json").out
    assert _leaked_digits(ID, out) == [], out


def test_check_of_the_demo_is_unchanged_by_normalization() -> None:
    root = Path(__file__).resolve().parent.parent
    found = json.loads(run_cli("check", "--site", root, "--format", "json").out)
    assert not [f for f in found if f["rule"].startswith("SEC")]
