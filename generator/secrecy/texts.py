"""The text of a record that would reach the public, each piece with its file line.

What is scanned is what generator/schema.py declares public: the free-text keys with a `scan`
label — of a record published in full (主动公开, 删减后公开, 脱密后公开) those marked LISTED and
FULL (title, 文号, summary, keywords) and its body; of a 依申请公开 record those marked LISTED
(title, 文号); of a 不予公开 record nothing. Attachments are read in attachments.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .. import schema
from ..model import Record
from .matches import Text, half_width


def _line(record: Record, *path: str | int) -> Callable[[int], int]:
    return lambda _: record.line_of(*path)


def _meta_text(record: Record, key: str, label: str) -> Iterator[Text]:
    value = record.get(key)
    if isinstance(value, list):
        for i, item in enumerate(value):
            if item not in (None, ""):
                yield Text(label, half_width(str(item)), _line(record, key, i))
    elif value not in (None, ""):
        yield Text(label, half_width(str(value)), _line(record, key))


SHOWN = {publicity.value: exposure for publicity, exposure in schema.SHOWN.items()}
# The keys scanned, with the name a finding gives them: what is listed, then what only full publication adds.
SCANNED = {
    level: [(key.name, key.scan) for exposure in exposures for key in schema.RecordFront.exposed(exposure) if key.scan]
    for level, exposures in (
        (schema.Exposure.LISTED, (schema.Exposure.LISTED,)),
        (schema.Exposure.FULL, (schema.Exposure.LISTED, schema.Exposure.FULL)),
    )
}


def shown(record: Record) -> schema.Exposure:
    """How much of the record its 公开属性 publishes, once its checks pass (INTERNAL: nothing; so
    for no 公开属性 or none of the five, SEC001)."""
    return SHOWN.get(record.publicity, schema.Exposure.INTERNAL) if record.loaded else schema.Exposure.INTERNAL


def published_texts(record: Record) -> Iterator[Text]:
    """The public free texts of the front matter (title and 文号; for records published in full
    also summary and keywords), then — for records published in full — the body."""
    level = shown(record)
    if level is schema.Exposure.INTERNAL:
        return
    for key, label in SCANNED[level]:
        yield from _meta_text(record, key, label)
    if level is schema.Exposure.FULL:
        yield Text("正文", half_width(record.body), record.body_line_at, markdown=True)


def publishes_content(record: Record) -> bool:
    """Whether the record's body and attachments would be published once its checks pass."""
    return shown(record) is schema.Exposure.FULL
