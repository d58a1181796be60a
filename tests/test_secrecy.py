"""The secrecy check (保密审查): every SEC rule fires on what it is meant to catch, with
its file and line, and stays quiet on the near miss next to it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import SITE_YAML, record_text, run_cli
from generator.secrecy.personal import personal_data
from office_files import docx_bytes, pdf_bytes, png_bytes, xlsx_bytes

VALID_ID = "530402199003071234"  # ISO 7064 MOD 11-2 holds, born 1990-03-07
BAD_CHECK_ID = "530402199003071231"  # same number, wrong check digit
LUHN_CARD = "6222021234567890128"
NOT_LUHN_CARD = "6222021234567890127"
FILES = "content/d1/r.files/"

MakeSite = Callable[..., Path]

# rule: (what must fire, its near miss). Each side: record keys, plus `body`, `files` and `site_yaml`.
CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "SEC001": ({"publicity": None}, {"publicity": "主动公开"}),
    "SEC002": ({"publicity": "依申请公开"}, {"publicity": "依申请公开", "withhold_reason": "《条例》第十六条"}),
    "SEC003": (
        {"review": "{drafter: 李明, checker: 李明, approver: 赵刚, approved_on: 2026-11-03}"},
        {"publicity": "不予公开", "review": None, "published": None, "withhold_reason": "《条例》第十四条"},
    ),
    "SEC004": (
        {"review": "{drafter: 李明, opinion: 需报审, checker: 王芳, approver: 赵刚, approved_on: 2026-11-03}"},
        {"review": "{drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: 2026-11-03}"},
    ),
    "SEC005": ({"published": "2026-11-02"}, {"published": "2026-11-03"}),
    "SEC006": (
        {"body": "第一段。\n\n机密★5年\n\n第三段。"},
        {"body": "加强商业秘密的保护，涉及国家秘密、个人隐私的不予公开，依照《中华人民共和国保守国家秘密法》执行。"},
    ),
    "SEC007": ({"body": "签发人：张三"}, {"body": "由单位主要负责人签发后印发。"}),
    "SEC008": (
        {"body": f"身份证号 {VALID_ID}。"},
        {"body": f"编号 {BAD_CHECK_ID}，联系人张某，证件 5304**********1234。"},
    ),
    "SEC009": (
        {"body": "此处提到某甲工程。", "site_yaml": SITE_YAML + "sensitive_terms: [某甲工程]\n"},
        {"body": "此处提到某乙工程。", "site_yaml": SITE_YAML + "sensitive_terms: [某甲工程]\n"},
    ),
    "SEC010": (
        {"publicity": "脱密后公开", "withhold_reason": "已解密"},
        {
            "publicity": "脱密后公开",
            "withhold_reason": "已解密",
            "declassified": "{approver: 赵刚, date: 2026-11-01, basis: 保密期限届满}",
        },
    ),
    "SEC011": (
        {"publicity": "删减后公开", "withhold_reason": "《条例》第十五条"},
        {
            "publicity": "删减后公开",
            "withhold_reason": "《条例》第十五条",
            "body": "名单如下：［已删减：涉及个人隐私］",
        },
    ),
    "SEC012": (
        {"attachments": "[a.docx]", "files": {FILES + "a.docx": docx_bytes("附件正文", author="张三")}},
        {"attachments": "[a.docx]", "files": {FILES + "a.docx": docx_bytes("附件正文")}},
    ),
    "SEC013": ({"publisher": "其他局"}, {"publisher": "[其他局, 测试局]"}),
    "SEC014": (
        {"attachments": "[a.docx]", "files": {FILES + "a.docx": docx_bytes("附件正文", tracked="删去的话")}},
        {"attachments": "[a.docx]", "files": {FILES + "a.docx": docx_bytes("附件正文", "删去的话")}},
    ),
    "SEC015": (
        {"attachments": "[scan.png]", "files": {FILES + "scan.png": png_bytes()}},
        {"attachments": "[a.pdf]", "files": {FILES + "a.pdf": pdf_bytes("Readable text")}},
    ),
    "SEC016": ({"body": "（此件不予公开）"}, {"body": "本通知印发至各级各部门，请遵照执行。"}),
    "SEC017": ({"title": "关于调整办公用房的请示"}, {"title": "重大事项请示报告制度"}),
}


def check(make_site: MakeSite, case: dict[str, Any]) -> list[dict[str, Any]]:
    case = dict(case)
    files: dict[str, str | bytes] = dict(case.pop("files", {}))
    if "site_yaml" in case:
        files["site.yaml"] = case.pop("site_yaml")
    body = case.pop("body", "正文。")
    site = make_site({"content/d1/r.md": record_text(body, **case), **files})
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.code in (0, 1), result.err
    return json.loads(result.out)


def rules(findings: list[dict[str, Any]]) -> set[str]:
    return {f["rule"] for f in findings}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_fires(make_site: MakeSite, rule: str) -> None:
    found = [f for f in check(make_site, CASES[rule][0]) if f["rule"] == rule]
    assert found, f"{rule} did not fire"
    for f in found:
        assert f["file"] == "content/d1/r.md" and f["line"] >= 1 and f["message"] and f["fix"]


@pytest.mark.parametrize("rule", sorted(CASES))
def test_near_miss_does_not_fire(make_site: MakeSite, rule: str) -> None:
    assert rule not in rules(check(make_site, CASES[rule][1]))


def test_marking_is_reported_on_its_body_line(make_site: MakeSite) -> None:
    found = check(make_site, CASES["SEC006"][0])
    body_start = record_text("x").split("\n").index("---", 1) + 2
    assert [(f["rule"], f["line"]) for f in found] == [("SEC006", body_start + 2)]
    assert found[0]["excerpt"].count("机密★5年") == 1 and found[0]["fingerprint"]


@pytest.mark.parametrize(
    "marking", ["秘密★1年", "绝密 ★ 长期", "密级：机密", "【国家秘密】", "（国家秘密）", "国家秘密★"]
)
def test_secrecy_markings_in_their_forms(make_site: MakeSite, marking: str) -> None:
    assert rules(check(make_site, {"body": f"标题\n\n{marking}\n\n正文。"})) == {"SEC006"}


def test_national_secret_alone_in_a_table_cell_is_a_marking(make_site: MakeSite) -> None:
    body = "| 文件 | 密级 |\n|---|---|\n| 某方案 | 国家秘密 |\n"
    assert rules(check(make_site, {"body": body})) == {"SEC006"}


@pytest.mark.parametrize(
    "text",
    [
        "手机 13812345678 联系",
        "电话：+86 138 1234 5678。",
        f"卡号 {LUHN_CARD} 。",
        "卡号 6222 0212 3456 7890 128。",
    ],
)
def test_personal_data_in_its_forms(make_site: MakeSite, text: str) -> None:
    assert rules(check(make_site, {"body": text})) == {"SEC008"}


@pytest.mark.parametrize(
    "text",
    [
        "联系电话 138****5678，联系人张某某。",  # masked
        "流水号 2138123456789 与 13812345678901。",  # mobile-like digits inside longer runs
        f"卡号 {NOT_LUHN_CARD}。",  # Luhn fails
        "统一社会信用代码 115304000152800179，索引号 11530400MB0000001N/2026-00001。",  # organisations'
        "证件号 530402199013071234。",  # month 13: no birth date
    ],
)
def test_personal_data_near_misses(make_site: MakeSite, text: str) -> None:
    assert "SEC008" not in rules(check(make_site, {"body": text}))


@pytest.mark.parametrize("number", [VALID_ID, LUHN_CARD, "13812345678", "+8613812345678"])
def test_personal_data_must_stand_alone_on_both_sides(number: str) -> None:
    """A number is personal data at the very start of a text and after punctuation or a space;
    one letter, digit or * just before or after it makes it part of something else."""
    kinds = {m.kind for m in personal_data(f"{number}")}
    assert kinds and kinds == {m.kind for m in personal_data(f"号码：{number}。")} == {
        m.kind for m in personal_data(f"号码 {number}")
    }
    for touching in ("A", "x", "7", "*"):
        assert not list(personal_data(f"号码{touching}{number}。")), touching
        assert not list(personal_data(f"号码 {number}{touching}")), touching


def test_excerpt_masks_the_secret_in_table_and_json(make_site: MakeSite) -> None:
    body = f"身份证号 {VALID_ID}，手机 13812345678。"
    site = make_site({"content/d1/r.md": record_text(body)})
    as_json = run_cli("check", "--site", site, "--format", "json")
    as_text = run_cli("check", "--site", site)
    assert as_json.code == as_text.code == 1
    excerpts = [f["excerpt"] for f in json.loads(as_json.out)]
    assert any("530***********1234" in e for e in excerpts) and any("138****5678" in e for e in excerpts)
    for output in (as_json.out, as_text.out):
        assert VALID_ID not in output and "13812345678" not in output and "12345678" not in output


def test_attachment_text_is_scanned(make_site: MakeSite) -> None:
    files = {FILES + "a.xlsx": xlsx_bytes([["姓名", "手机"], ["张某", "13812345678"]])}
    found = check(make_site, {"attachments": "[a.xlsx]", "files": files})
    sec008 = [f for f in found if f["rule"] == "SEC008"]
    assert sec008 and "a.xlsx" in sec008[0]["message"]


@pytest.mark.parametrize(
    "name,data,hint",
    [
        ("a.docx", docx_bytes("正文", hidden="隐藏的一句"), "隐藏文字"),
        ("a.docx", docx_bytes("正文", comment="这句要删"), "批注"),
        ("a.xlsx", xlsx_bytes([["公开"]], hidden_sheet=[["内部"]]), "隐藏的工作表"),
        ("a.xlsx", xlsx_bytes([["公开"], ["隐藏行"]], hidden_row=2), "隐藏行"),
        ("a.pdf", pdf_bytes("First version", incremental_text="Second version"), "增量保存"),
    ],
    ids=["docx-hidden", "docx-comment", "xlsx-sheet", "xlsx-row", "pdf-incremental"],  # the bytes hold a timestamp
)
def test_hidden_attachment_content(make_site: MakeSite, name: str, data: bytes, hint: str) -> None:
    found = [
        f
        for f in check(make_site, {"attachments": f"[{name}]", "files": {FILES + name: data}})
        if f["rule"] == "SEC014"
    ]
    assert any(hint in f["message"] for f in found), found


def test_hidden_text_is_scanned_for_markings(make_site: MakeSite) -> None:
    data = docx_bytes("公开的正文", hidden="机密★5年")
    assert {"SEC006", "SEC014"} <= rules(
        check(make_site, {"attachments": "[a.docx]", "files": {FILES + "a.docx": data}})
    )


def test_unknown_attachment_type_blocks(make_site: MakeSite) -> None:
    found = check(make_site, {"attachments": "[old.doc]", "files": {FILES + "old.doc": b"\xd0\xcf\x11\xe0 binary"}})
    assert [f["severity"] for f in found if f["rule"] == "SEC015"] == ["block"]


def test_request_only_record_is_checked_on_its_title_only(make_site: MakeSite) -> None:
    meta = {"publicity": "依申请公开", "withhold_reason": "《条例》第十六条", "published": None}
    assert "SEC006" not in rules(check(make_site, {**meta, "body": "机密★5年"}))
    assert "SEC006" in rules(check(make_site, {**meta, "title": "关于某事（机密★5年）的通知"}))


def test_a_public_record_with_a_withhold_reason_is_warned_about(make_site: MakeSite) -> None:
    """主动公开 with a withhold_reason: a merge that took the publicity from one side and the reason
    from the other, or a publicity changed without its reason. Said at the reason's line (a
    warning: SEC018 blocks when the review's opinion disagrees); a withheld record's reason is not."""
    found = check(make_site, {"withhold_reason": "《条例》第十五条（个人隐私）"})
    said = [f for f in found if f["rule"] == "SEC002"]
    assert [(f["severity"], f["line"]) for f in said] == [("warn", 10)], found
    assert "公开属性可能写错了" in said[0]["message"]
    withheld = {"publicity": "不予公开", "withhold_reason": "《条例》第十五条（个人隐私）"}
    assert not [f for f in check(make_site, withheld) if f["rule"] == "SEC002"]
