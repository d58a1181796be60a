"""政府信息公开年报: each department's annual report, the site's yearly summary, the list by year.

Each report page carries its charts (SVG files beside it) and its Word copy (.docx beside it).
Only what the Publication holds is used: computed counts, the narrative of reports/<year>.md,
and public records for the charts; register rows never reach this module.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
import re
from dataclasses import dataclass, field

from markupsafe import Markup

from .. import markdown, urls
from ..annual import charts, layout, wordtemplate
from ..annual.tables import AnnualReport
from ..annual.template import (
    APPLICANT_HEADER,
    DIRECT_SUIT,
    LITIGATION,
    NATURAL_PERSON,
    ORGANISATIONS,
    ORGANISATIONS_HEADER,
    OUTCOME_COLUMNS,
    RECONSIDERATION,
    SECTIONS,
    SUIT_AFTER_REVIEW,
    TOTAL,
)
from ..config import SiteConfig
from ..publicity import Publication, PublicRecord
from .catalogue import Row
from .pages import LAYOUTS, Renderer, default_layouts, site_layout_file

DOCX = "report.docx"
REPORTS_CATEGORY = "政府信息公开年报"  # the catalogue column of annual reports (site.yaml categories)
STYLESHEETS = ("style.css", "report.css")
LABELS = {
    "APPLICANT_HEADER": APPLICANT_HEADER,
    "NATURAL_PERSON": NATURAL_PERSON,
    "ORGANISATIONS": ORGANISATIONS,
    "ORGANISATIONS_HEADER": ORGANISATIONS_HEADER,
    "TOTAL": TOTAL,
    "OUTCOME_COLUMNS": OUTCOME_COLUMNS,
    "RECONSIDERATION": RECONSIDERATION,
    "LITIGATION": LITIGATION,
    "DIRECT_SUIT": DIRECT_SUIT,
    "SUIT_AFTER_REVIEW": SUIT_AFTER_REVIEW,
    "SECTIONS": SECTIONS,
}


@dataclass(frozen=True)
class Figure:
    chart: charts.Chart
    src: str  # where the page finds the SVG: a relative URL, or a data: URL in a standalone file


def page_of(report: AnnualReport) -> str:
    return urls.report(report.dept, report.year) if report.dept else urls.site_report(report.year)


def _published_in(records: list[PublicRecord], report: AnnualReport) -> list[PublicRecord]:
    return [
        r
        for r in records
        if r.published and r.published.year == report.year and (not report.dept or r.dept == report.dept)
    ]


def report_charts(records: list[PublicRecord], report: AnnualReport) -> tuple[list[charts.Chart], list[str]]:
    """(charts, sentences): records published per month, records per category, applications by
    result; a chart with nothing to draw (every bar zero) is a sentence saying so instead."""
    mine = _published_in(records, report)
    who = "本机关" if report.dept else "各机关"
    found: list[charts.Chart] = []
    empty: list[str] = []
    if mine:
        months = Counter(r.published.month for r in mine if r.published)
        found.append(
            charts.bars(
                "months", f"{report.year}年每月发布的政府信息（条）", [(f"{m}月", months[m]) for m in range(1, 13)]
            )
        )
        categories = Counter(r.category.split("/")[-1] for r in mine if r.category)
        found.append(
            charts.rows(
                "categories",
                f"{report.year}年各类政府信息发布数量（条）",
                sorted(categories.items(), key=lambda item: (-item[1], item[0])),
            )
        )
    else:
        empty.append(f"{report.year}年{who}没有在本站发布政府信息，不绘制每月发布和分类发布图表。")
    if report.table3:
        results = layout.results_by_group(report.table3)
        if any(count for _, count in results):
            found.append(charts.rows("results", f"{report.year}年政府信息公开申请办理结果（件）", results))
        else:
            empty.append(f"{report.year}年{who}没有办结的政府信息公开申请，不绘制办理结果图表。")
    return found, empty


def _narrative(report: AnnualReport) -> dict[str, Markup]:
    def external_only(href: str) -> str:
        return href if href.startswith(("https://", "http://", "#")) else ""

    return {title: Markup(markdown.render(text, external_only)) for title, text in report.narrative.items()}


def _stylesheets(renderer: Renderer) -> Markup:
    """The site's stylesheets as text, for a report file opened on its own (our own CSS, not user text)."""
    texts = []
    for name in STYLESHEETS:
        site_css = renderer.publication.config.root / LAYOUTS / "static" / name
        path = site_css if site_layout_file(site_css.parent.parent, site_css) else default_layouts() / "static" / name
        texts.append(path.read_text(encoding="utf-8"))
    return Markup("\n".join(texts))


def word_template_digest(config: SiteConfig) -> str:
    """The sha256 of the Word template the reports' .docx files are made with: the site's own
    (site.yaml `word_template`; TemplateError when it cannot be used), else the reference."""
    template = wordtemplate.template_of(config)
    return hashlib.sha256((template or wordtemplate.REFERENCE).read_bytes()).hexdigest()


def render_report(renderer: Renderer, report: AnnualReport, path: str, standalone: bool = False) -> None:
    """Write `report` as the page `path`; standalone: charts and stylesheet inside the one file."""
    figures = []
    drawn, empty = report_charts(renderer.publication.records, report)
    for chart in drawn:
        if standalone:
            src = "data:image/svg+xml;base64," + base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
        else:
            svg = urls.report_file(path, f"{chart.name}.svg")
            key = renderer.key(svg, "chart", chart)
            if not renderer.output.reuse(svg, key):  # drawn only when its figures changed
                renderer.output.write_text(svg, chart.svg, key)
            src = urls.relative(path, svg)
        figures.append(Figure(chart, src))
    docx = None
    if not standalone:
        docx = urls.report_file(path, DOCX)
        key = renderer.key(docx, "docx", (report, word_template_digest(renderer.publication.config)))
        if not renderer.output.reuse(docx, key):  # written only when the report or the template changed
            from ..annual import word  # python-docx loaded only then

            template = wordtemplate.template_of(renderer.publication.config)
            renderer.output.write_bytes(docx, word.document(report, template), key)
    parts = [(part, page_of(part)) for part in report.parts]
    renderer.page(
        path,
        "report.html",
        report=report,
        blocks=layout.table2_blocks(report.table2),
        rows3=layout.table3_rows(report.table3),
        values4=layout.table4_values(report.table4),
        narrative=_narrative(report),
        figures=figures,
        empty_charts=empty,
        docx=docx,
        standalone=standalone,
        parts=parts,
        labels=LABELS,
        department=renderer.publication.departments.get(report.dept),
        inline_css=_stylesheets(renderer) if standalone else None,
    )


@dataclass
class ReportYear:
    """One year of the 政府信息公开年报 list: the computed summary and department reports, and the
    records the catalogue files under 政府信息公开年报 for that year (reports published as
    documents, e.g. migrated from an older site)."""

    year: int
    summary: AnnualReport | None = None
    reports: list[tuple[AnnualReport, str]] = field(default_factory=list)
    records: list[Row] = field(default_factory=list)  # shown as a listing shows them


YEAR_IN_TITLE = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")


def filed_year(record: PublicRecord) -> int | None:
    """The year a report filed in the catalogue is about: the first year in its title
    (玉溪市2017年政府信息公开工作年度报告 → 2017), else the year before it was published."""
    match = YEAR_IN_TITLE.search(record.title)
    if match:
        return int(match.group(1))
    return record.year - 1 if record.year else None


def report_years(publication: Publication) -> list[ReportYear]:
    """Every report by year, newest first: computed ones and the records filed under the
    catalogue's 政府信息公开年报 column."""
    years: dict[int, ReportYear] = {}
    for summary in publication.report_summaries:
        entry = years.setdefault(summary.year, ReportYear(summary.year))
        entry.summary = summary
        entry.reports = [(r, page_of(r)) for r in summary.parts]
    column = REPORTS_CATEGORY + "/"
    for record in publication.records:
        if record.category == REPORTS_CATEGORY or record.category.startswith(column):
            year = filed_year(record)
            if year is not None:
                years.setdefault(year, ReportYear(year)).records.append(Row(record))
    return [years[year] for year in sorted(years, reverse=True)]


def render_reports(renderer: Renderer) -> None:
    publication = renderer.publication
    for report in (*publication.reports, *publication.report_summaries):
        render_report(renderer, report, page_of(report))
    renderer.page(urls.REPORTS, "reports.html", years=report_years(publication), page_of=page_of)
