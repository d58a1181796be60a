"""Sign-offs (签认): a named reviewer accepts one finding as harmless, in the record itself.

    signoffs:
      - rule: SEC007
        fingerprint: 3f9a0c1d2e4b5a69      # printed with the finding
        reviewers: [王芳, 赵刚]             # or `reviewer: 王芳` where one suffices
        date: 2026-11-20
        reason: 条文引用“领导批示”一词，不是批示内容

A sign-off accepts only the finding whose rule and fingerprint it names; the fingerprint
covers the matched text and its context, so a changed sentence brings the finding back.
It counts only when complete, dated no later than today, not signed by the record's
drafter, and — for SEC006, SEC007 and SEC016 — signed by two different reviewers. A sign-off
that does not count is itself a finding (under the rule it tried to accept) and suppresses
nothing. Sign-offs stay in the content repository: publicity.py never copies them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..findings import Finding
from ..model import Record, as_date
from ..schema import text as _text
from ..rules import RULES

KEY = "signoffs"
SIGNABLE = ("SEC006", "SEC007", "SEC008", "SEC009", "SEC012", "SEC014", "SEC015", "SEC016", "SEC017")
TWO_REVIEWERS = ("SEC006", "SEC007", "SEC016")


@dataclass
class SignOff:
    file: str
    line: int
    rule: str
    fingerprint: str
    reviewers: list[str]
    date: dt.date | None
    reason: str
    problems: list[str] = field(default_factory=list)
    matched: bool = False  # it accepted a finding of this check

    @property
    def valid(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "rule": self.rule,
            "fingerprint": self.fingerprint,
            "reviewers": self.reviewers,
            "date": self.date.isoformat() if self.date else "",
            "reason": self.reason,
            "valid": self.valid,
            "problems": self.problems,
            "matched": self.matched,
        }


def _reviewers(item: dict[str, object]) -> list[str]:
    value = item.get("reviewers", item.get("reviewer"))
    values = value if isinstance(value, list) else [value]
    return [_text(v) for v in values if _text(v)]


def _problems(signoff: SignOff, item: dict[str, object], drafter: str, today: dt.date) -> list[str]:
    problems = []
    if signoff.rule not in SIGNABLE:
        problems.append(f"规则“{signoff.rule or '（未填写）'}”不能签认，可签认：{'、'.join(SIGNABLE)}")
    if not signoff.fingerprint:
        problems.append("缺少 fingerprint（检查结果中打印的指纹）")
    if not signoff.reviewers:
        problems.append("缺少审核人 reviewers")
    if signoff.date is None:
        problems.append(
            "缺少签认日期 date 或日期无效" if item.get("date") is None else f"签认日期 {item.get('date')!r} 无效"
        )
    elif signoff.date > today:
        problems.append(f"签认日期 {signoff.date} 晚于今天 {today}")
    if not signoff.reason:
        problems.append("缺少签认理由 reason")
    if drafter and drafter in signoff.reviewers:
        problems.append(f"审核人不能是本记录的承办人 {drafter}")
    if signoff.rule in TWO_REVIEWERS and len(set(signoff.reviewers) - {drafter}) < 2:
        problems.append(f"{signoff.rule} 须由两名不同的审核人签认（均不能是承办人）")
    return problems


def parse(record: Record, today: dt.date) -> list[SignOff]:
    items = record.get(KEY)
    if not isinstance(items, list) or not items:
        return []  # nearly every record: no sign-offs to read
    review = record.get("review")
    drafter = _text(review.get("drafter")) if isinstance(review, dict) else ""
    found = []
    for i, item in enumerate(items):
        line = record.line_of(KEY, i)
        if not isinstance(item, dict):
            found.append(
                SignOff(
                    record.file,
                    line,
                    "",
                    "",
                    [],
                    None,
                    "",
                    ["签认应为映射（rule、fingerprint、reviewers、date、reason）"],
                )
            )
            continue
        signoff = SignOff(
            record.file,
            line,
            _text(item.get("rule")).upper(),
            _text(item.get("fingerprint")).lower(),
            _reviewers(item),
            as_date(item.get("date")),
            _text(item.get("reason")),
        )
        signoff.problems = _problems(signoff, item, drafter, today)
        found.append(signoff)
    return found


def problem_findings(record: Record, signoffs: list[SignOff]) -> list[Finding]:
    """One finding per sign-off that does not count, under the rule it tried to accept, naming its
    place in the list (sign-offs written on one line, `[…, …]`, share their line)."""
    found = []
    for number, signoff in enumerate(signoffs, start=1):
        if signoff.valid:
            continue
        rule = signoff.rule if signoff.rule in RULES and signoff.rule.startswith("SEC") else "FMT002"
        found.append(
            Finding(
                rule,
                record.file,
                signoff.line,
                f"signoffs 第 {number} 项签认无效，未采纳：" + "；".join(signoff.problems),
                "补全签认：rule、fingerprint、reviewers（不能是承办人；SEC006、SEC007、SEC016 须两人）、date、reason。",
                dept=record.dept,
            )
        )
    return found


def accepts(signoffs: list[SignOff], finding: Finding) -> bool:
    """Whether a valid sign-off accepts this finding; marks the sign-offs that do."""
    accepted = False
    for signoff in signoffs:
        if signoff.valid and signoff.rule == finding.rule and signoff.fingerprint == finding.fingerprint:
            signoff.matched = accepted = True
    return accepted
