"""SEC010 and the dates of a 脱密后公开 record: nothing is published before it is declassified — not
while its declassification date lies after the check date, and not with a publication date before
that date. The finding stands at the date that is wrong, the build is refused and the body never
reaches the output; the check date is read on every check, never taken from the check cache."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from conftest import record_text, run_cli

MakeSite = Callable[..., Path]
BODY = "解密后的演练方案全文：演练于十月下旬举行。"  # a body no other page holds


def declassified(date: str, published: str = "2026-11-03", **meta: object) -> str:
    fields: dict[str, object] = {
        "publicity": "脱密后公开",
        "withhold_reason": "已解密",
        "published": published,
        "declassified": f"\n  approver: 赵刚\n  date: {date}\n  basis: 保密期限届满",
    }
    return record_text(BODY, **{**fields, **meta})


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if line.startswith(needle))


def sec010(site: Path, *today: str) -> list[dict[str, Any]]:
    options = ["--today", today[0]] if today else []
    result = run_cli("check", "--site", site, "--format", "json", *options)
    assert result.code in (0, 1), result.err
    return [f for f in json.loads(result.out) if f["rule"] == "SEC010"]


def published_anywhere(site: Path) -> bool:
    build = site / "build"
    return build.exists() and any(BODY in p.read_text("utf-8", "replace") for p in build.rglob("*") if p.is_file())


def test_a_record_declassified_after_the_check_date_is_not_published(make_site: MakeSite) -> None:
    text = declassified("2027-06-30")  # the check date is 2026-11-21 (SITE_YAML)
    site = make_site({"content/d1/r.md": text})
    (found,) = sec010(site)
    assert found["severity"] == "block" and found["file"] == "content/d1/r.md"
    assert found["line"] == line_of(text, "  date: 2027-06-30")
    assert "2027-06-30" in found["message"] and "尚未解密" in found["message"] and found["fix"]
    built = run_cli("build", "--site", site)
    assert built.code == 1 and "SEC010" in built.err
    assert not published_anywhere(site)
    # declassified on the day it really was: published
    (site / "content/d1/r.md").write_text(declassified("2026-11-01"), encoding="utf-8")
    assert run_cli("build", "--site", site).code == 0
    assert published_anywhere(site)


def test_a_record_published_before_it_was_declassified_is_refused(make_site: MakeSite) -> None:
    text = declassified("2026-11-10", published="2026-11-03")  # both before the check date
    site = make_site({"content/d1/r.md": text})
    (found,) = sec010(site)
    assert found["severity"] == "block" and found["line"] == line_of(text, "published: 2026-11-03")
    assert "2026-11-03" in found["message"] and "早于解密日期 2026-11-10" in found["message"] and found["fix"]
    built = run_cli("build", "--site", site)
    assert built.code == 1 and "SEC010" in built.err
    assert not published_anywhere(site)
    # published on the day it was declassified: the same day is no finding
    (site / "content/d1/r.md").write_text(declassified("2026-11-10", published="2026-11-10"), encoding="utf-8")
    assert sec010(site) == []
    assert run_cli("build", "--site", site).code == 0 and published_anywhere(site)


def test_a_record_scheduled_for_after_its_declassification_waits_for_its_day(make_site: MakeSite) -> None:
    # held out until 2026-12-01 (STL016), declassified the day before: nothing is published early
    site = make_site({"content/d1/r.md": declassified("2026-11-30", published="2026-12-01")})
    assert sec010(site) == []
    assert run_cli("build", "--site", site).code == 0 and not published_anywhere(site)
    assert run_cli("build", "--site", site, "--today", "2026-12-01").code == 0 and published_anywhere(site)
    # scheduled, but for a day before its declassification: refused now already
    text = declassified("2026-11-30", published="2026-11-25")
    (site / "content/d1/r.md").write_text(text, encoding="utf-8")
    (found,) = sec010(site)
    assert found["line"] == line_of(text, "published: 2026-11-25") and "早于解密日期" in found["message"]


def test_the_check_date_is_never_taken_from_the_check_cache(make_site: MakeSite) -> None:
    text = declassified("2026-12-01", published="2026-11-03")
    site = make_site({"content/d1/r.md": text})
    early = [(f["line"], "尚未解密" in f["message"]) for f in sec010(site, "2026-11-21")]
    assert early == [(line_of(text, "  date: 2026-12-01"), True)]
    assert list((site / ".cache/check").glob("*.json"))  # the record's own findings are cached now
    # the same file, checked after its declassification date: what is wrong now is the publication date
    late = sec010(site, "2026-12-05")
    assert [(f["line"], "尚未解密" in f["message"]) for f in late] == [(line_of(text, "published: 2026-11-03"), False)]
    assert [(f["line"], "尚未解密" in f["message"]) for f in sec010(site, "2026-11-21")] == early


def test_the_probe_record_in_the_demo_is_refused(demo_copy: Path) -> None:
    text = """\
---
index_no: 115304000152800179/2019-10004
title: 审查表
category: 政府信息公开制度
publisher: 玉溪市人民政府办公室
written: 2019-12-31
published: 2020-01-02
publicity: 脱密后公开
withhold_reason: 《中华人民共和国政府信息公开条例》第十六条第一款
review: {drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: 2019-12-31}
declassified: {approver: 赵刚, date: 2027-06-30, basis: 保密期限届满}
---
正文。
"""
    (demo_copy / "content/yuxi/zhidu/probe.md").write_text(text, encoding="utf-8")
    found = [(f["file"], f["line"], f["severity"]) for f in sec010(demo_copy)]
    assert found == [("content/yuxi/zhidu/probe.md", line_of(text, "declassified:"), "block")]
    built = run_cli("build", "--site", demo_copy)
    assert built.code == 1 and "SEC010" in built.err and not (demo_copy / "build").exists()


def placeholder(approver: str = "赵刚", basis: str = "保密期限届满") -> str:
    return record_text(
        BODY,
        publicity="脱密后公开",
        withhold_reason="《中华人民共和国政府信息公开条例》第十四条",  # SEC002 holds whether declassified or not
        published="2026-11-03",
        declassified=f"\n  approver: {approver}\n  date: 2026-11-01\n  basis: {basis}",
    )


def test_a_declassification_that_names_a_placeholder_is_not_complete(make_site: MakeSite) -> None:
    """ "待定" for the approver or "尚未解密" for the basis says the information was not declassified:
    SEC010 refuses it, and with SEC010 switched off the record is still not published in full."""
    for text, word in ((placeholder(approver="待定"), "待定"), (placeholder(basis="尚未解密。"), "尚未解密")):
        site = make_site({"content/d1/r.md": text})
        (found,) = sec010(site)
        assert found["severity"] == "block" and found["line"] == line_of(text, "declassified:")
        assert f"“{word}" in found["message"] and "尚未解密的不得公开" in found["message"]
        yaml = (site / "site.yaml").read_text("utf-8")
        (site / "site.yaml").write_text(yaml.replace("rules: {", "rules: {SEC010: 'off', ", 1), encoding="utf-8")
        assert sec010(site) == []
        assert run_cli("build", "--site", site).code == 0  # nothing else blocks
        assert not published_anywhere(site)  # publicity.py reads the same placeholders
        (site / "site.yaml").write_text(yaml, encoding="utf-8")
    site = make_site({"content/d1/r.md": placeholder(approver="王芳")})  # a name: declassified, published
    assert sec010(site) == [] and run_cli("build", "--site", site).code == 0 and published_anywhere(site)
