"""The date the checks measure against: --today, SOURCE_DATE_EPOCH, site.yaml `today`, or now."""

from __future__ import annotations

import datetime as dt
import os

from .config import SiteConfig
from .errors import DisclosureError

CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")  # no daylight saving since 1991


class TodayError(DisclosureError, ValueError):
    """An unusable --today or SOURCE_DATE_EPOCH (a usage error, exit 2)."""


def resolve_today(option: str | None, config: SiteConfig) -> dt.date:
    if option:
        try:
            return dt.date.fromisoformat(option)
        except ValueError:
            raise TodayError(f"--today 应为 YYYY-MM-DD，实际为 '{option}'") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), CHINA).date()
        except (ValueError, OverflowError, OSError):
            raise TodayError(f"环境变量 SOURCE_DATE_EPOCH 应为 Unix 时间戳（秒），实际为 '{epoch}'") from None
    if config.today:
        return config.today
    return dt.datetime.now(CHINA).date()
