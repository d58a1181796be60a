"""Sign-offs: a finding two reviewers judged harmless is accepted in the record itself, until
its text changes; a sign-off that breaks the conditions accepts nothing and is reported."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable

from conftest import record_text, run_cli
from office_files import png_bytes

MakeSite = Callable[..., Path]
QUOTE = "第七条 网站不得带有领导批示内容。"


def findings(site: Path) -> list[dict[str, Any]]:
    return json.loads(run_cli("check", "--site", site, "--format", "json").out)


def signed(
    body: str,
    rule: str,
    fingerprint: str,
    reviewers: str = "[王芳, 赵刚]",
    date: str = "2026-11-20",
    reason: str = "条文引用该词，不是批示内容",
    **meta: object,
) -> str:
    item = f"{{rule: {rule}, fingerprint: {fingerprint}, reviewers: {reviewers}, date: {date}, reason: {reason}}}"
    return record_text(body, signoffs=f"[{item}]", **meta)


def fingerprint_of(make_site: MakeSite, body: str, rule: str) -> str:
    site = make_site({"content/d1/r.md": record_text(body)})
    (found,) = [f for f in findings(site) if f["rule"] == rule]
    return str(found["fingerprint"])


def test_two_reviewers_accept_a_finding(make_site: MakeSite) -> None:
    fp = fingerprint_of(make_site, QUOTE, "SEC007")
    site = make_site({"content/d1/r.md": signed(QUOTE, "SEC007", fp)})
    result = run_cli("check", "--site", site)
    assert result.code == 0, result.out


def test_changed_sentence_brings_the_finding_back(make_site: MakeSite) -> None:
    fp = fingerprint_of(make_site, QUOTE, "SEC007")
    site = make_site({"content/d1/r.md": signed("第七条 网站可以带有领导批示内容。", "SEC007", fp)})
    assert [f["rule"] for f in findings(site)] == ["SEC007"]


def test_a_different_marking_in_the_same_record_is_not_accepted(make_site: MakeSite) -> None:
    body = QUOTE + "\n\n签发人：张三"
    site = make_site({"content/d1/r.md": record_text(body)})
    quoted = next(f for f in findings(site) if "领导批示" in f["message"])
    site = make_site({"content/d1/r.md": signed(body, "SEC007", quoted["fingerprint"])})
    assert [(f["rule"], "签发人" in f["message"]) for f in findings(site)] == [("SEC007", True)]


def invalid(make_site: MakeSite, **kwargs: str) -> list[dict[str, Any]]:
    fp = fingerprint_of(make_site, QUOTE, "SEC007")
    site = make_site({"content/d1/r.md": signed(QUOTE, "SEC007", kwargs.pop("fingerprint", fp), **kwargs)})
    found = findings(site)
    assert run_cli("check", "--site", site).code == 1
    return found


def test_drafter_cannot_sign_off(make_site: MakeSite) -> None:
    found = invalid(make_site, reviewers="[李明, 王芳]")  # 李明 drafted the record
    assert [f["rule"] for f in found] == ["SEC007", "SEC007"]
    assert any("承办人" in f["message"] for f in found)


def test_secrecy_markings_need_two_reviewers(make_site: MakeSite) -> None:
    found = invalid(make_site, reviewers="王芳")
    assert any("两名" in f["message"] for f in found)


def test_incomplete_or_future_sign_off_is_reported(make_site: MakeSite) -> None:
    assert any("reason" in f["message"] for f in invalid(make_site, reason="''"))
    assert any("晚于今天" in f["message"] for f in invalid(make_site, date="2026-12-01"))


def test_invalid_sign_offs_on_one_line_are_told_apart(make_site: MakeSite) -> None:
    """`signoffs: [1, {rule: SEC006}, [x]]` — three on one line: each finding names its item."""
    site = make_site({"content/d1/r.md": record_text("正文。", signoffs="[1, {rule: SEC006}, [x]]")})
    said = sorted(f["message"].split("签认无效")[0] for f in findings(site) if "签认无效" in f["message"])
    assert said == ["signoffs 第 1 项", "signoffs 第 2 项", "signoffs 第 3 项"]


def test_attachment_sign_off_follows_the_file(make_site: MakeSite) -> None:
    files = {"content/d1/r.files/scan.png": png_bytes()}
    site = make_site({"content/d1/r.md": record_text(attachments="[scan.png]"), **files})
    (scan,) = [f for f in findings(site) if f["rule"] == "SEC015"]
    site = make_site(
        {
            "content/d1/r.md": signed(
                "正文。",
                "SEC015",
                scan["fingerprint"],
                reviewers="王芳",
                reason="逐页核对扫描件，无涉密和个人信息",
                attachments="[scan.png]",
            )
        }
    )
    assert run_cli("check", "--site", site).code == 0
    (site / "content/d1/r.files/scan.png").write_bytes(png_bytes() + b"changed")
    assert [f["rule"] for f in findings(site)] == ["SEC015"]


def test_list_signoffs_for_audit(make_site: MakeSite) -> None:
    fp = fingerprint_of(make_site, QUOTE, "SEC007")
    site = make_site({"content/d1/r.md": signed(QUOTE, "SEC007", fp)})
    listed = json.loads(run_cli("check", "--site", site, "--list-signoffs", "--format", "json").out)
    assert [(s["rule"], s["fingerprint"], s["reviewers"], s["matched"], s["valid"]) for s in listed] == [
        ("SEC007", fp, ["王芳", "赵刚"], True, True)
    ]
    assert listed[0]["file"] == "content/d1/r.md" and listed[0]["line"] > 1
    (site / "content/d1/r.md").write_text(signed("第七条 已删去。", "SEC007", fp), encoding="utf-8")
    listed = json.loads(run_cli("check", "--site", site, "--list-signoffs", "--format", "json").out)
    assert [(s["fingerprint"], s["matched"]) for s in listed] == [(fp, False)]
    assert fp in run_cli("check", "--site", site, "--list-signoffs").out


def test_list_signoffs_keeps_a_long_path_whole_in_its_cell(make_site: MakeSite) -> None:
    """The 位置 cell is copied into an editor: it is never broken across the table's lines."""
    fp = fingerprint_of(make_site, QUOTE, "SEC007")
    deep = "content/d1/zhidu/2021/guanyu-xiuding-zhengwu-gongkai-xiangguan-zhidu-de-tongzhi.md"
    site = make_site({deep: signed(QUOTE, "SEC007", fp)})
    out = run_cli("check", "--site", site, "--list-signoffs").out
    assert re.search(re.escape(deep) + r":\d+", out), out
