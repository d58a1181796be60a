"""The CI examples in docs/ci.md and the pre-commit hook work as written."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path
from typing import Callable

import yaml

from conftest import DEPT_USCC, REPO, record_text, run_cli
from generator import cli

MakeSite = Callable[..., Path]


def git(site: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=测试", "-c", "user.email=t@example.gov.cn", *args],
        cwd=site,
        check=True,
        capture_output=True,
    )


def test_every_documented_check_command_parses() -> None:
    text = (REPO / "docs/ci.md").read_text("utf-8")
    commands = re.findall(r"disclosure check[^\n`]*", text)
    assert len(commands) >= 4
    for command in commands:
        words = shlex.split(re.sub(r"\$\{\{[^}]*\}\}|\$\w+", "REF", command))
        args = cli.parser().parse_args(words[1:])
        assert args.func is cli.cmd_check


def test_the_pre_commit_hook_blocks_only_the_commits_own_files(make_site: MakeSite) -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert re.match(hook["files"], "content/d1/a.md") and re.match(hook["files"], "site.yaml")
    entry = shlex.split(hook["entry"])
    assert entry[:2] == ["disclosure", "check"]

    old = record_text(index_no=f"{DEPT_USCC}/2026-00001", next_review="2026-11-01")  # STL002: old debt
    site = make_site({"content/d1/old.md": old})
    git(site, "init", "-q")
    git(site, "add", ".")
    git(site, "commit", "-q", "-m", "initial")
    assert run_cli(*entry[1:], "--site", site).code == 0

    new = record_text(index_no=f"{DEPT_USCC}/2026-00002", title="新通知", next_review="2026-11-01")
    (site / "content/d1/new.md").write_text(new, encoding="utf-8")
    git(site, "add", "content/d1/new.md")
    result = run_cli(*entry[1:], "--site", site)
    assert result.code == 1 and "content/d1/new.md" in result.out
