"""When a record is published: in the future (STL016), or before it ever entered the repository (STL015).

- STL016: a record whose `published` lies after the check date is scheduled (待发布). It is held
  out of the site — not listed, no page, no search entry — until that date (`Record.scheduled`,
  read by publicity.py), and listed as 待发布 in the compliance dashboard. Not an error: a warning
  a site may switch off.
- STL015: a record whose `published` is earlier than the commit that first added its file, by more
  than `deadlines.backdate_days`: the date was probably written after the fact (伪造发稿日期). Only
  when the site folder is the top of a git repository; a record migrated from a previous system
  (`migrated: true`) keeps the date it had there.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from pathlib import Path

from ..findings import Finding
from ..model import CHINA, Record
from .calendar import add_days
from .context import Context

GIT_TIMEOUT = 60  # seconds: a history walk that takes longer is given up (no STL015), never waited for


def first_added(root: Path) -> dict[str, dt.date]:
    """Each file under content/ → the day (China time) of the commit that first added it; empty when
    the site folder is not the top of a git repository or git cannot tell."""
    if not (root / ".git").exists():
        return {}
    try:
        done = subprocess.run(
            [
                "git",
                "-c",
                "core.quotepath=off",
                "log",
                "--diff-filter=A",
                "--no-renames",
                "--format=\x01%ct",
                "--name-only",
                "--",
                "content",
            ],
            cwd=root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if done.returncode != 0:
        return {}
    found: dict[str, dt.date] = {}
    day: dt.date | None = None
    for line in done.stdout.splitlines():
        if line.startswith("\x01"):
            try:
                day = dt.datetime.fromtimestamp(int(line[1:]), CHINA).date()
            except (ValueError, OverflowError, OSError):
                day = None
        elif line and day is not None:
            found[line] = min(day, found.get(line, day))  # newest first: the last seen is the first added
    return found


def held_out(record: Record, today: dt.date) -> bool:
    """Whether the record is published after `today`: held out of the site until then (STL016)."""
    published = record.date("published")
    return published is not None and published > today


def scheduled(record: Record, ctx: Context) -> Iterator[Finding]:
    if held_out(record, ctx.today):
        published = record.date("published")
        record.scheduled = True
        yield Finding(
            "STL016",
            record.file,
            record.line_of("published"),
            f"发布日期 {published} 晚于检查日期 {ctx.today}：“{record.title}”到该日才发布（待发布），此前不出现在站点上",
            dept=record.dept,
        )


def backdated(record: Record, added: dt.date | None, ctx: Context) -> Iterator[Finding]:
    published = record.date("published")
    if added is None or published is None or record.get("migrated") is True:
        return
    days = ctx.limits.backdate_days
    if published < add_days(added, -days):
        yield Finding(
            "STL015",
            record.file,
            record.line_of("published"),
            f"发布日期 {published} 比该记录首次提交到仓库的日期 {added} 早 {(added - published).days} 天"
            f"（超过 {days} 天）：发布日期可能是补写的",
            dept=record.dept,
        )


def check(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    history = first_added(ctx.site.root)
    for record in ctx.site.records:  # each rule called only where it may speak: records.check
        if not record.loaded:
            continue
        if held_out(record, ctx.today):
            findings += scheduled(record, ctx)
        added = history.get(record.file)
        if added is not None:
            findings += backdated(record, added, ctx)
    return findings
