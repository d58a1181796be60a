"""Stage 2 — validate: format and integrity rules FMT001–FMT009, and the register and
annual-report sources (REP001–REP003, in generator/annual/checks.py).

FMT001 (does not parse) is found while loading; the rest are here. Each check reads
the record as written and reports the line of the key or body text at fault.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from . import ids, links, markdown, safeurl
from .annual import checks as annual_checks
from .config import LEVELS, SiteConfig
from .findings import Finding
from .load import CONTENT
from .model import OPINIONS, STATUSES, Department, Record, Site, as_date
from .rules import WARN

if TYPE_CHECKING:
    from .checkcache import CheckCache

DATE_KEYS = ("written", "changed", "published", "status_date", "valid_until", "next_review")
TEXT_KEYS = ("index_no", "title", "summary", "category", "doc_type", "topic", "doc_no",
             "publicity", "withhold_reason", "status", "superseded_by", "interprets")
LIST_KEYS = ("attachments", "keywords", "signoffs")
MAP_KEYS = ("review", "declassified")
KNOWN_KEYS = set(DATE_KEYS) | set(TEXT_KEYS) | set(LIST_KEYS) | set(MAP_KEYS) | {"publisher"}
REQUIRED = ("index_no", "title", "category", "publisher", "written")
NOT_PUBLISHED = ("依申请公开", "不予公开")
SUMMARY_MAX = 100

DEPT_REQUIRED = ("name", "uscc", "level", "office", "address", "office_hours", "phone", "supervision",
                 "owners", "reviewed")
DEPT_KNOWN = set(DEPT_REQUIRED) | {"postcode", "fax", "email", "website", "apply_url", "low_enforcement"}
DEPT_URL_KEYS = ("website", "apply_url")  # printed into an href as written
SCHEME_FIX = "只能填写以 http:// 或 https:// 开头的网址（邮箱、电话另有 email、phone 项）；请从浏览器地址栏复制完整地址。"

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
    around = rest[max(0, stray.start() - 1): stray.end() + 1]
    return f"文号“{doc_no}”中的年份“{around}”未使用六角括号〔〕"


def _finding(record: Record, rule: str, line: int, message: str, fix: str = "", severity: str = "") -> Finding:
    return Finding(rule, record.file, line, message, fix, severity=severity, dept=record.dept)


def _check_types(record: Record, site: Site) -> Iterator[Finding]:
    meta = record.meta
    for key in meta:
        if key not in KNOWN_KEYS:
            yield _finding(record, "FMT002", record.line_of(key), f"未知的键 '{key}'，已忽略",
                           "删除该键，或改为《内容格式》中的键名（注意拼写）。", severity=WARN)
    for key in REQUIRED:
        if meta.get(key) in (None, "", []):
            yield _finding(record, "FMT002", record.line_of(key) if key in meta else 1,
                           f"缺少必填项 {key}", f"在前置元数据中填写 {key}。")
    publicity = record.publicity
    if publicity and publicity not in NOT_PUBLISHED and meta.get("published") in (None, ""):
        yield _finding(record, "FMT002", 1, f"公开属性为{publicity}的记录缺少发布日期 published",
                       "填写 published（发布日期）。")
    for key in TEXT_KEYS:
        value = meta.get(key)
        if value is not None and not isinstance(value, (str, int)):
            yield _finding(record, "FMT002", record.line_of(key), f"{key} 应为文本", f"把 {key} 写成一行文本。")
    publisher = meta.get("publisher")
    if publisher is not None and not (isinstance(publisher, str) or (
            isinstance(publisher, list) and all(isinstance(p, str) for p in publisher))):
        yield _finding(record, "FMT002", record.line_of("publisher"), "publisher 应为文本或文本列表（联合发文）")
    for key in DATE_KEYS:
        value = meta.get(key)
        if value not in (None, "") and as_date(value) is None:
            yield _finding(record, "FMT002", record.line_of(key), f"{key} 不是有效日期：{value!r}",
                           "日期写成 YYYY-MM-DD，例如 2019-12-05。")
    for key in LIST_KEYS:
        value = meta.get(key)
        if value is not None and not isinstance(value, list):
            if key == "keywords" and isinstance(value, str):
                continue
            yield _finding(record, "FMT002", record.line_of(key), f"{key} 应为列表",
                           f"把 {key} 写成列表，每项一行，以“- ”开头。")
    for key in MAP_KEYS:
        value = meta.get(key)
        if value is not None and not isinstance(value, dict):
            yield _finding(record, "FMT002", record.line_of(key), f"{key} 应为映射（键: 值）")
    review = meta.get("review")
    if isinstance(review, dict):
        opinion = review.get("opinion")
        if opinion not in (None, "") and str(opinion).strip() not in OPINIONS:
            yield _finding(record, "FMT002", record.line_of("review", "opinion"),
                           f"review.opinion 取值“{opinion}”无效", f"填写 {' / '.join(OPINIONS)} 之一。")
        approved = review.get("approved_on")
        if approved not in (None, "") and as_date(approved) is None:
            yield _finding(record, "FMT002", record.line_of("review", "approved_on"),
                           f"review.approved_on 不是有效日期：{approved!r}", "日期写成 YYYY-MM-DD。")
    status = meta.get("status")
    if status not in (None, "") and str(status).strip() not in STATUSES:
        yield _finding(record, "FMT002", record.line_of("status"), f"有效性“{status}”无效",
                       f"填写 {' / '.join(STATUSES)} 之一。")
    doc_type = meta.get("doc_type")
    if doc_type not in (None, "") and str(doc_type).strip() not in site.config.doc_types:
        yield _finding(record, "FMT002", record.line_of("doc_type"), f"文种“{doc_type}”不在 site.yaml doc_types 中",
                       f"填写 {' / '.join(site.config.doc_types)} 之一，或在 site.yaml 的 doc_types 中增加。")
    summary = meta.get("summary")
    if isinstance(summary, str) and len(summary.strip()) > SUMMARY_MAX:
        yield _finding(record, "FMT002", record.line_of("summary"),
                       f"内容概述有 {len(summary.strip())} 个字，超过 {SUMMARY_MAX} 字",
                       f"把 summary 缩写到 {SUMMARY_MAX} 字以内。")


def _check_index_no(record: Record, site: Site, seen: dict[str, Record]) -> Iterator[Finding]:
    value = record.index_no
    if not value:
        return
    line = record.line_of("index_no")
    digit = ids.non_ascii_digit(value)
    if digit is not None:
        yield _finding(record, "FMT003", line,
                       f"索引号“{value}”含非半角数字“{digit}”（U+{ord(digit):04X}），索引号只能使用半角数字 0-9",
                       "用半角（英文）输入法重新输入索引号中的数字。")
        return
    match = ids.parse_index_no(value)
    if match is None:
        yield _finding(record, "FMT003", line, f"索引号“{value}”格式错误")
        return
    if not ids.uscc_valid(match["uscc"]):
        yield _finding(record, "FMT003", line, f"索引号中的统一社会信用代码 {match['uscc']} 校验位错误")
    dept = site.departments.get(record.dept)
    if dept and dept.uscc and match["uscc"] != dept.uscc.strip().upper():
        yield _finding(record, "FMT003", line,
                       f"索引号前缀 {match['uscc']} 不是本部门的统一社会信用代码 {dept.uscc}",
                       "索引号以本部门 department.yaml 中的 uscc 开头。")
    first = seen.setdefault(ids.index_key(match), record)  # the serial as a number: 00901 = 0000901
    if first is not record:
        same = "" if first.index_no.strip() == value.strip() else f"（{first.index_no}，序号相同）"
        yield _finding(record, "FMT003", line, f"索引号 {value} 与 {first.file}{same} 重复",
                       "每条记录的索引号在全站唯一，可用 disclosure new 分配新号。")


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
            yield _finding(record, "FMT005", record.line_of("category"),
                           f"信息分类“{category}”不是 site.yaml 分类树中的末级分类", f"写出完整路径。{hint}")
    topic = record.meta.get("topic")
    if isinstance(topic, str) and topic.strip() and topic.strip() not in site.config.topics:
        yield _finding(record, "FMT005", record.line_of("topic"), f"主题分类“{topic}”不在 site.yaml topics 中",
                       "填写 site.yaml topics 中的一项，或在 topics 中增加。")


def _check_dates(record: Record) -> Iterator[Finding]:
    written = record.date("written")
    if written is None:
        return
    for key, label in (("published", "发布日期"), ("changed", "变更日期"), ("status_date", "有效性变更日期"),
                       ("valid_until", "有效期至")):
        value = record.date(key)
        if value is not None and value < written:
            yield _finding(record, "FMT006", record.line_of(key),
                           f"{label} {value} 早于成文日期 {written}", f"核对 {key} 与 written。")


def _check_links(record: Record, site: Site, found_links: list[markdown.Link],
                 raw_html: list[markdown.RawHtml]) -> Iterator[Finding]:
    """FMT007–FMT009 of the body's links and raw HTML (`markdown.scan`) and the listed attachments:
    whether each target exists is looked at every time."""
    content_root = site.root / CONTENT
    attachments = record.meta.get("attachments")
    listed = [str(name) for name in attachments] if isinstance(attachments, list) else []
    for i, name in enumerate(listed):
        try:
            links.attachment_path(record.path, name)
        except links.LinkError as exc:
            yield _finding(record, "FMT007", record.line_of("attachments", i), str(exc))
    for link in found_links:
        try:
            target = links.resolve(record.path, link.href, content_root)
        except links.LinkError as exc:
            rule = "FMT007" if safeurl.is_allowed(link.href) else "FMT009"
            yield _finding(record, rule, record.body_line + link.line, str(exc))
            continue
        if target.kind == "attachment" and target.attachment not in listed:
            yield _finding(record, "FMT007", record.body_line + link.line,
                           f"正文链接的附件 {target.attachment} 未列入 attachments，不会发布",
                           "把该文件名加入前置元数据的 attachments 列表。")
    for html in raw_html:
        excerpt = html.text if len(html.text) <= 40 else html.text[:39] + "…"
        yield _finding(record, "FMT008", record.body_line + html.line, f"正文含原始 HTML：{excerpt}")


def _scanned(record: Record, cache: CheckCache | None) -> tuple[list[markdown.Link], list[markdown.RawHtml]]:
    """The links and raw HTML of the body: parsed once per version of the file."""
    known = cache.scanned(record.file) if cache is not None else None
    if known is not None:
        return [markdown.Link(href, line) for href, line in known[0]], [markdown.RawHtml(t, line) for t, line in known[1]]
    found_links, raw_html = markdown.scan(record.body)
    if cache is not None:
        cache.keep_scanned(record.file, [(link.href, link.line) for link in found_links],
                           [(html.text, html.line) for html in raw_html])
    return found_links, raw_html


def _own(record: Record, site: Site, cache: CheckCache | None) -> list[list[Finding]]:
    """The checks that read nothing but the record itself and site.yaml: before and after FMT003."""
    known = cache.own(record.file, record.dept) if cache is not None else None
    if known is not None and len(known) == 2:
        return known
    groups = [list(_check_types(record, site)),
              [*_check_doc_no(record), *_check_taxonomy(record, site), *_check_dates(record)]]
    if cache is not None:
        cache.keep_own(record.file, record.dept, groups)
    return groups


def validate_record(record: Record, site: Site, seen: dict[str, Record],
                    cache: CheckCache | None = None) -> list[Finding]:
    """FMT002–FMT009 of one record, in order. With `cache`, what reads only the record's own file
    and site.yaml comes from it; what looks at other records or files (索引号 duplicates and the
    department's code, link targets, attachments) is looked at again."""
    if not record.loaded:
        return []
    before, after = _own(record, site, cache)
    return [*before, *_check_index_no(record, site, seen), *after,
            *_check_links(record, site, *_scanned(record, cache))]


def _dept_finding(dept: Department, message: str, key: str | None = None, fix: str = "",
                  rule: str = "FMT002", severity: str = "") -> Finding:
    line = dept.parsed.line_of(key) if key else 1
    return Finding(rule, dept.file, line, message, fix, severity=severity, dept=dept.slug)


def validate_department(dept: Department) -> Iterator[Finding]:
    if not dept.data:
        return
    data = dept.data
    for key in DEPT_REQUIRED:
        if data.get(key) in (None, "", []):
            yield _dept_finding(dept, f"department.yaml 缺少必填项 {key}", key if key in data else None,
                                f"在 department.yaml 中填写 {key}。")
    for key in data:
        if key not in DEPT_KNOWN:
            yield _dept_finding(dept, f"department.yaml 中未知的键 '{key}'，已忽略", key,
                                "删除该键，或改为《内容格式》中的键名。", severity=WARN)
    uscc = data.get("uscc")
    if uscc not in (None, "") and not ids.uscc_valid(str(uscc)):
        yield _dept_finding(dept, f"统一社会信用代码 {uscc} 格式或校验位错误（GB 32100）", "uscc",
                            "核对统一社会信用代码（18 位，末位为校验码）。", rule="FMT003")
    level = data.get("level")
    if level not in (None, "") and level not in LEVELS:
        yield _dept_finding(dept, f"层级“{level}”无效", "level", f"填写 {' / '.join(LEVELS)} 之一。")
    reviewed = data.get("reviewed")
    if reviewed not in (None, "") and as_date(reviewed) is None:
        yield _dept_finding(dept, f"reviewed 不是有效日期：{reviewed!r}", "reviewed", "日期写成 YYYY-MM-DD。")
    owners = data.get("owners")
    if owners is not None and not isinstance(owners, list):
        yield _dept_finding(dept, "owners 应为列表（git 账号或邮箱）", "owners")
    if "low_enforcement" in data and not isinstance(data["low_enforcement"], bool):
        yield _dept_finding(dept, "low_enforcement 应为 true 或 false", "low_enforcement")
    for key in DEPT_URL_KEYS:
        value = data.get(key)
        if value not in (None, "") and not safeurl.is_allowed(value):
            yield _dept_finding(dept, f"{key} 的网址“{_shown(value)}”使用了不允许的协议", key, SCHEME_FIX,
                                rule="FMT009")
    email = data.get("email")
    if email not in (None, "") and (safeurl.scheme(email) != "" or not safeurl.is_allowed(f"mailto:{email}")):
        yield _dept_finding(dept, f"email“{_shown(email)}”不能用作邮件链接", "email",
                            "填写电子邮箱地址，例如 xxgk@example.gov.cn。", rule="FMT009")


def _shown(value: object) -> str:
    """A refused URL for a message: control characters made visible, long ones cut."""
    text = repr(str(value))[1:-1]
    return text if len(text) <= 60 else text[:59] + "…"


def validate_site_urls(config: SiteConfig) -> Iterator[Finding]:
    """site.yaml platforms[].url go into an href on the home page (base_url: config.py)."""
    for i, platform in enumerate(config.platforms):
        if platform.url and not safeurl.is_allowed(platform.url):
            line = config.parsed.line_of("platforms", i, "url") if config.parsed else 1
            yield Finding("FMT009", "site.yaml", line,
                          f"platforms 第 {i + 1} 项（{platform.name}）的网址“{_shown(platform.url)}”使用了不允许的协议",
                          "平台地址只能是 http:// 或 https:// 开头的网址或本站的相对路径。")


def validate(site: Site, cache: CheckCache | None = None) -> list[Finding]:
    findings: list[Finding] = list(validate_site_urls(site.config))
    for dept in site.departments.values():
        findings.extend(validate_department(dept))
    seen: dict[str, Record] = {}
    for record in site.records:
        findings.extend(validate_record(record, site, seen, cache))
    findings.extend(annual_checks.check(site))
    return findings
