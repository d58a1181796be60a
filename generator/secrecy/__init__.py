"""Stage 3 — secrecy check (保密审查): rules SEC001–SEC017, before anything is rendered.

For every record: the front-matter rules (metadata.py); then every text that would be
published — title, 文号, summary, keywords, body (texts.py) and the attachments
(attachments.py) — scanned for markings (markings.py) and personal data (personal.py);
then the record's own sign-offs (signoffs.py) accept the findings reviewers judged
harmless. The narratives of the annual reports are scanned too. After rendering,
published.py scans the output once more.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from itertools import chain
from typing import Iterator

from .. import publicity
from ..findings import Finding
from ..model import Department, Record, ReportSource, Site
from . import signoffs as signoff_rules
from .attachments import Attachment, attachments
from .markings import (distribution_notes, internal_markings, process_title, secrecy_markings,
                       sensitive_terms)
from .matches import Match, Text, excerpt, fingerprint, half_width, match_fingerprint
from .metadata import metadata_findings
from .personal import personal_data
from .published import LeakFound, guard
from .signoffs import SignOff
from .texts import published_texts, publishes_content

__all__ = ["Review", "LeakFound", "check", "guard"]


@dataclass
class Review:
    findings: list[Finding] = field(default_factory=list)
    signoffs: list[SignOff] = field(default_factory=list)
    allowed: set[str] = field(default_factory=set)  # matched texts the output scan lets through


@dataclass
class Candidate:
    finding: Finding
    raw: str  # the matched text itself, for the output scan's allow list; never printed


def _matches(text: str, terms: list[str]) -> Iterator[Match]:
    return chain(secrecy_markings(text), internal_markings(text), distribution_notes(text),
                 personal_data(text), sensitive_terms(text, terms))


def _text_candidates(record: Record, text: Text, terms: list[str]) -> Iterator[Candidate]:
    found = _matches(text.text, terms)
    if text.where == "标题" and record.publicity == "主动公开":
        found = chain(found, process_title(text.text))
    for match in found:
        finding = Finding(match.rule, record.file, text.line_at(match.start), f"{text.where}{match.message}",
                          excerpt=excerpt(text.text, match), fingerprint=match_fingerprint(text.text, match),
                          dept=record.dept)
        yield Candidate(finding, match.raw)


def _attachment_candidates(record: Record, attachment: Attachment) -> Iterator[Candidate]:
    def finding(rule: str, message: str, *detail: str) -> Candidate:
        return Candidate(Finding(rule, record.file, attachment.line, f"附件 {attachment.name}：{message}",
                                 excerpt=attachment.name, fingerprint=fingerprint(rule, attachment.digest, *detail),
                                 dept=record.dept), "")

    extract = attachment.extract
    if extract is None:
        yield finding("SEC015", attachment.problem)
        return
    if not extract.readable:
        yield finding("SEC015", "没有可提取的文字（扫描件或图片），无法审查")
    for hidden in extract.hidden:
        yield finding("SEC014", f"含隐藏内容：{hidden}", hidden)
    for label, value in extract.metadata:
        yield finding("SEC012", f"文件属性含{label}“{value}”", label, value)


def _content_candidates(record: Record, terms: list[str]) -> Iterator[Candidate]:
    for text in published_texts(record):
        yield from _text_candidates(record, text, terms)
    if publishes_content(record):
        for attachment in attachments(record):
            yield from _attachment_candidates(record, attachment)
            yield from _text_candidates(record, attachment.text(), terms)


def _report_findings(dept: Department, report: ReportSource, terms: list[str]) -> Iterator[Finding]:
    """The narrative of an annual report is published in full: scan it like a record body."""
    body = half_width(report.body)
    text = Text("年度报告正文", body, lambda offset: report.body_line + body.count("\n", 0, offset))
    for match in _matches(text.text, terms):
        yield Finding(match.rule, report.file, text.line_at(match.start), f"{text.where}{match.message}",
                      excerpt=excerpt(text.text, match), fingerprint=match_fingerprint(text.text, match),
                      dept=dept.slug)


def _deliberately_public(site: Site) -> set[str]:
    """Numbers the site publishes on purpose: department contact facts, the footer (a marking never is)."""
    texts = [str(value) for dept in site.departments.values()
             for key, value in dept.data.items() if key in publicity.DEPT_PUBLIC_KEYS]
    texts += [str(value) for value in dataclasses.asdict(site.config.footer).values()]
    return {match.raw for text in texts for match in personal_data(text)}


def check(site: Site, today: dt.date) -> Review:
    """Every SEC finding of the site, after the records' own sign-offs."""
    review = Review(allowed=_deliberately_public(site))
    terms = [term for term in site.config.sensitive_terms if term.strip()]
    for record in site.records:
        if not record.loaded:
            continue
        review.findings.extend(metadata_findings(record, site))
        signoffs = signoff_rules.parse(record, today)
        review.signoffs.extend(signoffs)
        review.findings.extend(signoff_rules.problem_findings(record, signoffs))
        for candidate in _content_candidates(record, terms):
            if signoff_rules.accepts(signoffs, candidate.finding):
                review.allowed.add(candidate.raw)
            else:
                review.findings.append(candidate.finding)
    for dept in site.departments.values():
        for report in dept.reports.values():
            if report.loaded:
                review.findings.extend(_report_findings(dept, report, terms))
    review.allowed.discard("")
    return review
