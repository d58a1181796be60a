"""The report's charts as static SVG, drawn by matplotlib at build time.

Output is deterministic: a fixed `svg.hashsalt` for element ids and no date in the metadata.
Text stays SVG text (`svg.fonttype: none`): it is small, selectable, read by screen readers,
and drawn by the reader's own CJK fonts. A CJK font installed at build time is only used to
measure the labels; without one the glyph warnings are silenced and the browser still draws
the text. (Text as glyph paths would also fill the output with long runs of font-unit digits
that the output scan for personal data rightly cannot tell from bank-card numbers.)
Every chart comes with its figures as text (alt text and a table) for those who cannot see it.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Callable

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Sarasa Gothic SC",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "AR PL UMing CN",
    "Droid Sans Fallback",
)
COLOUR = "#a4000f"  # the site's accent colour
CHAR_INCHES = 0.15  # width of one CJK character at the tick size, for margins


@dataclass(frozen=True)
class Chart:
    """A chart as data; its SVG is drawn the first time it is asked for (an unchanged chart of
    an incremental build never is, and matplotlib is then not even loaded)."""

    name: str  # file name stem, e.g. "months"
    title: str
    data: tuple[tuple[str, int], ...]  # (label, value), in the order drawn
    kind: str  # "bars" or "rows"

    @property
    def alt(self) -> str:
        return f"{self.title}：" + "，".join(f"{label} {value}" for label, value in self.data) + "。"

    @cached_property
    def svg(self) -> str:
        return _DRAW[self.kind](list(self.data))


@lru_cache(maxsize=1)
def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt  # the backend must be chosen first

    return plt


@lru_cache(maxsize=1)
def _style() -> dict[Any, Any]:  # matplotlib's rc keys: a Literal of every setting
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    cjk = [name for name in CJK_FONTS if name in installed]
    return {
        "svg.hashsalt": "disclosure",
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.sans-serif": [*cjk, "DejaVu Sans"],
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


def _render(fig: Any) -> str:
    buffer = io.StringIO()
    with warnings.catch_warnings():  # without a CJK font the text is measured approximately
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    _pyplot().close(fig)
    return buffer.getvalue()


def bars(name: str, title: str, data: list[tuple[str, int]]) -> Chart:
    """Vertical bars: one per label, e.g. the twelve months."""
    return Chart(name, title, tuple(data), "bars")


def rows(name: str, title: str, data: list[tuple[str, int]]) -> Chart:
    """Horizontal bars, for long labels such as categories and results."""
    return Chart(name, title, tuple(data), "rows")


def _draw_bars(data: list[tuple[str, int]]) -> str:
    plt = _pyplot()
    import matplotlib

    with matplotlib.rc_context(_style()):
        fig, ax = plt.subplots(figsize=(7.0, 3.0))
        labels = [label for label, _ in data]
        values = [value for _, value in data]
        drawn = ax.bar(range(len(data)), values, color=COLOUR)
        ax.bar_label(drawn, fmt="%d")
        ax.set_xticks(range(len(data)), labels)
        ax.set_ylim(0, max([*values, 1]) * 1.2)
        ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        fig.subplots_adjust(left=0.08, right=0.98, top=0.95, bottom=0.15)
        return _render(fig)


def _draw_rows(data: list[tuple[str, int]]) -> str:
    plt = _pyplot()
    import matplotlib

    with matplotlib.rc_context(_style()):
        longest = max((len(label) for label, _ in data), default=1)
        width = 7.0
        fig, ax = plt.subplots(figsize=(width, 0.45 * max(len(data), 1) + 0.8))
        values = [value for _, value in data]
        drawn = ax.barh(range(len(data)), values, color=COLOUR)
        ax.bar_label(drawn, fmt="%d", padding=3)
        ax.set_yticks(range(len(data)), [label for label, _ in data])
        ax.invert_yaxis()
        ax.set_xlim(0, max([*values, 1]) * 1.15)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        fig.subplots_adjust(
            left=min(0.6, (longest * CHAR_INCHES + 0.3) / width),
            right=0.97,
            top=0.97,
            bottom=0.8 / (0.45 * max(len(data), 1) + 0.8) * 0.6,
        )
        return _render(fig)


_DRAW: dict[str, Callable[[list[tuple[str, int]]], str]] = {"bars": _draw_bars, "rows": _draw_rows}
