"""Stage 2 — validate: format and integrity rules FMT001–FMT009, and the register and
annual-report sources (REP001–REP003, in generator/annual/checks.py).

FMT001 (does not parse) is found while loading; the rest are here. Each check reads
the record as written and reports the line of the key or body text at fault. Which keys a
record and a department.yaml have, which are required and of what kind, is declared in
generator/schema.py; here its problem codes become the findings, in Chinese.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Iterator

from . import ids, links, markdown, safeurl, schema
from .annual import checks as annual_checks
from .config import SiteConfig
from .findings import Finding
from .load import CONTENT
from .model import Department, Record, Site
from .rules import WARN
from .schema import DepartmentFacts, Problem, RecordFront

if TYPE_CHECKING:
    from .checkcache import CheckCache

# published is required unless the record is published as metadata only or not at all
NOT_PUBLISHED = tuple(p.value for p, shown in schema.SHOWN.items() if shown is not schema.Exposure.FULL)
SUMMARY_MAX = RecordFront.summary.limit
SCHEME_FIX = (
    "只能填写以 http:// 或 https:// 开头的网址（邮箱、电话另有 email、phone 项）；请从浏览器地址栏复制完整地址。"
)

# 文号: a year must stand in 六角括号; other brackets around a year are the classic mistake.
DOC_NO_YEAR = re.compile(r"(?:19|20)\d{2}")
DOC_NO_GOOD = re.compile(r"〔(?:19|20)\d{2}〕")
DOC_NO_ANNOUNCEMENT = re.compile(r"(?:19|20)\d{2}年第\s*\d+\s*号")


def doc_no_problem(doc_no: str) -> str | None:
    """Why a 文号 is malformed, or None. Numbers without a year (令第711号) are fine."""
    rest = DOC_NO_ANNOUNCEMENT.sub("", DOC_NO_GOOD.sub("", doc_no))
    stray = DOC_NO_YEAR.search(rest)
    if stray is None:
        return None
    around = rest[max(0, stray.start() - 1) : stray.end() + 1]
    return f"文号“{doc_no}”中的年份“{around}”未使用六角括号〔〕"


def _finding(record: Record, rule: str, line: int, message: str, fix: str = "", severity: str = "") -> Finding:
    return Finding(rule, record.file, line, message, fix, severity=severity, dept=record.dept)


# The order FMT002 reports a record's problems in: by kind, then in the schema's order.
PHASES = {"text": 0, "publishers": 1, "date": 2, "list": 3, "map": 4}
NESTED, CHOICE = 5, 6


def _phase(problem: Problem) -> int:
    return NESTED if len(problem.loc) > 1 else PHASES.get(problem.code, CHOICE)


def _choices(problem: Problem) -> str:
    return " / ".join(problem.key.kind.choices)


def _problem_text(problem: Problem) -> tuple[str, str]:
    """A record's problem as (message, fix): the Chinese of FMT002."""
    key, value, code = ".".join(problem.loc), problem.value, problem.code
    if len(problem.loc) > 1:  # inside review:
        if code == "date":
            return f"{key} 不是有效日期：“{_as_written(value)}”", "日期写成 YYYY-MM-DD。"
        return f"{key} 取值“{value}”无效", f"填写 {_choices(problem)} 之一。"
    if code == "text":
        return f"{key} 应为文本", f"把 {key} 写成一行文本。"
    if code == "publishers":
        return "publisher 应为文本或文本列表（联合发文）", ""
    if code == "date":
        return f"{key} 不是有效日期：“{_as_written(value)}”", "日期写成 YYYY-MM-DD，例如 2019-12-05。"
    if code == "list":
        return f"{key} 应为列表", f"把 {key} 写成列表，每项一行，以“- ”开头。"
    if code == "map":
        return f"{key} 应为映射（键: 值）", ""
    return f"{problem.key.label}“{value}”无效", f"填写 {_choices(problem)} 之一。"


def _check_types(record: Record, site: Site) -> Iterator[Finding]:
    meta = record.meta
    for key in RecordFront.unknown(meta):
        yield _finding(
            record,
            "FMT002",
            record.line_of(key),
            f"未知的键 '{key}'，已忽略",
            "删除该键，或改为《内容格式》中的键名（注意拼写）。",
            severity=WARN,
        )
    for key in RecordFront.missing(meta):
        yield _finding(
            record,
            "FMT002",
            record.line_of(key) if key in meta else 1,
            f"缺少必填项 {key}",
            f"在前置元数据中填写 {key}。",
        )
    publicity = record.publicity
    if publicity and publicity not in NOT_PUBLISHED and meta.get("published") in (None, ""):
        yield _finding(
            record, "FMT002", 1, f"公开属性为{publicity}的记录缺少发布日期 published", "填写 published（发布日期）。"
        )
    for problem in sorted(RecordFront.problems(meta), key=_phase):
        message, fix = _problem_text(problem)
        yield _finding(record, "FMT002", record.line_of(*problem.loc), message, fix)
    doc_type = meta.get("doc_type")
    if doc_type not in (None, "") and str(doc_type).strip() not in site.config.doc_types:
        yield _finding(
            record,
            "FMT002",
            record.line_of("doc_type"),
            f"文种“{doc_type}”不在 site.yaml doc_types 中",
            f"填写 {' / '.join(site.config.doc_types)} 之一，或在 site.yaml 的 doc_types 中增加。",
        )
    summary = meta.get("summary")
    if isinstance(summary, str) and len(summary.strip()) > SUMMARY_MAX:
        yield _finding(
            record,
            "FMT002",
            record.line_of("summary"),
            f"内容概述有 {len(summary.strip())} 个字，超过 {SUMMARY_MAX} 字",
            f"把 summary 缩写到 {SUMMARY_MAX} 字以内。",
        )


def department_codes(site: Site) -> dict[str, tuple[str, str]]:
    """Each department's 统一社会信用代码 as FMT003 compares a 索引号's prefix with it (normalised) and
    as the finding shows it (as written): departments with a uscc only. Made once a check, not once a record."""
    return {slug: (dept.uscc.strip().upper(), dept.uscc) for slug, dept in site.departments.items() if dept.uscc}


def _check_index_no(record: Record, seen: dict[str, Record], codes: dict[str, tuple[str, str]]) -> list[Finding]:
    """FMT003 of the record's 索引号 (`codes`: department_codes). A list, not a generator: 200,000
    records mostly have nothing to say here, and a generator made for each cost more than the test."""
    value = record.index_no
    if not value:
        return []
    digit = ids.non_ascii_digit(value)
    if digit is not None:
        return [
            _finding(
                record,
                "FMT003",
                record.line_of("index_no"),
                f"索引号“{value}”含非半角数字“{digit}”（U+{ord(digit):04X}），索引号只能使用半角数字 0-9",
                "用半角（英文）输入法重新输入索引号中的数字。",
            )
        ]
    match = ids.parse_index_no(value)
    if match is None:
        return [_finding(record, "FMT003", record.line_of("index_no"), f"索引号“{value}”格式错误")]
    found = []
    uscc = match["uscc"]
    if not ids.uscc_valid(uscc):
        found.append(
            _finding(record, "FMT003", record.line_of("index_no"), f"索引号中的统一社会信用代码 {uscc} 校验位错误")
        )
    code = codes.get(record.dept)
    if code is not None and uscc != code[0]:
        found.append(
            _finding(
                record,
                "FMT003",
                record.line_of("index_no"),
                f"索引号前缀 {uscc} 不是本部门的统一社会信用代码 {code[1]}",
                "索引号以本部门 department.yaml 中的 uscc 开头。",
            )
        )
    first = seen.setdefault(ids.index_key(match), record)  # the serial as a number: 00901 = 0000901
    if first is not record:
        same = "" if first.index_no.strip() == value.strip() else f"（{first.index_no}，序号相同）"
        found.append(
            _finding(
                record,
                "FMT003",
                record.line_of("index_no"),
                f"索引号 {value} 与 {first.file}{same} 重复",
                "每条记录的索引号在全站唯一，可用 disclosure new 分配新号。",
            )
        )
    return found


def _check_doc_no(record: Record) -> Iterator[Finding]:
    doc_no = record.meta.get("doc_no")
    if isinstance(doc_no, str) and doc_no.strip():
        problem = doc_no_problem(doc_no.strip())
        if problem:
            yield _finding(record, "FMT004", record.line_of("doc_no"), problem)


def _check_taxonomy(record: Record, site: Site) -> Iterator[Finding]:
    category = record.meta.get("category")
    path = record.category
    if path:
        if path not in site.config.leaf_categories:
            near = [p for p in site.config.leaf_categories if p.endswith("/" + path.split("/")[-1])]
            hint = f"是否应为“{near[0]}”？" if near else "可选的末级分类见 site.yaml 的 categories。"
            yield _finding(
                record,
                "FMT005",
                record.line_of("category"),
                f"信息分类“{category}”不是 site.yaml 分类树中的末级分类",
                f"写出完整路径。{hint}",
            )
    topic = record.meta.get("topic")
    if isinstance(topic, str) and topic.strip() and topic.strip() not in site.config.topics:
        yield _finding(
            record,
            "FMT005",
            record.line_of("topic"),
            f"主题分类“{topic}”不在 site.yaml topics 中",
            "填写 site.yaml topics 中的一项，或在 topics 中增加。",
        )


def _check_dates(record: Record) -> Iterator[Finding]:
    written = record.date("written")
    if written is None:
        return
    for key, label in (
        ("published", "发布日期"),
        ("changed", "变更日期"),
        ("status_date", "有效性变更日期"),
        ("valid_until", "有效期至"),
    ):
        value = record.date(key)
        if value is not None and value < written:
            yield _finding(
                record,
                "FMT006",
                record.line_of(key),
                f"{label} {value} 早于成文日期 {written}",
                f"核对 {key} 与 written。",
            )


def _check_links(
    record: Record, site: Site, found_links: list[markdown.Link], raw_html: list[markdown.RawHtml]
) -> Iterator[Finding]:
    """FMT007–FMT009 of the body's links and raw HTML (`markdown.scan`) and the listed attachments:
    whether each target exists is looked at every time."""
    attachments = record.meta.get("attachments")
    listed = [str(name) for name in attachments] if isinstance(attachments, list) else []
    first: dict[str, int] = {}
    for i, name in enumerate(listed):
        if name in first:  # two pages of one output path: the second would overwrite the first
            yield _finding(
                record,
                "FMT007",
                record.line_of("attachments", i),
                f"附件 '{name}' 重复列出（第 {record.line_of('attachments', first[name])} 行已列出）",
                "删除重复的一项：每个附件只列一次。",
            )
            continue
        first[name] = i
        try:
            links.attachment_path(record.path, name)
        except links.LinkError as exc:
            yield _finding(record, "FMT007", record.line_of("attachments", i), str(exc))
    for link in found_links:
        try:
            target = links.resolve(record.path, link.href, site.root / CONTENT)
        except links.LinkError as exc:
            rule = "FMT007" if safeurl.is_allowed(link.href) else "FMT009"
            yield _finding(record, rule, record.body_line + link.line, str(exc))
            continue
        if target.kind == "attachment" and target.attachment not in listed:
            yield _finding(
                record,
                "FMT007",
                record.body_line + link.line,
                f"正文链接的附件 {target.attachment} 未列入 attachments，不会发布",
                "把该文件名加入前置元数据的 attachments 列表。",
            )
    for html in raw_html:
        excerpt = html.text if len(html.text) <= 40 else html.text[:39] + "…"
        yield _finding(record, "FMT008", record.body_line + html.line, f"正文含原始 HTML：{excerpt}")


def _scanned(record: Record, cache: CheckCache | None) -> tuple[list[markdown.Link], list[markdown.RawHtml]]:
    """The links and raw HTML of the body: parsed once per version of the file."""
    known = cache.scanned(record.file) if cache is not None else None
    if known is not None:
        return [markdown.Link(href, line) for href, line in known[0]], [
            markdown.RawHtml(t, line) for t, line in known[1]
        ]
    found_links, raw_html = markdown.scan(record.body)
    if cache is not None:
        cache.keep_scanned(
            record.file, [(link.href, link.line) for link in found_links], [(html.text, html.line) for html in raw_html]
        )
    return found_links, raw_html


def _own(record: Record, site: Site, cache: CheckCache | None) -> list[list[Finding]]:
    """The checks that read nothing but the record itself and site.yaml: before and after FMT003."""
    known = cache.own(record.file, record.dept, "own") if cache is not None else None
    if known is not None and len(known) == 2:
        return known
    groups = [
        list(_check_types(record, site)),
        [*_check_doc_no(record), *_check_taxonomy(record, site), *_check_dates(record)],
    ]
    if cache is not None:
        cache.keep_own(record.file, record.dept, "own", groups)
    return groups


def own_work(record: Record, site: Site, cache: CheckCache) -> None:
    """Into `cache`: what validating the record reads from nothing but itself and site.yaml
    (generator.recordwork does this on all cores before the stage runs)."""
    _own(record, site, cache)
    _scanned(record, cache)


def validate_record(
    record: Record,
    site: Site,
    seen: dict[str, Record],
    codes: dict[str, tuple[str, str]],
    cache: CheckCache | None = None,
) -> list[Finding]:
    """FMT002–FMT009 of one record, in order (`codes`: department_codes). With `cache`, what reads
    only the record's own file and site.yaml comes from it; what looks at other records or files
    (索引号 duplicates and the department's code, link targets, attachments) is looked at again."""
    if not record.loaded:
        return []
    before, after = _own(record, site, cache)
    found = [*before, *_check_index_no(record, seen, codes), *after]
    found_links, raw_html = _scanned(record, cache)
    if found_links or raw_html or record.meta.get("attachments"):  # else FMT007–FMT009 have nothing to look at
        found.extend(_check_links(record, site, found_links, raw_html))
    return found


def _dept_finding(
    dept: Department, message: str, key: str | None = None, fix: str = "", rule: str = "FMT002", severity: str = ""
) -> Finding:
    line = dept.parsed.line_of(key) if key else 1
    return Finding(rule, dept.file, line, message, fix, severity=severity, dept=dept.slug)


# The order department.yaml's problems are reported in: by kind.
DEPT_PHASES = {"uscc": 0, "enum": 1, "date": 2, "list": 3, "bool": 4, "url": 5, "email": 6}


def _dept_problem(dept: Department, problem: Problem) -> Finding:
    key, value, code = problem.key.name, problem.value, problem.code
    if code == "uscc":
        return _dept_finding(
            dept,
            f"统一社会信用代码 {value} 格式或校验位错误（GB 32100）",
            key,
            "核对统一社会信用代码（18 位，末位为校验码）。",
            rule="FMT003",
        )
    if code == "url":  # printed into an href as written
        return _dept_finding(dept, f"{key} 的网址“{_shown(value)}”使用了不允许的协议", key, SCHEME_FIX, rule="FMT009")
    if code == "email":
        return _dept_finding(
            dept,
            f"email“{_shown(value)}”不能用作邮件链接",
            key,
            "填写电子邮箱地址，例如 xxgk@example.gov.cn。",
            rule="FMT009",
        )
    if code == "date":
        return _dept_finding(dept, f"{key} 不是有效日期：“{_as_written(value)}”", key, "日期写成 YYYY-MM-DD。")
    if code == "list":
        return _dept_finding(dept, f"{key} 应为列表（{problem.key.hint}）", key)
    if code == "bool":
        return _dept_finding(dept, f"{key} 应为 true 或 false", key)
    return _dept_finding(dept, f"{problem.key.label}“{value}”无效", key, f"填写 {_choices(problem)} 之一。")


def validate_department(dept: Department) -> Iterator[Finding]:
    if not dept.data:
        return
    data = dept.data
    for key in DepartmentFacts.missing(data):
        yield _dept_finding(
            dept,
            f"department.yaml 缺少必填项 {key}",
            key if key in data else None,
            f"在 department.yaml 中填写 {key}。",
        )
    for key in DepartmentFacts.unknown(data):
        yield _dept_finding(
            dept,
            f"department.yaml 中未知的键 '{key}'，已忽略",
            key,
            "删除该键，或改为《内容格式》中的键名。",
            severity=WARN,
        )
    for problem in sorted(DepartmentFacts.problems(data), key=lambda problem: DEPT_PHASES[problem.code]):
        yield _dept_problem(dept, problem)


def _as_written(value: object) -> str:
    """A value that is no valid date, as the clerk wrote it: a date and time (YAML reads
    `2019-12-05T09:00:00+08:00` as one) in ISO form, not as Python shows it; other text as `_shown`
    gives it (cut when long)."""
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else _shown(value)


def _shown(value: object) -> str:
    """A refused URL for a message: control characters made visible, long ones cut."""
    text = repr(str(value))[1:-1]
    return text if len(text) <= 60 else text[:59] + "…"


def validate_site_urls(config: SiteConfig) -> Iterator[Finding]:
    """site.yaml platforms[].url go into an href on the home page (base_url: config.py)."""
    for i, platform in enumerate(config.platforms):
        if platform.url and not safeurl.is_allowed(platform.url):
            line = config.parsed.line_of("platforms", i, "url") if config.parsed else 1
            yield Finding(
                "FMT009",
                "site.yaml",
                line,
                f"platforms 第 {i + 1} 项（{platform.name}）的网址“{_shown(platform.url)}”使用了不允许的协议",
                "平台地址只能是 http:// 或 https:// 开头的网址或本站的相对路径。",
            )


def validate(site: Site, cache: CheckCache | None = None) -> list[Finding]:
    findings: list[Finding] = list(validate_site_urls(site.config))
    for dept in site.departments.values():
        findings.extend(validate_department(dept))
    seen: dict[str, Record] = {}
    codes = department_codes(site)
    for record in site.records:
        findings.extend(validate_record(record, site, seen, codes, cache))
    findings.extend(annual_checks.check(site))
    return findings
