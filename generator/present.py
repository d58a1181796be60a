"""Findings for people (grouped by department and rule, with counts and fixes), for machines (JSON) and for CI (GitHub annotations)."""

from __future__ import annotations

from itertools import groupby
from typing import Mapping, TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from . import jsontext
from .findings import Finding, Findings
from .rules import BLOCK, RULES, WARN
from .secrecy.signoffs import SignOff

FORMATS = ("text", "json", "github")
SHOWN_PER_RULE = 20  # in text output, a rule repeated more often is collapsed ("… 及另外 N 条")
SEVERITY_LABEL = {BLOCK: "阻断", WARN: "警告"}


def as_json(findings: Findings) -> str:
    return jsontext.dumps_indented([f.as_json() for f in findings.sorted()])


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


def _department_line(label: str, group: list[Finding]) -> str:
    blocking = sum(f.severity == BLOCK for f in group)
    return f"{label}：阻断 {blocking} · 警告 {len(group) - blocking}"


def _rule_block(rule_id: str, group: list[Finding]) -> list[str]:
    """One rule's findings in a department: a heading with the count, each place, the fix."""
    rule = RULES[rule_id]
    blocking = sum(f.severity == BLOCK for f in group)
    label = (
        SEVERITY_LABEL[BLOCK]
        if blocking == len(group)
        else (SEVERITY_LABEL[WARN] if not blocking else f"{SEVERITY_LABEL[BLOCK]} {blocking}")
    )
    lines = [f"  [{label}] {rule_id} {rule.title} — {len(group)} 处"]
    fixes = {f.fix for f in group}
    for f in group[:SHOWN_PER_RULE]:
        mark = "［未改动］" if f.changed is False else ""
        lines.append(f"    {f.file}:{f.line}  {mark}{f.message}")
        if f.excerpt or f.fingerprint:
            lines.append(f"        摘录：{f.excerpt}" + (f"  指纹 {f.fingerprint}" if f.fingerprint else ""))
        if len(fixes) > 1:
            lines.append(f"        修改建议：{f.fix}")
    if len(group) > SHOWN_PER_RULE:
        lines.append(f"    … 及另外 {len(group) - SHOWN_PER_RULE} 处（--format json 可见全部）")
    if len(fixes) == 1:
        lines.append(f"    修改建议：{group[0].fix}")
    return lines


def print_text(findings: Findings, stream: TextIO, names: Mapping[str, str] | None = None) -> None:
    """Grouped by department, then by rule (blocking first): counts, every place, the fix."""
    names = names or {}
    totals = []
    for dept, items in groupby(findings.sorted(), key=lambda f: f.dept):
        group = list(items)
        label = f"{names[dept]}（{dept}）" if dept in names else (dept or "站点")
        totals.append(_department_line(label, group))
        stream.write(f"== {totals[-1]} ==\n")
        by_rule: dict[str, list[Finding]] = {}
        for f in group:
            by_rule.setdefault(f.rule, []).append(f)
        order = sorted(by_rule, key=lambda r: (not any(f.blocks for f in by_rule[r]), r))
        for rule_id in order:
            stream.write("\n".join(_rule_block(rule_id, by_rule[rule_id])) + "\n")
        stream.write("\n")
    if len(totals) > 1:
        stream.write("各部门问题数：\n" + "".join(f"  {line}\n" for line in totals))
    stream.write(summary(findings) + "\n")


def render_findings(findings: Findings, fmt: str, stream: TextIO, names: Mapping[str, str] | None = None) -> None:
    """`names`: department slug → name, for the text headings."""
    if fmt == "json":
        stream.write(as_json(findings) + "\n")
    elif fmt == "github":
        text = as_github(findings)
        stream.write(text + ("\n" if text else ""))
    else:
        print_text(findings, stream, names)


SIGNOFF_OTHER_COLUMNS = 90  # 规则, 指纹, 审核人, 日期, 理由 (wrapped at about 24 characters), 状态, borders


def render_signoffs(signoffs: list[SignOff], fmt: str, stream: TextIO) -> None:
    """Every sign-off for audit: where, what it accepts, who signed, and whether it still counts."""
    if fmt == "json":
        stream.write(jsontext.dumps_indented([s.as_json() for s in signoffs]) + "\n")
        return
    # A path stays whole on one line (to copy it into an editor): the table is made as wide as the
    # longest path needs, beside the fixed columns and a readable 理由 column.
    places = [f"{s.file}:{s.line}" for s in signoffs]
    needed = max((cell_len(place) for place in places), default=0) + SIGNOFF_OTHER_COLUMNS
    console = Console(file=stream, width=max(120, Console(file=stream).width, needed), soft_wrap=False)
    table = Table(title=f"签认：{len(signoffs)} 条", title_justify="left", show_lines=True)
    for column in ("位置", "规则", "指纹", "审核人", "日期", "理由", "状态"):
        table.add_column(column, overflow="fold", no_wrap=column in ("位置", "规则", "指纹", "审核人", "日期"))
    for s in signoffs:
        state = (
            ("无效：" + "；".join(s.problems))
            if s.problems
            else ("有效，对应问题" if s.matched else "有效，但已无对应问题（可删除）")
        )
        table.add_row(
            f"{s.file}:{s.line}",
            s.rule,
            s.fingerprint,
            "、".join(s.reviewers),
            s.date.isoformat() if s.date else "",
            s.reason,
            state,
        )
    console.print(table)
