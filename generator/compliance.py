"""`check --report DIR`: an internal compliance dashboard for the supervising office.

One HTML page (DIR/index.html) with, per department: findings by rule, records published
late (STL001), stale (STL007) and empty (STL008) columns, and the reviews and expiries due
in the next 30 days. It names records that may not be public, so it is never written into
the public site's output.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from .errors import DisclosureError
from .findings import Finding, Findings
from .model import Site
from .rules import BLOCK, RULES
from .staleness.calendar import add_days
from .staleness.records import CURRENT

UPCOMING_DAYS = 30
PAGE = "index.html"


class ReportError(DisclosureError):
    """The report folder cannot be used (a usage error, exit 2)."""


@dataclass
class Due:
    date: dt.date
    what: str  # 下次复核 / 有效期届满
    file: str
    title: str


@dataclass
class DepartmentReport:
    slug: str
    name: str
    level: str
    by_rule: list[tuple[str, str, str, int]] = field(default_factory=list)  # id, title, severity, count
    late: list[Finding] = field(default_factory=list)
    stale: list[Finding] = field(default_factory=list)
    empty: list[Finding] = field(default_factory=list)
    upcoming: list[Due] = field(default_factory=list)

    @property
    def blocking(self) -> int:
        return sum(n for _, _, severity, n in self.by_rule if severity == BLOCK)

    @property
    def warnings(self) -> int:
        return sum(n for _, _, severity, n in self.by_rule if severity != BLOCK)


def upcoming(site: Site, slug: str, today: dt.date) -> list[Due]:
    """Reviews and expiries of the department's records in force, due within UPCOMING_DAYS."""
    horizon = add_days(today, UPCOMING_DAYS)
    found = []
    for record in site.records:
        if record.dept != slug or not record.loaded or record.status != CURRENT:
            continue
        for key, what in (("next_review", "下次复核"), ("valid_until", "有效期届满")):
            day = record.date(key)
            if day is not None and today <= day <= horizon:
                found.append(Due(day, what, record.file, record.title))
    return sorted(found, key=lambda due: (due.date, due.file))


def department_reports(site: Site, findings: Findings, today: dt.date) -> list[DepartmentReport]:
    reports = []
    slugs = sorted(set(site.departments) | {f.dept for f in findings if f.dept})
    for slug in slugs:
        dept = site.departments.get(slug)
        mine = [f for f in findings.sorted() if f.dept == slug]
        counts = Counter((f.rule, f.severity) for f in mine)
        report = DepartmentReport(slug, dept.name if dept else slug, dept.level if dept else "")
        report.by_rule = [(rule, RULES[rule].title, severity, n) for (rule, severity), n in sorted(counts.items())]
        report.late = [f for f in mine if f.rule == "STL001"]
        report.stale = [f for f in mine if f.rule == "STL007"]
        report.empty = [f for f in mine if f.rule == "STL008"]
        report.upcoming = upcoming(site, slug, today)
        reports.append(report)
    return reports


TEMPLATE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="robots" content="noindex, nofollow">
<title>政府信息公开合规报告（内部）· {{ today }}</title>
<style>
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem;max-width:72rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}.block{color:#a00;font-weight:bold}.warn{color:#8a5a00}.ok{color:#060}
.internal{background:#fff3cd;border:1px solid #e0c36c;padding:.5rem 1rem}section{margin-top:2rem}
</style></head><body>
<p class="internal">内部资料：本报告供监督机构和各部门核查使用，含非公开记录的名称，不得发布到公开站点。</p>
<h1>{{ title }} 合规报告</h1>
<p>检查日期 {{ today }}；阻断性问题 {{ blocking }} 个，警告 {{ warnings }} 个；未来 {{ days }} 天到期的复核 {{ due }} 项。</p>
<h2>各部门概览</h2>
<table><tr><th>部门</th><th>层级</th><th>阻断</th><th>警告</th><th>发布超期</th><th>栏目不更新</th><th>空白栏目</th><th>{{ days }} 天内到期</th></tr>
{% for d in departments %}<tr><td><a href="#{{ d.slug }}">{{ d.name }}</a></td><td>{{ d.level }}</td>
<td class="{{ 'block' if d.blocking else 'ok' }}">{{ d.blocking }}</td><td>{{ d.warnings }}</td>
<td>{{ d.late|length }}</td><td>{{ d.stale|length }}</td><td>{{ d.empty|length }}</td><td>{{ d.upcoming|length }}</td></tr>
{% endfor %}</table>
{% for d in departments %}<section id="{{ d.slug }}"><h2>{{ d.name }}</h2>
<h3>按规则统计</h3>
{% if d.by_rule %}<table><tr><th>规则</th><th>内容</th><th>级别</th><th>数量</th></tr>
{% for rule, title, severity, n in d.by_rule %}<tr><td>{{ rule }}</td><td>{{ title }}</td>
<td class="{{ severity }}">{{ '阻断' if severity == 'block' else '警告' }}</td><td>{{ n }}</td></tr>{% endfor %}</table>
{% else %}<p class="ok">没有发现问题。</p>{% endif %}
{% for heading, items in [("发布超期的记录（STL001）", d.late), ("栏目不更新（STL007）", d.stale), ("空白栏目（STL008）", d.empty)] %}
<h3>{{ heading }}</h3>{% if items %}<table><tr><th>位置</th><th>问题</th><th>修改建议</th></tr>
{% for f in items %}<tr><td>{{ f.file }}:{{ f.line }}</td><td>{{ f.message }}</td><td>{{ f.fix }}</td></tr>{% endfor %}</table>
{% else %}<p>无。</p>{% endif %}{% endfor %}
<h3>未来 {{ days }} 天内到期</h3>{% if d.upcoming %}<table><tr><th>日期</th><th>事项</th><th>记录</th><th>文件</th></tr>
{% for u in d.upcoming %}<tr><td>{{ u.date }}</td><td>{{ u.what }}</td><td>{{ u.title }}</td><td>{{ u.file }}</td></tr>{% endfor %}</table>
{% else %}<p>无。</p>{% endif %}
</section>{% endfor %}
</body></html>
"""


def check_folder(folder: Path, site_root: Path) -> None:
    """Refuse a folder inside the site's content or its default public output."""
    resolved = folder.resolve()
    for public in (site_root / "build", site_root / "content"):
        if resolved == public.resolve() or public.resolve() in resolved.parents:
            raise ReportError(f"合规报告是内部资料，不能写入 {public}；请另选目录")


def write_report(site: Site, findings: Findings, today: dt.date, folder: Path) -> Path:
    check_folder(folder, site.root)
    departments = department_reports(site, findings, today)
    html = Environment(autoescape=True).from_string(TEMPLATE).render(
        title=site.config.title, today=today, days=UPCOMING_DAYS, departments=departments,
        blocking=len(findings.blocking), warnings=len(findings.warnings),
        due=sum(len(d.upcoming) for d in departments))
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / PAGE
    page.write_text(html, encoding="utf-8")
    return page
