"""`check --changed-since GIT_REF`: only files changed since REF may block.

A department's old debt should not block another department's commit: findings on files
that did not change since REF (committed, staged, unstaged or untracked changes all count)
are still reported, as warnings marked `changed: false`.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from .errors import DisclosureError
from .findings import Findings
from .rules import BLOCK, WARN


class ChangedSinceError(DisclosureError):
    """REF is not a commit of the site's repository (a usage error, exit 2)."""


def _git(site: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=site,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
    except FileNotFoundError:
        raise ChangedSinceError("--changed-since 需要 git，但找不到 git 命令") from None
    if done.returncode != 0:
        raise ChangedSinceError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "git 出错")
    return done.stdout


def changed_files(site: Path, ref: str) -> set[str]:
    """Files below `site` changed since `ref` or not yet tracked, relative to `site`."""
    try:
        _git(site, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except ChangedSinceError:
        raise ChangedSinceError(
            f"--changed-since：找不到 git 提交 '{ref}'（CI 中请先获取足够的历史，"
            f"例如 actions/checkout 的 fetch-depth: 0）"
        ) from None
    diff = _git(site, "diff", "--name-only", "-z", "--relative", ref, "--", ".")
    untracked = _git(site, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
    return {name for name in (diff + untracked).split("\0") if name}


def limit_blocking(findings: Findings, changed: set[str]) -> None:
    """Mark each finding changed or not; a blocking finding on an unchanged file becomes a warning."""
    for finding in findings:
        finding.changed = finding.file in changed
        if finding.severity == BLOCK and not finding.changed:
            finding.severity = WARN
