"""The three tables laid out as the template prints them: one source for the web page and Word.

Values are display strings: a count, an amount in 万元 with its decimals, or 缺失 when the
figure could not be computed (never a made-up zero).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .tables import Number, Table2, Table3, Table4
from .template import (
    APPLICANTS,
    BLOCK_CAPTIONS,
    CARRIED_IN_ROW,
    CARRIED_OUT_ROW,
    COERCIONS,
    DECISIONS,
    DIRECT_SUIT,
    FEES,
    FEES_AMOUNT,
    IN_FORCE,
    INFO_CONTENT,
    ISSUED,
    OUTCOME_COLUMNS,
    PENALTIES,
    PERMITS,
    RECEIVED_ROW,
    RECONSIDERATION,
    REGULATION_TYPES,
    REPEALED,
    RESULT_GROUPS,
    RESULTS_ROW,
    RESULTS_TOTAL_ROW,
    SUIT_AFTER_REVIEW,
    TOTAL,
)

MISSING = "缺失"
COLUMNS3 = (*APPLICANTS, TOTAL)
BLOCKS4 = (RECONSIDERATION, DIRECT_SUIT, SUIT_AFTER_REVIEW)


def show(value: Number | None) -> str:
    if value is None:
        return MISSING
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


@dataclass(frozen=True)
class Row:
    label: str
    depth: int  # 0 a top row (一、…), 1 a result (（一）…), 2 a numbered item (1.…)
    values: tuple[str, ...] | None  # None: a heading row without figures of its own


@dataclass(frozen=True)
class Block:
    caption: str  # 第二十条第（一）项 …
    columns: tuple[str, ...]  # including 信息内容
    rows: tuple[tuple[str, tuple[str, ...]], ...]


def table2_blocks(table: Table2) -> list[Block]:
    regs = tuple(
        (kind, tuple(show(table.regulations[kind][c]) for c in (ISSUED, REPEALED, IN_FORCE)))
        for kind in REGULATION_TYPES
    )
    figure = table.figures
    return [
        Block(BLOCK_CAPTIONS[0], (INFO_CONTENT, ISSUED, REPEALED, IN_FORCE), regs),
        Block(BLOCK_CAPTIONS[1], (INFO_CONTENT, DECISIONS), ((PERMITS.label, (show(figure[PERMITS.key]),)),)),
        Block(
            BLOCK_CAPTIONS[2],
            (INFO_CONTENT, DECISIONS),
            ((PENALTIES.label, (show(figure[PENALTIES.key]),)), (COERCIONS.label, (show(figure[COERCIONS.key]),))),
        ),
        Block(BLOCK_CAPTIONS[3], (INFO_CONTENT, FEES_AMOUNT), ((FEES.label, (show(figure[FEES.key]),)),)),
    ]


def table3_rows(table: Table3 | None) -> list[Row]:
    def values(key: str) -> tuple[str, ...]:
        return tuple(show(table.rows[key][c]) if table else MISSING for c in COLUMNS3)

    found = [
        Row(RECEIVED_ROW, 0, values(RECEIVED_ROW)),
        Row(CARRIED_IN_ROW, 0, values(CARRIED_IN_ROW)),
        Row(RESULTS_ROW, 0, None),
    ]
    for group in RESULT_GROUPS:
        leaves = group.leaves()
        if not group.items:
            found.append(Row(group.label, 1, values(leaves[0][0])))
            continue
        found.append(Row(group.label, 1, None))
        found.extend(Row(label, 2, values(key)) for key, label in leaves)
    found += [Row(RESULTS_TOTAL_ROW, 1, values(RESULTS_TOTAL_ROW)), Row(CARRIED_OUT_ROW, 0, values(CARRIED_OUT_ROW))]
    return found


def table4_values(table: Table4 | None) -> tuple[str, ...]:
    """The fifteen figures of table 四, left to right."""
    return tuple(show(table.blocks[block][c]) if table else MISSING for block in BLOCKS4 for c in OUTCOME_COLUMNS)


def results_by_group(table: Table3) -> list[tuple[str, int]]:
    """(short result name, count) per result row of table 三, for the chart."""
    return [(group.short, sum(table.rows[key][TOTAL] for key, _ in group.leaves())) for group in RESULT_GROUPS]
