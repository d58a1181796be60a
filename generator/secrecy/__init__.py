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
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from .. import publicity
from ..findings import Finding
from ..model import Department, Record, ReportSource, Site
from . import signoffs as signoff_rules
from .attachments import Attachment, attachments, digest_file, listed
from .markings import distribution_notes, internal_markings, process_title, secrecy_markings, sensitive_terms
from .matches import Match, Text, fingerprint, half_width
from .metadata import declassified_dates, department_names, own_findings, publisher_findings
from .personal import personal_data
from .published import LeakFound, guard
from .scan import Matcher, scan
from .signoffs import SignOff
from .texts import published_texts, publishes_content

if TYPE_CHECKING:
    from ..checkcache import CheckCache

__all__ = ["Review", "LeakFound", "check", "guard", "own_work"]


@dataclass
class Review:
    findings: list[Finding] = field(default_factory=list)
    signoffs: list[SignOff] = field(default_factory=list)
    allowed: set[str] = field(default_factory=set)  # matched texts the output scan lets through


@dataclass
class Candidate:
    finding: Finding
    raw: str  # the matched text itself, for the output scan's allow list; never printed


def _matcher(terms: list[str], title: bool = False) -> Matcher:
    def matches(text: str) -> Iterator[Match]:
        found = chain(
            secrecy_markings(text),
            internal_markings(text),
            distribution_notes(text),
            personal_data(text),
            sensitive_terms(text, terms),
        )
        return chain(found, process_title(text)) if title else found

    return matches


def _text_candidates(record: Record, text: Text, terms: list[str]) -> Iterator[Candidate]:
    title = text.where == "标题" and record.publicity == "主动公开"
    for hit in scan(text.text, _matcher(terms, title), markdown=text.markdown):
        finding = Finding(
            hit.rule,
            record.file,
            text.line_at(hit.start),
            f"{text.where}{hit.message}",
            excerpt=hit.excerpt,
            fingerprint=hit.fingerprint,
            dept=record.dept,
        )
        yield Candidate(finding, hit.allow_key)


def _attachment_candidates(record: Record, attachment: Attachment) -> Iterator[Candidate]:
    def finding(rule: str, message: str, *detail: str) -> Candidate:
        return Candidate(
            Finding(
                rule,
                record.file,
                attachment.line,
                f"附件 {attachment.name}：{message}",
                excerpt=attachment.name,
                fingerprint=fingerprint(rule, attachment.digest, *detail),
                dept=record.dept,
            ),
            "",
        )

    extract = attachment.extract
    if extract is None:
        found = finding("SEC015", attachment.problem)
        found.finding.fix = attachment.fix or found.finding.fix
        yield found
        return
    if not extract.readable:
        yield finding("SEC015", "没有可提取的文字（扫描件或图片），无法审查")
    for problem, fix in extract.unreadable:
        found = finding("SEC015", problem, problem)
        found.finding.fix = fix
        yield found
    for hidden in extract.hidden:
        yield finding("SEC014", f"含隐藏内容：{hidden}", hidden)
    for label, value in extract.metadata:
        yield finding("SEC012", f"文件属性含{label}“{value}”", label, value)


def _content_candidates(
    record: Record, terms: list[str], files: list[tuple[str, int, Path]] | None = None, texts: list[Text] | None = None
) -> Iterator[Candidate]:
    for text in published_texts(record) if texts is None else texts:
        yield from _text_candidates(record, text, terms)
    if publishes_content(record):
        for attachment in attachments(record, files):
            yield from _attachment_candidates(record, attachment)
            for text in attachment.texts():
                yield from _text_candidates(record, text, terms)


def _record_candidates(
    record: Record, terms: list[str], cache: CheckCache | None, texts: list[Text] | None = None
) -> list[Candidate]:
    """The record's candidates; with `cache`, scanned again only when the record, one of its
    attachments or the site settings changed (sign-offs are matched afterwards, every time).
    `texts`: the record's published_texts, when the caller has them already."""
    if cache is None:
        return list(_content_candidates(record, terms, texts=texts))
    files = listed(record) if record.meta.get("attachments") and publishes_content(record) else []
    try:
        key = cache.attachments_key([(name, digest_file(path)) for name, _, path in files])
    except OSError:
        return list(_content_candidates(record, terms, files, texts))  # as without the cache
    known = cache.candidates(record.file, record.dept, key)
    if known is not None:
        return [Candidate(finding, raw) for finding, raw in known]
    found = list(_content_candidates(record, terms, files, texts))
    cache.keep_candidates(record.file, record.dept, key, [(c.finding, c.raw) for c in found])
    return found


def _metadata(record: Record, bases: list[str], cache: CheckCache | None) -> list[Finding]:
    """The front-matter findings that read nothing but the record and site.yaml: with `cache`, found
    again only when the record or the settings changed."""
    if cache is None:
        return own_findings(record, bases)
    known = cache.own(record.file, record.dept, "meta")
    if known is not None and len(known) == 1:
        return known[0]
    found = own_findings(record, bases)
    cache.keep_own(record.file, record.dept, "meta", [found])
    return found


def own_work(record: Record, terms: list[str], bases: list[str], cache: CheckCache, texts: list[Text]) -> None:
    """Into `cache`: the record's front-matter findings and candidates (generator.recordwork does
    this on all cores before the stage runs; sign-offs are matched in the stage). `terms` and
    `bases`: the site's sensitive terms and withhold bases; `texts`: the record's published_texts."""
    _metadata(record, bases, cache)
    _record_candidates(record, terms, cache, texts)


def _report_findings(dept: Department, report: ReportSource, terms: list[str]) -> Iterator[Finding]:
    """The narrative of an annual report is published in full: scan it like a record body."""
    body = half_width(report.body)
    for hit in scan(body, _matcher(terms), markdown=True):
        line = report.body_line + body.count("\n", 0, hit.start)
        yield Finding(
            hit.rule,
            report.file,
            line,
            f"年度报告正文{hit.message}",
            excerpt=hit.excerpt,
            fingerprint=hit.fingerprint,
            dept=dept.slug,
        )


def _settings_texts(site: Site) -> Iterator[tuple[str, str, int, str, str]]:
    """Every published setting: (file, key, line, text, dept) of department facts and the footer."""
    for dept in site.departments.values():
        for key in publicity.DEPT_PUBLIC_KEYS:
            value = dept.data.get(key)
            if value not in (None, ""):
                yield dept.file, key, dept.parsed.line_of(key), str(value), dept.slug
    for key, value in dataclasses.asdict(site.config.footer).items():
        if value:
            line = site.config.parsed.line_of("footer", key) if site.config.parsed else 1
            yield "site.yaml", f"footer.{key}", line, str(value), ""


def _settings_review(site: Site, terms: list[str]) -> tuple[list[Finding], set[str]]:
    """Department facts and the footer are published on every guide and page. A mobile number
    may stand only in a contact field meant for the public (phone, fax, e-mail, address, the
    footer's contact), and is then allowed through the output scan by its exact value; an ID
    or bank card number, a marking or a sensitive term is a finding in any field."""
    findings, allowed = [], set()
    for file, key, line, text, dept in _settings_texts(site):
        contact = key in publicity.DEPT_CONTACT_KEYS or key == "footer.contact"
        for hit in scan(half_width(text), _matcher(terms)):
            if contact and hit.kind == "mobile":
                allowed.add(hit.allow_key)
                continue
            findings.append(
                Finding(
                    hit.rule,
                    file,
                    line,
                    f"设置 {key} {hit.message}（此项会公开发布）",
                    excerpt=hit.excerpt,
                    fingerprint=hit.fingerprint,
                    dept=dept,
                )
            )
    return findings, allowed


def check(site: Site, today: dt.date, cache: CheckCache | None = None) -> Review:
    """Every SEC finding of the site, after the records' own sign-offs (`cache`: the records'
    candidates as found before, when nothing they were found in has changed)."""
    terms = [term for term in site.config.sensitive_terms if term.strip()]
    settings_findings, allowed = _settings_review(site, terms)
    review = Review(findings=settings_findings, allowed=allowed)
    names = department_names(site)
    for record in site.records:
        if not record.loaded:
            continue
        review.findings.extend(_metadata(record, site.config.withhold_bases, cache))
        review.findings.extend(declassified_dates(record, today))  # reads the date: never from the cache
        review.findings.extend(publisher_findings(record, names))
        signoffs = signoff_rules.parse(record, today)
        if signoffs:
            review.signoffs.extend(signoffs)
            review.findings.extend(signoff_rules.problem_findings(record, signoffs))
        for candidate in _record_candidates(record, terms, cache):
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
