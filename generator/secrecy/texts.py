"""The text of a record that would reach the public, each piece with its file line.

What is scanned follows publicity.py: a record published in full (主动公开, 删减后公开,
脱密后公开) exposes its title, 文号, summary, keywords, body and attachments; a 依申请公开
record only its title and 文号; a 不予公开 record nothing. Attachments are read in
attachments.py.
"""

from __future__ import annotations

from typing import Iterator

from .. import publicity
from ..model import Record
from .matches import Text, half_width


def _meta_text(record: Record, key: str, label: str) -> Iterator[Text]:
    value = record.get(key)
    if isinstance(value, list):
        for i, item in enumerate(value):
            if item not in (None, ""):
                yield Text(label, half_width(str(item)), lambda _, i=i: record.line_of(key, i))
    elif value not in (None, ""):
        yield Text(label, half_width(str(value)), lambda _: record.line_of(key))


def published_texts(record: Record) -> Iterator[Text]:
    """Title, 文号 and — for records published in full — summary, keywords and body."""
    if not record.loaded:
        return
    shown = record.publicity in publicity.FULL or record.publicity in publicity.METADATA_ONLY
    if not shown:
        return
    yield from _meta_text(record, "title", "标题")
    yield from _meta_text(record, "doc_no", "文号")
    if record.publicity not in publicity.FULL:
        return
    yield from _meta_text(record, "summary", "内容概述")
    yield from _meta_text(record, "keywords", "关键词")
    yield Text("正文", half_width(record.body), record.body_line_at, markdown=True)


def publishes_content(record: Record) -> bool:
    """Whether the record's body and attachments would be published once its checks pass."""
    return record.loaded and record.publicity in publicity.FULL
