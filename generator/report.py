"""`disclosure report`: one department's annual report of one year, as a Word file or one HTML file.

The whole site is checked first (the report counts records and the register as the build
does); the findings of this report's own sources are returned so the command can show them.
The file is written even when they block, marked with what is missing, for staff to review.
The report itself is computed in generator/annual/ (tables, charts, the Word export); this
command module is what joins it to the pipeline and the renderer.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import pipeline, publicity
from .annual.sources import APPLICATIONS, REPORTS
from .config import SiteConfig
from .errors import DisclosureError
from .findings import Finding
from .output import Output

FORMATS = ("html", "docx")


class ExportError(DisclosureError):
    """The report asked for does not exist (a usage error); the message is in Chinese."""


def export(config: SiteConfig, today: dt.date, slug: str, year: int, fmt: str, out: Path) -> list[Finding]:
    """Write the report to `out`; return the findings of its register and report source."""
    checked = pipeline.check(config, today)
    dept = checked.site.departments.get(slug)
    if dept is None:
        known = "、".join(checked.site.departments) or "无"
        raise ExportError(f"部门 {slug} 不存在（content/ 下的部门目录：{known}）")
    publication = publicity.select(checked.site)
    report = next((r for r in publication.reports if r.dept == slug and r.year == year), None)
    source = dept.reports.get(year)
    if report is None and source is not None and not source.loaded:
        about = [f for f in checked.findings.sorted() if f.file == source.file]
        said = "；".join(f"{f.rule} 第 {f.line} 行：{f.message}" for f in about) or "运行 disclosure check 查看原因"
        raise ExportError(f"{source.file} 不能作为年度报告使用（{said}）")
    if report is None:
        raise ExportError(
            f"没有可用的 content/{slug}/{REPORTS}/{year}.md：先建立该文件（正文写文字部分，"
            "前置元数据写 permits、penalties、coercions、fees）"
        )
    from .annual import word, wordtemplate  # rendering (jinja2, matplotlib, python-docx) only when asked for
    from .render.pages import Renderer
    from .render.reports import render_report

    if fmt == "docx":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(word.document(report, wordtemplate.template_of(config)))
    else:
        render_report(Renderer(publication, Output(out.parent)), report, out.name, standalone=True)
    own = (f"content/{slug}/{APPLICATIONS}/", f"content/{slug}/{REPORTS}/")
    return [f for f in checked.findings.sorted() if f.file.startswith(own)]
