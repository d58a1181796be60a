"""Findings: what a check reports, with the severity the site gives its rule."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Iterable, Iterator

from .rules import BLOCK, OFF, RULES, WARN


_RANK = {OFF: 0, WARN: 1, BLOCK: 2}


@dataclass(slots=True, weakref_slot=True)
class Finding:
    rule: str
    file: str  # relative to the site, POSIX separators
    line: int
    message: str  # what is wrong, in Chinese
    fix: str = ""  # how to fix it; defaults to the rule's fix
    severity: str = ""  # resolved from site.yaml `rules:`; empty until then
    excerpt: str = ""  # the matched text, with any secret itself masked
    fingerprint: str = ""  # for sign-offs (SEC rules)
    dept: str = ""  # department slug, for grouping
    changed: bool | None = None  # with --changed-since: whether `file` changed since the ref

    def __post_init__(self) -> None:
        if not self.fix:
            self.fix = RULES[self.rule].fix

    @property
    def blocks(self) -> bool:
        return self.severity == BLOCK

    def as_json(self) -> dict[str, object]:
        """The fields that hold something, in their order. Read directly: every field is a text, a
        number or None, and dataclasses.asdict's deep copy of each took 1.6 s for a city's 100,000
        findings (`check --format json`)."""
        return {name: value for name in _FIELDS if (value := getattr(self, name)) not in ("", None)}


_FIELDS = tuple(f.name for f in fields(Finding))


@dataclass
class Findings:
    """Collects findings and gives each the severity the site set for its rule."""

    severities: dict[str, str] = field(default_factory=dict)
    items: list[Finding] = field(default_factory=list)

    def severity_of(self, rule_id: str) -> str:
        return self.severities.get(rule_id, RULES[rule_id].severity)

    def add(self, finding: Finding) -> None:
        """Give the finding its severity: the site's setting for the rule, else the rule's default.
        A finding made with a milder severity of its own (FMT002's unknown key warns) keeps it,
        unless the site switches the whole rule off."""
        severity = self.severity_of(finding.rule)
        if finding.severity and _RANK[finding.severity] < _RANK[severity]:
            severity = finding.severity
        if severity == OFF:
            return
        finding.severity = severity
        self.items.append(finding)

    def add_blocking(self, findings: Iterable[Finding]) -> None:
        """Findings that block whatever site.yaml sets for their rule: the output scan's, for which
        the build was abandoned. Where the site made the rule milder, the message says so, since
        its own setting is what the clerk will look at first."""
        for finding in findings:
            severity = self.severity_of(finding.rule)
            if severity != BLOCK:
                finding.message += (
                    f"（site.yaml 的 rules 将 {finding.rule} 设为 {severity}，只影响生成前的检查；"
                    "生成后对输出的审查不受此设置影响）"
                )
            finding.severity = BLOCK
            self.items.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.add(finding)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.items if f.severity == BLOCK]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.items if f.severity == WARN]

    def sorted(self) -> list[Finding]:
        return sorted(self.items, key=lambda f: (f.dept, f.file, f.line, f.rule))
