"""`disclosure new` leaves the 公开属性 and the review's 拟定意见 to the clerk: a skeleton whose
reviewers' names alone are filled in is not published as 主动公开 by default; SEC001 blocks it
until a 公开属性 is chosen, and the command's hint names the five to choose from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from conftest import DEPT_USCC, record_text, run_cli
from generator import yamlsrc

MakeSite = Callable[..., Path]
CHOICES = ("主动公开", "依申请公开", "不予公开", "删减后公开", "脱密后公开")
NAMES = {"drafter": "李明", "checker": "王芳", "approver": "赵刚", "approved_on": "2026-11-21"}


def fill(text: str, publicity: str | None = None) -> str:
    lines = []
    for line in text.split("\n"):
        key = line.strip().split(":", 1)[0]
        if line.startswith("  ") and key in NAMES:
            line = f"  {key}: {NAMES[key]}"
        elif publicity is not None and line.startswith("publicity:"):
            line = f"publicity: {publicity}"
        lines.append(line)
    return "\n".join(lines)


def test_new_leaves_the_publicity_to_the_clerk_and_the_check_blocks_until_chosen(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text(index_no=f"{DEPT_USCC}/2026-00007")})
    result = run_cli(
        "new", "--site", site, "--dept", "d1", "--category", "政府信息公开制度", "--today", "2026-11-21", "新制度"
    )
    assert result.code == 0, result.err
    assert all(choice in result.out for choice in CHOICES) and "publicity" in result.out
    path = site / "content/d1/2026-00008.md"
    text = path.read_text("utf-8")
    data = yamlsrc.parse(text.split("---\n")[1]).data
    assert data["publicity"] is None and data["review"]["opinion"] is None  # no decision made for the clerk
    assert "主动公开 / 依申请公开 / 不予公开 / 删减后公开 / 脱密后公开" in text  # the comment lists them

    # only the reviewers' names filled in: still blocked, on SEC001, nothing built
    path.write_text(fill(text), encoding="utf-8")
    check = run_cli("check", "--site", site, "--format", "json")
    mine = [f for f in json.loads(check.out) if f["file"] == "content/d1/2026-00008.md"]
    assert check.code == 1 and [(f["rule"], f["severity"]) for f in mine] == [("SEC001", "block")], mine
    publicity_line = next(n for n, line in enumerate(fill(text).split("\n"), 1) if line.startswith("publicity:"))
    assert mine[0]["line"] == publicity_line  # at the empty key the clerk must fill in, not at line 1
    assert run_cli("build", "--site", site).code == 1 and not (site / "build").exists()

    # the clerk chooses: the record passes
    path.write_text(fill(text, "主动公开"), encoding="utf-8")
    check = run_cli("check", "--site", site, "--format", "json")
    assert check.code == 0, check.out
    assert [f for f in json.loads(check.out) if f["file"] == "content/d1/2026-00008.md"] == []
