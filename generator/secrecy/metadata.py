"""Front-matter rules of the secrecy check: publicity and its reason (SEC001, SEC002), the
three-person review (SEC003–SEC005) and its opinion against the publicity (SEC018),
declassification (SEC010), redaction markers (SEC011) and 谁制作谁公开 (SEC013)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterator

from .. import markdown
from ..findings import Finding
from ..model import PUBLICITY, Record, Site, as_date
from ..rules import WARN
from ..schema import given, publishers
from ..staleness.publication import held_out

REVIEWERS = (("drafter", "承办人"), ("checker", "审核人"), ("approver", "批准人"))
DECLASSIFIED = (("approver", "批准人"), ("date", "日期"), ("basis", "依据"))


def _finding(record: Record, rule: str, line: int, message: str, fix: str = "") -> Finding:
    return Finding(rule, record.file, line, message, fix, dept=record.dept)


def _filled(value: object) -> bool:
    return value not in (None, "") and bool(str(value).strip())


# The articles of the 《条例》 that found withholding or limiting publication: 第十四条 (state
# secrets, the three securities and one stability), 第十五条 (trade secrets, privacy), 第十六条
# (internal affairs, process and enforcement files), 第二十七条 (information given on application),
# 第三十六条 (the answers to an application), 第三十七条 (separable parts withheld).
WITHHOLD_ARTICLES = ("十四", "十五", "十六", "二十七", "三十六", "三十七")
ARTICLE = re.compile(r"第(" + "|".join(sorted(WITHHOLD_ARTICLES, key=len, reverse=True)) + r"|14|15|16|27|36|37)条")
# The opinions of the secrecy review that agree with each 公开属性 (免予公开 is 不予公开).
AGREEING = {
    "主动公开": ("主动公开", "删减后公开", "脱密后公开"),
    "依申请公开": ("依申请公开",),
    "免予公开": ("不予公开",),
}


def cites_a_basis(reason: str, bases: list[str]) -> bool:
    """Whether a withhold reason cites an article of the 《条例》 that founds withholding, or one of
    the site's own bases (site.yaml withhold_bases)."""
    return bool(ARTICLE.search(reason)) or any(base.strip() and base.strip() in reason for base in bases)


def _shorten(text: str, most: int = 30) -> str:
    return text if len(text) <= most else text[:most] + "…"


def _declassified_complete(record: Record) -> bool:
    info = record.get("declassified")
    return isinstance(info, dict) and all(given(info.get(key)) for key, _ in DECLASSIFIED)


def _opinion(record: Record) -> Iterator[Finding]:
    """SEC018: the review's opinion and the 公开属性 say the same (免予公开 counts as 不予公开)."""
    review = record.get("review")
    if not isinstance(review, dict):
        return
    opinion, value = str(review.get("opinion") or "").strip(), record.publicity
    if opinion not in AGREEING or value not in PUBLICITY or value in AGREEING[opinion]:
        return
    yield _finding(
        record,
        "SEC018",
        record.line_of("review", "opinion"),
        f"保密审查拟定意见为“{opinion}”，但公开属性为“{value}”：未按审查结论公开",
        f"审查结论为{opinion}的，publicity 应为{'或'.join(AGREEING[opinion])}；审查意见有误的，重新审查后改正 "
        "review.opinion。",
    )


def _publicity(record: Record, bases: list[str]) -> Iterator[Finding]:
    value = record.publicity
    if not value:
        line = record.line_of("publicity") if "publicity" in record.meta else 1  # left empty (disclosure new)
        yield _finding(record, "SEC001", line, "未标注公开属性 publicity")
    elif value not in PUBLICITY:
        yield _finding(record, "SEC001", record.line_of("publicity"), f"公开属性“{value}”不是规定的取值")
    elif value == "主动公开" and _filled(record.get("withhold_reason")):
        # a merge that took 主动公开 from one side and the reason from the other, or a publicity
        # changed without its reason: said, not blocked (SEC018 blocks when the review disagrees)
        found = _finding(
            record,
            "SEC002",
            record.line_of("withhold_reason"),
            "公开属性为主动公开，却填写了不予公开理由 withhold_reason：公开属性可能写错了",
            "核对保密审查结论：应当主动公开的，删去 withhold_reason；不应全文公开的，改正 publicity。",
        )
        found.severity = WARN
        yield found
    elif value != "主动公开" and not _filled(record.get("withhold_reason")):
        yield _finding(
            record, "SEC002", record.line_of("publicity"), f"公开属性为{value}，但没有填写不予公开理由 withhold_reason"
        )
    elif value != "主动公开" and not (value == "脱密后公开" and _declassified_complete(record)):
        reason = str(record.get("withhold_reason")).strip()
        if not cites_a_basis(reason, bases):
            yield _finding(
                record,
                "SEC002",
                record.line_of("withhold_reason"),
                f"不予公开理由“{_shorten(reason)}”没有引用《条例》的条款（第十四、十五、十六、二十七、三十六、"
                f"三十七条）或本站的不予公开依据",
                "写明法律依据，例如“《中华人民共和国政府信息公开条例》第十五条（个人隐私）”；本站认可的其他依据"
                "列入 site.yaml withhold_bases 后照写。",
            )


def _review(record: Record) -> Iterator[Finding]:
    if record.publicity == "不予公开":
        return
    review = record.get("review")
    if not isinstance(review, dict):
        yield _finding(
            record,
            "SEC003",
            record.line_of("review") if "review" in record.meta else 1,
            "没有保密审查记录 review（承办人、审核人、批准人、批准日期）",
        )
        return
    missing = [label for key, label in REVIEWERS if not _filled(review.get(key))]
    if not _filled(review.get("approved_on")):
        missing.append("批准日期")
    if missing:
        yield _finding(record, "SEC003", record.line_of("review"), f"保密审查缺少{'、'.join(missing)}")
    people = [str(review[key]).strip() for key, _ in REVIEWERS if _filled(review.get(key))]
    if len(set(people)) < len(people):
        yield _finding(
            record,
            "SEC003",
            record.line_of("review"),
            f"承办人、审核人、批准人须为三个不同的人，实际为 {'、'.join(people)}",
        )
    if str(review.get("opinion") or "").strip() == "需报审":
        yield _finding(
            record,
            "SEC004",
            record.line_of("review", "opinion"),
            "保密审查意见为“需报审”，保密行政管理部门尚未作出决定",
        )
    approved, published = as_date(review.get("approved_on")), record.date("published")
    if approved and published and published < approved:
        yield _finding(
            record, "SEC005", record.line_of("published"), f"发布日期 {published} 早于保密审查批准日期 {approved}"
        )


def _declassified(record: Record) -> Iterator[Finding]:
    if record.publicity != "脱密后公开":
        return
    info = record.get("declassified")
    info = info if isinstance(info, dict) else {}
    missing = [label for key, label in DECLASSIFIED if not given(info.get(key))]
    if missing:
        line = record.line_of("declassified") if "declassified" in record.meta else record.line_of("publicity")
        placeholders = [
            str(info[key]).strip() for key, _ in DECLASSIFIED if _filled(info.get(key)) and not given(info[key])
        ]
        said = f"（“{'”“'.join(placeholders)}”不算填写：尚未解密的不得公开）" if placeholders else ""
        yield _finding(record, "SEC010", line, f"脱密后公开的记录缺少解密{'、'.join(missing)}{said}")
    elif as_date(info.get("date")) is None:
        yield _finding(
            record,
            "SEC010",
            record.line_of("declassified", "date"),
            f"解密日期 declassified.date 不是有效日期：“{info.get('date')}”",
            "填写解密批准的日期，写成 YYYY-MM-DD，例如 2026-11-03。",
        )


def _redacted(record: Record) -> Iterator[Finding]:
    """SEC011: a 删减后公开 body shows at least one ［已删减］ placeholder on its page — counted as the
    renderer makes them (markdown.shows_redaction), so the check and the page cannot disagree."""
    if record.publicity != "删减后公开" or markdown.shows_redaction(record.body):
        return
    unseen = markdown.REDACTION.search(record.body)
    if unseen is None:
        yield _finding(record, "SEC011", record.line_of("publicity"), "删减后公开的记录正文中没有［已删减］标记")
        return
    yield _finding(
        record,
        "SEC011",
        record.body_line_at(unseen.start()),
        "［已删减］标记写在代码、注释或链接定义中，页面上不显示为删减占位：删减后公开的记录正文中没有可见的删减标记",
        "在删去内容处的正文文字中写 ［已删减］ 或 ［已删减：理由］（不放在代码、链接定义或 [//]: # 注释里），"
        "页面上才显示为删减占位。",
    )


def declassified_dates(record: Record, today: dt.date) -> list[Finding]:
    """SEC010's dates, after `own_findings`: a 脱密后公开 record with a complete `declassified` is not
    published before it is declassified — not while its declassification date lies after the check
    date `today` (unless it is held out until a publication date on or after that day, STL016), and
    not with a publication date before it. They read the check date: found again on every check,
    never kept in the check cache (secrecy.check)."""
    if not record.loaded or record.publicity != "脱密后公开" or not _declassified_complete(record):
        return []
    declassified = as_date(record.get("declassified")["date"])
    if declassified is None:  # no date: own_findings' SEC010
        return []
    published = record.date("published")
    if declassified > today and not held_out(record, today):
        return [
            _finding(
                record,
                "SEC010",
                record.line_of("declassified", "date"),
                f"解密日期 {declassified} 晚于检查日期 {today}：尚未解密，不得公开",
                "改为实际解密日期；尚未解密的，解密后再发布（发布日期 published 不早于解密日期）。",
            )
        ]
    if published is not None and published < declassified:
        return [
            _finding(
                record,
                "SEC010",
                record.line_of("published"),
                f"发布日期 {published} 早于解密日期 {declassified}：解密之前不得公开",
                "核对并改正解密日期 declassified.date 或发布日期 published：解密之后才能发布，发布日期不早于解密日期。",
            )
        ]
    return []


def own_findings(record: Record, bases: list[str]) -> list[Finding]:
    """What reads nothing but the record and site.yaml (`bases`: its withhold_bases), in order: kept
    in the check cache with the record (secrecy.own_work)."""
    if not record.loaded:
        return []
    checks = (_publicity(record, bases), _review(record), _opinion(record), _declassified(record), _redacted(record))
    return [finding for check in checks for finding in check]


def department_names(site: Site) -> dict[str, tuple[str, str]]:
    """Each named department's name as SEC013 compares a publisher with it (trimmed) and as its
    finding shows it, made once a check."""
    return {slug: (dept.name.strip(), dept.name) for slug, dept in site.departments.items() if dept.data.get("name")}


def publisher_findings(record: Record, names: dict[str, tuple[str, str]]) -> list[Finding]:
    """SEC013, after `own_findings`: the publisher is not the department the record is filed under
    (`names`: department_names). A missing publisher is FMT002's finding."""
    name = names.get(record.dept)
    value = record.meta.get("publisher")
    if not record.loaded or name is None or not _filled(value):
        return []
    listed = publishers(value)
    if name[0] in listed:
        return []
    message = f"发布机构“{'、'.join(listed)}”不是本目录的部门“{name[1]}”"
    return [_finding(record, "SEC013", record.line_of("publisher"), message)]
