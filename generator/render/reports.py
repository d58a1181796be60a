"""政府信息公开年报: each department's annual report, the site's yearly summary, the list by year.

Each report page carries its charts (SVG files beside it) and its Word copy (.docx beside it).
Only what the Publication holds is used: computed counts, the narrative of reports/<year>.md,
and public records for the charts; register rows never reach this module.
"""

from __future__ import annotations

import base64
from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup

from .. import markdown, urls
from ..annual import charts, layout
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
from ..publicity import PublicRecord
from .pages import LAYOUTS, Renderer, default_layouts, site_layout_file

DOCX = "report.docx"
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


def report_charts(records: list[PublicRecord], report: AnnualReport) -> list[charts.Chart]:
    """Records published per month, records per category, applications by result."""
    mine = _published_in(records, report)
    months = Counter(r.published.month for r in mine if r.published)
    found = [
        charts.bars("months", f"{report.year}年每月发布的政府信息（条）", [(f"{m}月", months[m]) for m in range(1, 13)])
    ]
    categories = Counter(r.category.split("/")[-1] for r in mine if r.category)
    if categories:
        found.append(
            charts.rows(
                "categories",
                f"{report.year}年各类政府信息发布数量（条）",
                sorted(categories.items(), key=lambda item: (-item[1], item[0])),
            )
        )
    if report.table3:
        found.append(
            charts.rows(
                "results", f"{report.year}年政府信息公开申请办理结果（件）", layout.results_by_group(report.table3)
            )
        )
    return found


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


def render_report(renderer: Renderer, report: AnnualReport, path: str, standalone: bool = False) -> None:
    """Write `report` as the page `path`; standalone: charts and stylesheet inside the one file."""
    figures = []
    for chart in report_charts(renderer.publication.records, report):
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
        key = renderer.key(docx, "docx", report)
        if not renderer.output.reuse(docx, key):  # written (python-docx loaded) only when the report changed
            from ..annual import word

            renderer.output.write_bytes(docx, word.document(report), key)
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
        docx=docx,
        parts=parts,
        labels=LABELS,
        department=renderer.publication.departments.get(report.dept),
        inline_css=_stylesheets(renderer) if standalone else None,
    )


def render_reports(renderer: Renderer) -> None:
    publication = renderer.publication
    for report in (*publication.reports, *publication.report_summaries):
        render_report(renderer, report, page_of(report))
    years = [(summary, [(r, page_of(r)) for r in summary.parts]) for summary in publication.report_summaries]
    renderer.page(urls.REPORTS, "reports.html", years=years, page_of=page_of)
