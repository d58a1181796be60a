"""What one register row means for the report, and what is wrong with it (REP001).

A row with any problem is reported and left out of every count: the report then says its
figures are incomplete instead of guessing where the row belongs.
"""

from __future__ import annotations

import datetime as dt

from ..model import Application
from .template import APPLICANTS, OUTCOMES, RESULTS, SUIT_KINDS


def litigation(row: Application) -> tuple[str, str] | None:
    """(table 四 block, column) of the row's 行政诉讼 value, or None when empty or unknown."""
    kind, sep, outcome = row.litigation.replace("：", ":").partition(":")
    if not sep or kind.strip() not in SUIT_KINDS or outcome.strip() not in OUTCOMES:
        return None
    return SUIT_KINDS[kind.strip()], OUTCOMES[outcome.strip()]


def problems(row: Application) -> list[str]:
    """Why the row cannot be counted, in Chinese; empty when it is fine."""
    found = []
    if row.applicant not in APPLICANTS:
        found.append(f"申请人类型“{row.applicant}”不是 {'、'.join(APPLICANTS)} 之一")
    if row.result and row.result not in RESULTS:
        found.append(f"办理结果“{row.result}”不是年报表格中的末级标签")
    if row.closed and not row.result:
        found.append("已填办结日期但办理结果为空")
    if row.result and not row.closed:
        found.append("已填办理结果但缺少办结日期")
    if row.closed and row.closed < row.received:
        found.append(f"办结日期 {row.closed} 早于收到日期 {row.received}")
    if row.received > dt.date(row.year, 12, 31):
        found.append(f"收到日期 {row.received} 晚于 {row.year} 年，不属于本年台账")
    if row.closed and row.closed < dt.date(row.year, 1, 1):
        found.append(f"办结日期 {row.closed} 早于 {row.year} 年，不应列入本年台账")
    if row.reconsideration and row.reconsideration not in OUTCOMES:
        found.append(f"行政复议“{row.reconsideration}”不是 {'、'.join(OUTCOMES)} 之一")
    if row.litigation and litigation(row) is None:
        found.append(
            f"行政诉讼“{row.litigation}”应写成 直接起诉:<结果> 或 复议后起诉:<结果>，结果为 {'、'.join(OUTCOMES)} 之一"
        )
    return found


def open_at(row: Application, day: dt.date) -> bool:
    """Received on or before `day` and not closed by its end."""
    return row.received <= day and (row.closed is None or row.closed > day)
