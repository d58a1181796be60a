"""The one place that decides what reaches the public (the publicity table of the content spec).

| 公开属性   | record page                    | listings, feeds, exports | search |
| 主动公开   | full                           | yes                      | yes    |
| 删减后公开 | full, redactions as placeholders | yes                    | yes    |
| 脱密后公开 | full, only with complete `declassified` | yes             | yes    |
| 依申请公开 | none                           | metadata only (switch: list_on_request) | no |
| 不予公开   | nothing at all                 | no                       | no     |

Rendering, feeds, exports and the search index receive only the objects made here:
a PublicRecord carries no field that must not be published, so no later stage can leak one.
A 依申请公开 record's PublicRecord is its metadata alone — the keys the schema marks LISTED: title, 索引号,
publisher, dates (written, changed, published), the category that places it in the catalogue and
its 公开属性 — every other field left empty (its 文号, 文种, topic, 有效性, successor too), so no
page, listing, feed or export can show more. The search index takes the records of SEARCHED alone
(Publication.searched): a 依申请公开 record is in no shard, whatever a template writes.
Anything not positively allowed (unknown publicity, a record that did not load) is left out, and
so is a record scheduled for a later date (STL016) until that date.
Annual reports enter as computed counts and the narrative of reports/<year>.md
(generator/annual/tables.py): the register's rows never do.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from functools import cache, cached_property
from operator import attrgetter
from pathlib import Path
from typing import Any

from . import jsontext, links, markdown, pagecache, schema, siteindex
from .annual import tables as annual_tables
from .annual.tables import AnnualReport
from .config import SiteConfig
from .load import VouchedBody
from .model import Department, Record, Site
from .selectcache import Row, SelectCache
from .siteindex import SiteIndex

# What is public is declared in generator/schema.py: which 公开属性 publish a record in full or
# as metadata only (SHOWN), and which keys each level publishes (every key's exposure).
FULL = tuple(p.value for p, shown in schema.SHOWN.items() if shown is schema.Exposure.FULL)
METADATA_ONLY = tuple(p.value for p, shown in schema.SHOWN.items() if shown is schema.Exposure.LISTED)
# What the search index holds (the content spec's "search index" column): the records published in
# full; a 依申请公开 record's metadata is listed, never indexed.
SEARCHED = FULL
DEPT_PUBLIC_KEYS = tuple(key.name for key in schema.DepartmentFacts.keys.values() if key.public)
# The only department facts that may hold a (mobile) phone number: the contacts meant for the public.
DEPT_CONTACT_KEYS = tuple(key.name for key in schema.DepartmentFacts.keys.values() if key.contact)
# PublicRecord's fields that are no front-matter key: what the record is, and what is derived here.
DERIVED = ("dept", "full", "body", "source", "interpreted_by", "made_from", "listed_as")


@dataclass(frozen=True, slots=True, weakref_slot=True)
class PublicBody:
    """A published record's Markdown body, read only when its page is rendered: from the record's
    file, and only if the file still has the bytes the check passed (load.VouchedBody; else
    load.RecordChanged). So a build never holds every body at once (200,000 of them are over half a
    gigabyte), and a record page's key (which hashes this) changes with the file's bytes.
    `text`: a body known without a file to read it from."""

    length: int = 0
    links: tuple[str, ...] = ()
    source: VouchedBody | None = None
    text: str = ""

    def read(self) -> str:
        return self.text if self.source is None else self.source.read()

    def __reduce__(self) -> tuple[type[PublicBody], tuple[int, tuple[str, ...], VouchedBody | None, str]]:
        # pickled as its fields: a slotted dataclass's own state methods are Python, 3 µs an object each way
        return PublicBody, (self.length, self.links, self.source, self.text)


NO_BODY = PublicBody()  # a record published as metadata only


def _public_body(record: Record, length: int, links: tuple[str, ...]) -> PublicBody:
    """The body a page shows, with its length and link targets (from its facts, or a kept row): read
    from the record's file when the page is rendered, if the bytes still have the record's hash."""
    if not record.digest:  # not read from a file (a record made in memory): kept as it is
        return PublicBody(length, links, text=record.body)
    source = VouchedBody(record.where, record.file, record.dept, record.digest, record.body_line)
    return PublicBody(length, links, source)


@dataclass(frozen=True)
class PublicDepartment:
    slug: str
    name: str
    uscc: str
    level: str
    facts: dict[str, object]  # only DEPT_PUBLIC_KEYS, as written (never owners)


@dataclass
class PublicRecord:
    """A listed record: the front-matter keys the schema marks public (LISTED; FULL ones only when
    `full`), with the same names, and what is derived from the record (DERIVED). A metadata-only
    record's other fields keep their empty defaults (`status` too: its 有效性 is not public)."""

    dept: str
    index_no: str
    title: str
    publisher: list[str]
    written: dt.date | None
    published: dt.datetime | None
    publicity: str
    full: bool  # False: metadata only (依申请公开)
    category: str = ""
    doc_type: str = ""
    topic: str = ""
    doc_no: str = ""
    status: str = ""  # 有效性 (the schema reads an absent one as 现行有效); empty: metadata only
    status_date: dt.date | None = None
    changed: dt.date | None = None
    summary: str = ""
    keywords: list[str] = field(default_factory=list)
    body: PublicBody = NO_BODY  # the Markdown source, read when the page is rendered; full records only
    attachments: list[tuple[str, Path]] = field(default_factory=list)  # (name, file); full records only
    source: str | None = None  # the record file's path (Record.where), to resolve body links; full records only
    superseded_by: str = ""  # index_no of a listed record, else empty
    interprets: str = ""  # index_no of a record published in full (it has a page), else empty
    interpreted_by: list[str] = field(default_factory=list)
    made_from: bytes = b""  # the sha256 of what `select` made it from (_made_from); b"" for one made in memory
    listed_as: bytes = b""  # the sha256 of its public metadata (listed_form); b"" for one made in memory

    @property
    def year(self) -> int | None:
        if self.published:
            return self.published.year
        return self.written.year if self.written else None

    @property
    def slug(self) -> str:
        """<year>-<serial> of the index number: unique within the department."""
        return self.index_no.split("/", 1)[-1]


LIST_FIELDS = frozenset(f.name for f in fields(PublicRecord) if str(f.type).startswith("list["))
NOT_LISTED = ("body", "made_from", "listed_as")  # what a listing row or an export row never shows of a record
LISTED_FIELDS = tuple(f.name for f in fields(PublicRecord) if f.name not in NOT_LISTED)


@dataclass
class Publication:
    config: SiteConfig
    departments: dict[str, PublicDepartment]
    records: list[PublicRecord]  # everything listed: full and metadata-only, newest first
    reports: list[AnnualReport] = field(default_factory=list)  # counts and narrative only, never register rows
    report_summaries: list[AnnualReport] = field(default_factory=list)  # the site's summary of each year

    @cached_property
    def full(self) -> list[PublicRecord]:
        return [r for r in self.records if r.full]

    @cached_property
    def searched(self) -> list[PublicRecord]:
        """The records the search index holds (`searched`), newest first."""
        return [r for r in self.records if searched(r)]

    @cached_property
    def index(self) -> SiteIndex:
        """Every listed record grouped by department, category, topic, year and 索引号, once."""
        return siteindex.gather(self.records)

    def by_index(self) -> dict[str, PublicRecord]:
        return self.index.by_index_no


def _declassified(record: Record) -> bool:
    info = record.get("declassified")
    return isinstance(info, dict) and all(schema.given(info.get(k)) for k in schema.Declassified.keys)


def is_full(record: Record) -> bool:
    if not record.loaded or record.scheduled or record.publicity not in FULL:
        return False
    return record.publicity != "脱密后公开" or _declassified(record)


def searched(public: PublicRecord) -> bool:
    """Whether the search index holds `public`: a record published in full, by its 公开属性 (SEARCHED);
    a metadata-only (依申请公开) record never."""
    return public.full and public.publicity in SEARCHED


def is_listed(record: Record, config: SiteConfig) -> bool:
    return is_full(record) or (
        record.loaded and not record.scheduled and record.publicity in METADATA_ONLY and config.list_on_request
    )


def _attachments(record: Record, names: list[str]) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    for name in names:
        if any(name == seen for seen, _ in found):
            continue  # listed twice (FMT007): one file, one output path
        try:
            found.append((name, links.attachment_path(record.path, name)))
        except links.LinkError:
            continue  # FMT007 blocks the build; never publish what cannot be located
    return found


def _public_record(record: Record, front: Any, facts: markdown.Facts) -> PublicRecord:
    """The record's public keys as the schema reads them (`front`: its typed front matter); the keys
    published only once resolved (another record's 索引号, attachment files) are resolved by `select`
    and `_attachments`. `facts`: of the bodies, as found before (checking.body_facts)."""
    full = is_full(record)
    keys, read, lists = _public_keys(full)
    values: dict[str, Any] = dict(zip(keys, read(front)))
    for name in lists:  # the record's own lists, not the front matter's
        if isinstance(values[name], list):
            values[name] = list(values[name])
    public = PublicRecord(dept=record.dept, full=full, **values)
    if full:
        known = facts.get(record.file)
        found = markdown.body_facts(record.read_body()) if known is None else known
        public.summary = public.summary or found.lead
        public.body = _public_body(record, found.length, found.links)
        public.attachments = _attachments(record, front.attachments)
        public.source = record.where
    return public


# What a row of the selection cache holds (selectcache.py), in order: the fields `_public_record`
# makes from the record's own front matter and body, then its body's length and link targets, the
# names of its attachments, and the 索引号 it names as its successor and as what it interprets.
# The other fields are the record's place and flag (dept, full), located (attachments, source) or
# resolved from other records by `select`. Each field's kind says how its value is written.
_ROW_KINDS: dict[str, Any] = {
    "str": str,
    "list[str]": list,
    "dt.date | None": dt.date,
    "dt.datetime | None": dt.datetime,
}
ROW_FIELDS = tuple(
    (f.name, str(f.type))
    for f in fields(PublicRecord)
    if f.name not in DERIVED and f.name not in ("attachments", "superseded_by", "interprets")
)
if unknown := [kind for _, kind in ROW_FIELDS if kind not in _ROW_KINDS]:  # a new kind: say how it is kept
    raise TypeError(f"PublicRecord fields of kinds no selection-cache row holds: {unknown}")
# `_from_row` gives them by place: PublicRecord's first fields are dept, full and the row's, in order
_FIRST = tuple(f.name for f in fields(PublicRecord))[: len(ROW_FIELDS) + 2]
_FULL_PLACE = _FIRST.index("full") if "full" in _FIRST else -1
if _FIRST[0] != "dept" or set(_FIRST) != {"dept", "full", *(name for name, _ in ROW_FIELDS)}:
    raise TypeError(f"PublicRecord's first fields are not dept, full and a row's: {_FIRST}")
AS_WRITTEN = None  # in a row, for a text: the front matter's value of its key
_ROW_TEXTS = tuple((place, name) for place, (name, kind) in enumerate(ROW_FIELDS) if kind == "str")
_ROW_DATES = tuple(place for place, (_, kind) in enumerate(ROW_FIELDS) if kind == "dt.date | None")
_ROW_TIMES = tuple(place for place, (_, kind) in enumerate(ROW_FIELDS) if kind == "dt.datetime | None")


def _row(record: Record, public: PublicRecord, target: tuple[str, str], names: list[str]) -> Row | None:
    """`public` as made from `record` alone (before `select` resolves what it points to), with
    `target` and the attachments' `names` as written; None when a value is not of its field's kind
    exactly (a date with a time zone, say), which JSON could not give back the same. A text that is
    the front matter's own value of its key (AS_WRITTEN) is taken from there again: the build does
    not hold it twice. The body's first sentence, where it stands for a summary the record does not
    give, is kept as it is: a city's edit build then reads no body's facts to select (looking up
    200,000 in the check cache took longer than reading them with the rows)."""
    row: Row = []
    for name, kind in ROW_FIELDS:
        value: Any = getattr(public, name)
        wanted = _ROW_KINDS[kind]
        if value is None and kind.endswith("| None"):
            row.append(None)
        elif wanted is str and value is record.meta.get(name):
            row.append(AS_WRITTEN)
        elif type(value) is not wanted or (wanted is dt.datetime and value.tzinfo is not None):
            return None
        elif wanted is list:
            if any(type(item) is not str for item in value):
                return None
            row.append(list(value))
        else:
            row.append(value.isoformat() if wanted is dt.date or wanted is dt.datetime else value)
    if type(public.body.length) is not int or any(
        type(item) is not str for item in (*target, *names, *public.body.links)
    ):
        return None
    return [*row, public.body.length, list(public.body.links), list(names), *target]


def _from_row(record: Record, full: bool, row: Row) -> tuple[PublicRecord, tuple[str, str]] | None:
    """The PublicRecord `_public_record` made of `record` when `row` was kept, and its targets as
    written; None when the row is not one `_row` wrote (the record is made anew)."""
    try:
        *values, length, body_links, names, superseded, interprets = row
        if len(values) != len(ROW_FIELDS) or not (type(superseded) is type(interprets) is str and type(length) is int):
            return None
        meta = record.meta
        for place, name in _ROW_TEXTS:
            value = values[place]
            if value is AS_WRITTEN:
                values[place] = meta[name]
            elif type(value) is not str:
                return None
        for place in _ROW_DATES:
            if values[place] is not None:
                values[place] = dt.date.fromisoformat(values[place])
        for place in _ROW_TIMES:
            if values[place] is not None:
                values[place] = dt.datetime.fromisoformat(values[place])
        values.insert(_FULL_PLACE - 1, full)
        public = PublicRecord(record.dept, *values)
        if full:
            public.body = _public_body(record, length, tuple(body_links))
            public.attachments = _attachments(record, names)
            public.source = record.where
    except (TypeError, ValueError, KeyError):
        return None
    return public, (superseded, interprets)


@cache
def _public_keys(full: bool) -> tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]], tuple[str, ...]]:
    """The keys a record published in full (or as metadata only) shows as the schema reads them,
    a reader of their values from the typed front matter (all at once: 3 million values at
    200,000 records), and those of them that are lists."""
    exposures = (schema.Exposure.LISTED, schema.Exposure.FULL) if full else (schema.Exposure.LISTED,)
    keys = tuple(key.name for key in schema.RecordFront.exposed(*exposures) if not key.resolved)
    if len(keys) < 2:  # attrgetter of one name gives the value, not a tuple of it
        raise ValueError(f"a public record shows at least two keys, not {keys}")
    return keys, attrgetter(*keys), tuple(name for name in keys if name in LIST_FIELDS)


def _made_from(record: Record, public: PublicRecord, root: str) -> bytes:
    """The hash of everything `public` is made from, besides the product's code and the site's
    settings (which every page's key holds): the bytes of the record's file (its front matter and
    body, and so the body's facts), where the file is, whether it is published in full on the check
    date, the attachments found, and what `select` resolved from other records. A page's key
    has this for the record (pagecache), not its 20-odd fields. b"": not read from a file."""
    if not record.digest:
        return b""
    made = (
        record.digest,
        record.file,  # where it is in the site (its Path's text, made for 200,000 records, took 0.2 s)
        public.full,
        [(name, os.path.relpath(path, root)) for name, path in public.attachments],  # where in the site: `root`
        public.superseded_by,
        public.interprets,
        public.interpreted_by,
    )
    return pagecache.digester(jsontext.dumps(made)).digest()  # texts, a flag and lists: JSON is exact and quick


def listed_form(public: PublicRecord) -> bytes:
    """The hash of the record's public metadata: every field but its body (and the hashes): all a
    catalogue listing or the catalogue's export can show of it. Its body is shown on its own page
    alone, so an edit of the body that leaves the metadata (its summary, the body's first sentence
    where it gives none) as it was changes no listing and no export row."""
    return bytes.fromhex(pagecache.fingerprint(*[getattr(public, name) for name in LISTED_FIELDS]))


def listed_forms(publication: Publication) -> bytes:
    """The (made_from, listed_as) pairs of every published record read from a file, for the next
    build's `select` (pagecache.PageCache.listed)."""
    return b"".join([r.made_from + r.listed_as for r in publication.records if r.made_from])


def _newest_first(record: PublicRecord) -> tuple[dt.datetime, str]:
    when = record.published or (dt.datetime.combine(record.written, dt.time()) if record.written else dt.datetime.min)
    return when, record.index_no


def select(
    site: Site,
    facts: markdown.Facts | None = None,
    previous_forms: Mapping[bytes, bytes] | None = None,
    cache: SelectCache | None = None,
) -> Publication:
    """`facts`: of the published bodies (file → BodyFacts) as found before; the other bodies are read here.
    `previous_forms`: the listed forms the last build found (made_from → listed_as, PageCache.listed):
    the same `made_from` gives the same record, so its form is taken, not hashed again.
    `cache`: what the last selection made of each record file (selectcache.py): a record whose file
    has the same bytes, published in full or not as then, is made from its row, without reading its
    front matter again; and this selection's rows are kept in it."""
    config = site.config
    records: list[PublicRecord] = []
    listed_records: list[Record] = []
    targets: list[tuple[str, str]] = []  # (superseded_by, interprets) as written, resolved below
    for record in site.records:
        if is_listed(record, config):
            full = is_full(record)
            kept = cache.row(record.dept, record.file, record.digest, full) if cache and record.digest else None
            made = _from_row(record, full, kept) if kept is not None else None
            if made is not None:
                public, target = made
            else:
                front = record.public_front()  # one record's at a time: the typed forms are not kept
                public = _public_record(record, front, facts or {})
                target = (front.superseded_by, front.interprets)
                kept = _row(record, public, target, front.attachments)
            if cache and record.digest:
                cache.keep(record.dept, record.file, record.digest, full, kept, taken=made is not None)
            records.append(public)
            listed_records.append(record)
            targets.append(target)
    known = {r.index_no: r for r in records}
    for public, (superseded, interprets) in zip(records, targets):
        # A link goes only to a page that is built. A successor that is 依申请公开 (metadata only)
        # is named and linked to its department's catalogue, where it is listed; an interpretation
        # (解读) of a 依申请公开 record names nothing: that record has no page to link to. A
        # metadata-only record shows neither (替代文件 is not of its metadata: schema FULL).
        public.superseded_by = superseded if public.full and superseded in known else ""
        if interprets in known and public.full and known[interprets].full:
            public.interprets = interprets
            known[interprets].interpreted_by.append(public.index_no)
    taken = previous_forms or {}
    root = os.fspath(config.root)
    for public, record in zip(records, listed_records):
        public.made_from = _made_from(record, public, root)
        public.listed_as = taken.get(public.made_from) or listed_form(public)
    records.sort(key=_newest_first, reverse=True)
    departments = {slug: _public_department(dept) for slug, dept in site.departments.items() if dept.data}
    reports, summaries = annual_tables.all_reports(site)
    return Publication(config, departments, records, reports, summaries)


def _public_department(dept: Department) -> PublicDepartment:
    facts = {key: dept.data[key] for key in DEPT_PUBLIC_KEYS if dept.data.get(key) not in (None, "")}
    return PublicDepartment(dept.slug, dept.name, dept.uscc, dept.level, facts)
