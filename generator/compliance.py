"""`check --report DIR`: an internal compliance dashboard for the supervising office.

One HTML page (DIR/index.html) with the site's single vetoes (单项否决) and, per department: its
考评 score against the site's scoring table (site.yaml `scoring:`, item by item with the findings
behind each deduction — inspection/scoring.py), findings by rule, records published late
(STL001), stale (STL007) and empty (STL008) columns, the records scheduled for later (待发布,
STL016), the 清理清单 of its 行政规范性文件 in force (age and due dates, STL017), and the reviews
and expiries due in the next 30 days. It names records that may not be public, so it is never written into
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
from .inspection.scoring import DepartmentScore, department_scores, site_vetoes
from .model import Site
from .rules import BLOCK, RULES
from .staleness.calendar import add_days
from .staleness.records import CURRENT, NORMATIVE

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
class Scheduled:
    date: dt.date
    file: str
    title: str


@dataclass
class Cleanup:
    """A 行政规范性文件 in force, for the 清理清单 (规范性文件 are cleaned up regularly)."""

    file: str
    title: str
    doc_no: str
    published: dt.date | None
    age_days: int | None
    valid_until: dt.date | None
    next_review: dt.date | None


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
    score: DepartmentScore | None = None
    scheduled: list[Scheduled] = field(default_factory=list)
    cleanup: list[Cleanup] = field(default_factory=list)

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


def scheduled(site: Site, slug: str) -> list[Scheduled]:
    """The department's records held out until their publication date (待发布, STL016)."""
    found = [
        Scheduled(day, r.file, r.title)
        for r in site.records
        if r.dept == slug and r.scheduled and (day := r.date("published")) is not None
    ]
    return sorted(found, key=lambda s: (s.date, s.file))


def cleanup(site: Site, slug: str, today: dt.date) -> list[Cleanup]:
    """Every 行政规范性文件 of the department in force, oldest first, with its due dates."""
    found = []
    for r in site.records:
        if r.dept != slug or not r.loaded or r.status != CURRENT or r.doc_type != NORMATIVE:
            continue
        start = r.date("published") or r.date("written")
        found.append(
            Cleanup(
                r.file,
                r.title,
                str(r.get("doc_no") or ""),
                start,
                (today - start).days if start else None,
                r.date("valid_until"),
                r.date("next_review"),
            )
        )
    return sorted(found, key=lambda c: (c.published or dt.date.min, c.file))


def department_reports(site: Site, findings: Findings, today: dt.date) -> list[DepartmentReport]:
    reports = []
    scores = {score.slug: score for score in department_scores(site, findings)}
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
        report.score = scores.get(slug)
        report.scheduled = scheduled(site, slug)
        report.cleanup = cleanup(site, slug, today)
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
{% if scoring.items %}<h2>单项否决</h2>
{% if vetoes %}<p class="block">全站单项否决：{{ vetoes|length }} 项（{{ scoring.vetoes|join('、') }}）。</p>
<table><tr><th>规则</th><th>位置</th><th>问题</th></tr>
{% for f in vetoes %}<tr><td>{{ f.rule }}</td><td>{{ f.file }}:{{ f.line }}</td><td>{{ f.message }}</td></tr>{% endfor %}</table>
{% else %}<p class="ok">全站没有单项否决的问题（{{ scoring.vetoes|join('、') or '未设单项否决规则' }}）。</p>{% endif %}{% endif %}
<h2>各部门概览</h2>
<table><tr><th>部门</th><th>层级</th>{% if scoring.items %}<th>考评得分</th><th>等次</th>{% endif %}<th>阻断</th><th>警告</th><th>发布超期</th><th>栏目不更新</th><th>空白栏目</th><th>待发布</th><th>{{ days }} 天内到期</th></tr>
{% for d in departments %}<tr><td><a href="#{{ d.slug }}">{{ d.name }}</a></td><td>{{ d.level }}</td>
{% if scoring.items %}<td>{% if d.score %}{{ points(d.score.score) }} / {{ points(d.score.full) }}{% endif %}</td><td class="{{ 'block' if d.score and d.score.vetoes else '' }}">{{ d.score.grade if d.score else '' }}</td>{% endif %}
<td class="{{ 'block' if d.blocking else 'ok' }}">{{ d.blocking }}</td><td>{{ d.warnings }}</td>
<td>{{ d.late|length }}</td><td>{{ d.stale|length }}</td><td>{{ d.empty|length }}</td><td>{{ d.scheduled|length }}</td><td>{{ d.upcoming|length }}</td></tr>
{% endfor %}</table>
{% for d in departments %}<section id="{{ d.slug }}"><h2>{{ d.name }}</h2>
{% if d.score %}<h3>考评得分：{{ points(d.score.score) }} 分（满分 {{ points(d.score.full) }} 分），{{ d.score.grade }}</h3>
<p>考评标准：{{ scoring.title }}{% if scoring.source %}（{{ scoring.source }}）{% endif %}。</p>
{% if d.score.vetoes %}<p class="block">单项否决：{% for f in d.score.vetoes %}{{ f.rule }} {{ f.file }}:{{ f.line }} {{ f.message }}{{ '；' if not loop.last }}{% endfor %}</p>{% endif %}
<table><tr><th>项目</th><th>具体内容</th><th>分值</th><th>评分标准</th><th>扣分</th><th>得分</th><th>扣分依据</th></tr>
{% for item in d.score.items %}<tr><td>{{ item.item.group }}</td><td>{{ item.item.content }}</td><td>{{ points(item.item.points) }}</td>
<td>{{ item.item.standard }}</td><td class="{{ 'block' if item.lost else 'ok' }}">{{ points(item.lost) }}</td><td>{{ points(item.score) }}</td>
<td>{% if item.deductions %}<ul>{% for d2 in item.deductions %}<li>{{ d2.finding.rule }} {{ d2.finding.file }}:{{ d2.finding.line }} {{ d2.finding.message }}（扣 {{ points(d2.points) }} 分）</li>{% endfor %}</ul>{% elif not item.item.deductions %}人工评分{% else %}无{% endif %}</td></tr>
{% endfor %}</table>{% endif %}
<h3>按规则统计</h3>
{% if d.by_rule %}<table><tr><th>规则</th><th>内容</th><th>级别</th><th>数量</th></tr>
{% for rule, title, severity, n in d.by_rule %}<tr><td>{{ rule }}</td><td>{{ title }}</td>
<td class="{{ severity }}">{{ '阻断' if severity == 'block' else '警告' }}</td><td>{{ n }}</td></tr>{% endfor %}</table>
{% else %}<p class="ok">没有发现问题。</p>{% endif %}
{% for heading, items in [("发布超期的记录（STL001）", d.late), ("栏目不更新（STL007）", d.stale), ("空白栏目（STL008）", d.empty)] %}
<h3>{{ heading }}</h3>{% if items %}<table><tr><th>位置</th><th>问题</th><th>修改建议</th></tr>
{% for f in items %}<tr><td>{{ f.file }}:{{ f.line }}</td><td>{{ f.message }}</td><td>{{ f.fix }}</td></tr>{% endfor %}</table>
{% else %}<p>无。</p>{% endif %}{% endfor %}
<h3>待发布（STL016）</h3>{% if d.scheduled %}<table><tr><th>发布日期</th><th>记录</th><th>文件</th></tr>
{% for s in d.scheduled %}<tr><td>{{ s.date }}</td><td>{{ s.title }}</td><td>{{ s.file }}</td></tr>{% endfor %}</table>
{% else %}<p>无。</p>{% endif %}
<h3>行政规范性文件清理清单</h3>{% if d.cleanup %}<table><tr><th>文件</th><th>文号</th><th>发布日期</th><th>已发布（天）</th><th>有效期至</th><th>下次复核</th><th>位置</th></tr>
{% for c in d.cleanup %}<tr><td>{{ c.title }}</td><td>{{ c.doc_no or '（缺文号）' }}</td><td>{{ c.published or '' }}</td><td>{{ c.age_days if c.age_days is not none else '' }}</td>
<td>{{ c.valid_until or '（未填）' }}</td><td>{{ c.next_review or '（未填）' }}</td><td>{{ c.file }}</td></tr>{% endfor %}</table>
{% else %}<p>无现行有效的行政规范性文件。</p>{% endif %}
<h3>未来 {{ days }} 天内到期</h3>{% if d.upcoming %}<table><tr><th>日期</th><th>事项</th><th>记录</th><th>文件</th></tr>
{% for u in d.upcoming %}<tr><td>{{ u.date }}</td><td>{{ u.what }}</td><td>{{ u.title }}</td><td>{{ u.file }}</td></tr>{% endfor %}</table>
{% else %}<p>无。</p>{% endif %}
</section>{% endfor %}
</body></html>
"""


def points(value: float) -> str:
    """A score as people write it: 96, 97.5."""
    return f"{value:g}"


def check_folder(folder: Path, site_root: Path) -> None:
    """Refuse a folder inside the site's content or its default public output."""
    resolved = folder.resolve()
    for public in (site_root / "build", site_root / "content"):
        if resolved == public.resolve() or public.resolve() in resolved.parents:
            raise ReportError(f"合规报告是内部资料，不能写入 {public}；请另选目录")


def write_report(site: Site, findings: Findings, today: dt.date, folder: Path) -> Path:
    check_folder(folder, site.root)
    departments = department_reports(site, findings, today)
    html = (
        Environment(autoescape=True)
        .from_string(TEMPLATE)
        .render(
            title=site.config.title,
            today=today,
            days=UPCOMING_DAYS,
            departments=departments,
            points=points,
            scoring=site.config.scoring,
            vetoes=site_vetoes(site, findings),
            blocking=len(findings.blocking),
            warnings=len(findings.warnings),
            due=sum(len(d.upcoming) for d in departments),
        )
    )
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / PAGE
    page.write_text(html, encoding="utf-8")
    return page
