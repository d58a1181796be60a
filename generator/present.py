"""Findings for people (a table per department), for machines (JSON) and for CI (GitHub annotations)."""

from __future__ import annotations

import json
from collections import Counter
from itertools import groupby
from typing import TextIO

from rich.console import Console
from rich.table import Table

from .findings import Findings
from .rules import BLOCK, RULES
from .secrecy.signoffs import SignOff

FORMATS = ("text", "json", "github")
SHOWN_PER_RULE = 20  # in text output, a rule repeated more often is collapsed ("… 及另外 N 条")
SEVERITY_LABEL = {BLOCK: "阻断", "warn": "警告"}


def as_json(findings: Findings) -> str:
    return json.dumps([f.as_json() for f in findings.sorted()], ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(findings: Findings) -> str:
    lines = []
    for f in findings.sorted():
        kind = "error" if f.severity == BLOCK else "warning"
        props = f"file={_escape_property(f.file)},line={f.line},title={_escape_property(f.rule + ' ' + RULES[f.rule].title)}"
        lines.append(f"::{kind} {props}::{_escape_data(f.message + '。修改建议：' + f.fix)}")
    return "\n".join(lines)


def summary(findings: Findings) -> str:
    blocking, warnings = len(findings.blocking), len(findings.warnings)
    if not blocking and not warnings:
        return "检查通过：没有发现问题。"
    return f"发现 {blocking} 个阻断性问题、{warnings} 个警告。"


def print_text(findings: Findings, stream: TextIO) -> None:
    console = Console(file=stream, width=max(120, Console(file=stream).width), soft_wrap=False)
    for dept, items in groupby(findings.sorted(), key=lambda f: f.dept):
        group = list(items)
        counts = Counter(f.rule for f in group)
        title = f"{dept or '站点'}：{len(group)} 个问题（" + "，".join(f"{r} {n}" for r, n in sorted(counts.items())) + "）"
        table = Table(title=title, title_justify="left", show_lines=True, expand=False)
        table.add_column("规则", no_wrap=True)
        table.add_column("级别", no_wrap=True)
        table.add_column("位置", no_wrap=True)  # file:line stays whole so editors and grep find it
        for column in ("摘录", "问题", "修改建议"):
            table.add_column(column, overflow="fold")
        shown: Counter[str] = Counter()
        for f in group:
            shown[f.rule] += 1
            if shown[f.rule] > SHOWN_PER_RULE:
                continue
            table.add_row(f.rule, SEVERITY_LABEL.get(f.severity, f.severity), f"{f.file}:{f.line}",
                          f.excerpt + (f"\n指纹 {f.fingerprint}" if f.fingerprint else ""), f.message, f.fix)
        for rule_id, n in sorted(counts.items()):
            if n > SHOWN_PER_RULE:
                table.add_row(rule_id, "", "", "", f"… 及另外 {n - SHOWN_PER_RULE} 条同类问题（--format json 可见全部）", "")
        console.print(table)
    console.print(summary(findings))


def render_findings(findings: Findings, fmt: str, stream: TextIO) -> None:
    if fmt == "json":
        stream.write(as_json(findings) + "\n")
    elif fmt == "github":
        text = as_github(findings)
        stream.write(text + ("\n" if text else ""))
    else:
        print_text(findings, stream)


def render_signoffs(signoffs: list[SignOff], fmt: str, stream: TextIO) -> None:
    """Every sign-off for audit: where, what it accepts, who signed, and whether it still counts."""
    if fmt == "json":
        stream.write(json.dumps([s.as_json() for s in signoffs], ensure_ascii=False, indent=2) + "\n")
        return
    console = Console(file=stream, width=max(120, Console(file=stream).width), soft_wrap=False)
    table = Table(title=f"签认：{len(signoffs)} 条", title_justify="left", show_lines=True)
    for column in ("位置", "规则", "指纹", "审核人", "日期", "理由", "状态"):
        table.add_column(column, overflow="fold")
    for s in signoffs:
        state = ("无效：" + "；".join(s.problems)) if s.problems else ("有效，对应问题" if s.matched else "有效，但已无对应问题（可删除）")
        table.add_row(f"{s.file}:{s.line}", s.rule, s.fingerprint, "、".join(s.reviewers),
                      s.date.isoformat() if s.date else "", s.reason, state)
    console.print(table)
