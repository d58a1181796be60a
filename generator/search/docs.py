"""What the indexer sees of a record: its public metadata, from the Publication, and its text.

For each page of a shard the indexer is given a page of its own making (`page`), not the rendered
one: the metadata Pagefind shows and filters by, from the record's public keys, and as the indexed
text the search words (terms.py) of the title, 文号, 索引号 and the record page's document text —
the `data-pagefind-body` element without the metadata table (class `metadata`) and the title
heading. Pagefind never sees the Chinese text itself: its
own segmentation is not what the search page queries, and indexing it cost memory and time for
nothing. The fragments the browser loads then carry that document text (`shown`, bundle.py), so
results are checked and excerpts cut from the document, never the table.

Only a record the search index holds (publicity.searched: published in full) is made a Doc: a
依申请公开 record is listed as metadata and never indexed (`doc` refuses it).
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache
from html.parser import HTMLParser
from importlib import metadata
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import terms

if TYPE_CHECKING:  # a type alone: a process that only indexes shards (index.EARLY) never loads the selection
    from ..publicity import PublicRecord

# Changing how a shard is indexed (flags, the page markup read) must change every key.
INDEX_FORMAT = "6"  # 4: page ids with the shard suffix (canonical.own_ids); 5: terms.EVERY; 6: LANGUAGE und
# The filters of every indexed page, in the order the search page's form shows them.
FILTERS = ("发布机构", "信息分类", "主题", "年份", "有效性", "公开属性")
SHOWN = ("索引号", "文号", "发布机构", "发布日期")  # meta fields besides the title


@dataclass(frozen=True)
class Doc:
    """One indexed page: where it is, and the record's public metadata."""

    path: str  # output path of the page a result links to
    # Always True (`doc` makes a Doc only of a record published in full, its page a document text):
    # kept in the fingerprint, so the keys of shards that never held a 依申请公开 page are as before.
    full: bool
    title: str
    index_no: str
    doc_no: str
    publishers: tuple[str, ...]
    date: str  # 发布日期 YYYY-MM-DD, else 成文日期, else empty
    category: str
    topic: str
    status: str
    publicity: str

    def filters(self) -> dict[str, tuple[str, ...]]:
        year = self.date[:4]
        values = {
            "发布机构": self.publishers,
            "信息分类": (self.category,),
            "主题": (self.topic,),
            "年份": (year,),
            "有效性": (self.status,),
            "公开属性": (self.publicity,),
        }
        return {name: tuple(v for v in values[name] if v) for name in FILTERS}

    def fingerprint(self) -> bytes:
        """Its fields as JSON, keys sorted (each shard's key hashes every page's: without asdict's
        deep copy; the fields in sorted order, so the encoder has none to sort)."""
        return _FINGERPRINT.encode(dict(zip(_SORTED_FIELDS, _sorted_values(self)))).encode("utf-8")


DOC_FIELDS = tuple(f.name for f in fields(Doc))


def doc_out(item: Doc) -> list[object]:
    """`item` as JSON: its fields in order (sent to the process that indexes a shard: index.Early)."""
    return [getattr(item, name) for name in DOC_FIELDS]


def doc_in(values: list[Any]) -> Doc:
    """The Doc that `doc_out` wrote."""
    found = dict(zip(DOC_FIELDS, values, strict=True))
    found["publishers"] = tuple(found["publishers"])
    return Doc(**found)


_SORTED_FIELDS = tuple(sorted(DOC_FIELDS))
_sorted_values = attrgetter(*_SORTED_FIELDS)
_FINGERPRINT = json.JSONEncoder(ensure_ascii=False)  # json.dumps(…, ensure_ascii=False, sort_keys=True)'s text


def filter_counts(items: tuple[Doc, ...]) -> dict[str, dict[str, int]]:
    """For each filter, each of its values on `items` with its count of pages (shards.json, built
    from each shard's counts: the shard cache keeps them, so an unchanged shard's Docs are not made)."""
    counts: dict[str, dict[str, int]] = {name: {} for name in FILTERS}
    for item in items:
        for name, values in item.filters().items():
            counted = counts[name]
            for value in values:
                counted[value] = counted.get(value, 0) + 1
    return counts


def doc(record: PublicRecord, path: str) -> Doc:
    """What the indexer is given of `record`'s page `path`. A record published as metadata only is
    never indexed (content spec: 依申请公开, search index "no"): refused, whoever hands it over."""
    if not record.full:
        raise ValueError(f"{record.index_no}: a record published as metadata only is not indexed")
    when = record.published or record.written
    return Doc(
        path=path,
        full=record.full,
        title=record.title,
        index_no=record.index_no,
        doc_no=record.doc_no,
        publishers=tuple(record.publisher),
        date=when.strftime("%Y-%m-%d") if when else "",
        category=record.category,
        topic=record.topic,
        status=record.status,
        publicity=record.publicity,
    )


SKIPPED = {"script", "style", "template", "h1"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BLOCK = {"p", "div", "li", "tr", "td", "th", "h2", "h3", "h4", "h5", "h6", "br", "section", "table", "blockquote"}


class _Text(HTMLParser):
    """The text of the `data-pagefind-body` element, without the metadata table and the title."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # open elements: (tag, skipped with its subtree)
        self.depth = 0  # open elements from the body element down; 0: outside it
        self.parts: list[str] = []

    def _skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if self.depth == 0 and "data-pagefind-body" not in found:
            return
        if tag in BLOCK:
            self.parts.append("\n")
        if tag in VOID:
            return
        classes = (found.get("class") or "").split()
        self.stack.append((tag, tag in SKIPPED or "metadata" in classes or "data-pagefind-ignore" in found))
        self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth == 0 or tag in VOID:
            return
        # close up to the matching element (tolerating an unclosed <p> or <li>)
        for at in range(len(self.stack) - 1, -1, -1):
            if self.stack[at][0] == tag:
                del self.stack[at:]
                self.depth = len(self.stack)
                break
        if tag in BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.depth and not self._skipping():
            self.parts.append(data)


def text(page_html: str) -> str:
    """The document text of a rendered record page: paragraphs on lines of their own."""
    parser = _Text()
    parser.feed(page_html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def shown(body: str) -> str:
    """The text a result is checked against and its excerpt cut from: the document text `body` of
    its page, its paragraphs joined by spaces."""
    return joined(body)


def joined(body: str) -> str:
    """The document text `body` (`text`) as a result shows it: its paragraphs joined by spaces."""
    return " ".join(body.splitlines())


def text_digest(shown_text: str) -> str:
    """The SHA-256 of a page's document text as shown (`shown`): what a shard's key hashes of each
    page published in full (docs.key), so that a page rewritten with the same text — a changed
    template, a count in its navigation — leaves its shard's key as it was."""
    return hashlib.sha256(shown_text.encode("utf-8")).hexdigest()


@cache
def indexer_version() -> str:
    """Read from the installed package's metadata once: 0.4 ms a shard, 650 shards at 200,000 records."""
    return f"pagefind-bin-extended {metadata.version('pagefind_bin_extended')}; format {INDEX_FORMAT}"


def key(items: tuple[Doc, ...], texts: Mapping[str, str]) -> str:
    """A shard's key: a hash of what the indexer is given of its pages `items` — each one's path,
    public metadata and the digest of its document text (`texts`, by path:
    `text_digest`) — and the indexer version. Not the pages' bytes: a changed template rewrites
    every page, and its shard is indexed again only if the text of a page changed with it."""
    digest = hashlib.sha256(indexer_version().encode())
    for item in items:
        digest.update(b"\0" + item.path.encode() + b"\0")
        digest.update(bytes.fromhex(texts[item.path]))
        digest.update(b"\0" + item.fingerprint())
    return digest.hexdigest()


def read_text_digests(root: Path, paths: list[str]) -> list[str]:
    """The text digest of each record page `paths` (output paths under `root`), read and parsed."""
    return [text_digest(joined(text((root / path).read_text(encoding="utf-8")))) for path in paths]


def page(item: Doc, text: str, keys: set[str] | None = None) -> str:
    """The page the indexer is given for `item`, whose text shown is `text` (`shown`): its metadata,
    and as its indexed text only its search words (terms.py). The bundle's fragments then get that
    text in their place (bundle.py): the browser reads the text, the index the words. `keys`: a set
    that the term directory keys of `text` are added to (terms.words)."""
    shown_meta = {
        "索引号": item.index_no,
        "文号": item.doc_no,
        "发布机构": "、".join(item.publishers),
        "发布日期": item.date,
    }
    spans = [f'<span data-pagefind-meta="title">{html.escape(item.title)}</span>']
    spans += [
        f'<span data-pagefind-meta="{name}">{html.escape(shown_meta[name])}</span>'
        for name in SHOWN
        if shown_meta[name]
    ]
    for name, values in item.filters().items():
        spans += [f'<span data-pagefind-filter="{name}">{html.escape(value)}</span>' for value in values]
    spans += [
        f'<span data-pagefind-filter="{name}">{html.escape(shown_meta[name])}</span>'
        for name in ("索引号", "文号")
        if shown_meta[name]
    ]
    words = f"{terms.index_terms((item.title, item.doc_no, item.index_no), text, keys)} {terms.EVERY}"
    return (
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title></title></head><body>'
        f"<article data-pagefind-body><div data-pagefind-ignore>{''.join(spans)}</div>"
        f"<p>{words}</p></article></body></html>"
    )
