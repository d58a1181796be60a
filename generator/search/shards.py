"""Which record pages form each shard of the search index, and the key that says a shard changed.

A shard holds the indexed pages of one department — the record pages of the records the search
index holds (Publication.searched: published in full, by their 公开属性; never a 依申请公开
record, whose metadata-only page is listed in the catalogue and not searched) — at most `bound`
of them: a large site never needs one indexing process for every page, and editing one
record re-indexes only the shard holding it, at most `bound` pages.

A shard also holds at most `text_bound` characters of text (TEXT_BOUND), because the indexer's
memory grows with the words it indexes, not with the pages: a department of long documents is
split sooner.

A department within both bounds is one shard, named by its slug. A larger one has its pages put
in 索引号 order (year, then serial as a number: the order serials are given out in) and cut into
consecutive chunks, and a chunk is named by the 索引号 year of its first page: <dept>-<year>, and
when several chunks begin in one year <dept>-<year>-2, <dept>-<year>-3 …

Where a chunk ends is chosen by the records themselves, not by how full it is (`_chunks`): among
the records after which the chunk would be at least half full (FLOOR) and still within both
bounds, after the one whose slug hashes lowest (`_rank`). Filled up to a bound instead, every
chunk's end hung on every record before it: a record added or removed before the end of the
order (a scheduled record published on its day, a record withdrawn), or an edit that moved a
chunk's end across its text bound, shifted pages across all the later chunks of the department,
which were indexed again. Now such a change moves the end of its own chunk only when the
lowest-hashing record was at the edge of the range, and the next chunk's range then still holds
the same lowest record almost always. At 200,000 records (bench/shard_churn.py, 400 trials each):
a removal or an addition at a random place re-indexed 2.9 shards on average, up to five, when the
chunks were filled up, and now one shard in all but 6 trials (two or three); a body 100
characters longer moved a chunk's end in 24 trials then, in none now. The price is smaller
shards, about three quarters full on average (450 shards of 444 pages instead of 335 of 597):
an edited shard is indexed sooner, and a query that touches every shard makes a third more
requests. A new record with the highest 索引号 (how serials are given out) changes only the last
chunk, which is cut in two when it outgrows a bound. A department that first outgrows a bound is
indexed again whole, once, under its new names. The chunks are not cut at year ends: with the
text bound a department of many small years would otherwise become many tiny shards, and each
shard costs the search page requests.

A department within the bounds is not split: every shard costs the search page requests (its
entry, its metadata and, for each query word, a chunk of its word index), so fewer shards are
cheaper to query (docs/search.md).

A shard's key (docs.key) hashes what the indexer is given (bundle.py): each page's path, its public
metadata as a docs.Doc, the digest of its document text (docs.text_digest: the text of its
`data-pagefind-body` element, which the bundle's fragment holds), and the indexer's version. Not
the pages' bytes: a changed template rewrites every page of the site, and with its text unchanged
the bundle would be the same. The text of a page whose bytes are those its shard's bundle was made
from is known without reading it (the shard cache's `digests.json`); only a page rewritten is read
and parsed. A shard with no cache entry is indexed whatever its key: that is found from the texts
read to index it (search/make.py), so a cold build parses each page once.

Making every Doc to hash it is most of an unchanged shard's cost at 200,000 records, so a shard
also has its `inputs`: its pages (paths, and the SHA-256 of their bytes as the output recorded it
when placing them) and, for each record, the hash of what it was made from
(PublicRecord.made_from), with the product's code and the site's settings — everything a Doc and a
page's text are made from. The shard cache keeps the key it last found for those inputs
(index.py): while they are the same, so is the key, and no Doc is made nor page read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Container
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter

from .. import ids, pagecache, urls
from ..config import SiteConfig
from ..output import Output
from ..publicity import Publication, PublicRecord, searched
from .docs import Doc, doc, indexer_version

# The most pages a shard holds unless the index stage is given another bound (index.py).
BOUND = 5000
# The most text (characters of the pages' titles and Markdown bodies) a shard holds. Pagefind's
# memory grows with the words it indexes — about 0.85 KiB for each word of each page, some 0.55
# KiB for each character of text (bench/RESULTS.md) — so this bound keeps one indexing process
# near 0.55 GiB whatever the length of the documents (one indexing process runs per core beside
# the building one); at typical lengths (1,500 characters) it is about 650 pages.
TEXT_BOUND = 1_000_000
# A chunk that is not its department's last is at least 1/FLOOR full, in pages or in text, and
# ends where its records say (`_chunks`): the range it may end in is the rest, up to the bounds.
FLOOR = 2


@dataclass(frozen=True)
class Shard:
    name: str  # <dept>, <dept>-<year> or <dept>-<year>-<n>: the department slug (ASCII) and numbers
    pages: tuple[str, ...]  # output paths of its pages, sorted
    records: tuple[PublicRecord, ...]  # the record of each page, in the order of `pages`

    @cached_property
    def docs(self) -> tuple[Doc, ...]:
        """What the indexer is given of each page, in the order of `pages`: made only for a shard
        whose key is not known from its inputs (index.py), or that is indexed."""
        return tuple(doc(record, page) for record, page in zip(self.records, self.pages))


def chunk_name(dept: str, year: int | None, n: int) -> str:
    """The name of the `n`th (from 1) chunk of `dept` that begins in 索引号 year `year` (None or 0:
    an unreadable 索引号, 0000)."""
    base = f"{dept}-{year or 0:04d}"
    return base if n == 1 else f"{base}-{n}"


def _order(record: PublicRecord) -> tuple[int, int, str]:
    """Where a record stands in its department's chunks: its 索引号's year and serial, as numbers."""
    match = ids.parse_index_no(record.index_no)
    return (int(match["year"]), int(match["serial"]), record.slug) if match else (0, 0, record.slug)


def page_path(record: PublicRecord) -> str:
    """The page a search result of `record` links to: its record page. A record the index does not
    hold (publicity.searched: a 依申请公开 one) has none, and is refused."""
    if not searched(record):
        raise ValueError(f"{record.index_no} is not searched: its 公开属性 is {record.publicity}")
    return urls.record(record)


def _shard(name: str, records: list[PublicRecord]) -> Shard:
    items = sorted(((page_path(record), record) for record in records), key=itemgetter(0))
    return Shard(name, tuple(page for page, _ in items), tuple(record for _, record in items))


def _weight(record: PublicRecord) -> int:
    """The text a record's page gives the indexer, in characters (its Markdown body bounds the
    document text from above)."""
    return len(record.title) + len(record.doc_no) + len(record.index_no) + record.body.length + 1


def _rank(record: PublicRecord) -> bytes:
    """Where a chunk prefers to end (lowest first): a hash of the record's slug, which its edits
    do not change, the same in every run and on every machine."""
    return hashlib.blake2b(record.slug.encode("utf-8"), digest_size=8).digest()


def _chunks(records: list[PublicRecord], bound: int, text_bound: int) -> list[list[PublicRecord]]:
    """`records`, in order, cut into consecutive chunks of at most `bound` pages and `text_bound`
    characters (a record longer than `text_bound` alone makes a chunk). The last chunk holds what
    is left once it fits; every other ends after the lowest `_rank` among the records at which it
    is at least 1/FLOOR full, in pages or in text, and still within both bounds."""
    weights = list(map(_weight, records))
    found: list[list[PublicRecord]] = []
    start = 0
    while start < len(records):
        end, text, first = start, 0, -1  # the chunk [start, end) fits; `first`: where a cut may be
        while end < len(records) and (end == start or (end - start < bound and text + weights[end] <= text_bound)):
            text += weights[end]
            end += 1
            if first < 0 and ((end - start) * FLOOR >= bound or text * FLOOR >= text_bound):
                first = end - 1
        if end == len(records):
            found.append(records[start:])
            break
        # short of the floor (the next record would take it past a bound): as full as it can be
        cut = min(range(first if first >= 0 else end - 1, end), key=lambda i: (_rank(records[i]), i))
        found.append(records[start : cut + 1])
        start = cut + 1
    return found


def _split(dept: str, records: list[PublicRecord], bound: int, text_bound: int) -> list[Shard]:
    if len(records) <= bound and sum(map(_weight, records)) <= text_bound:
        return [_shard(dept, records)]
    found = []
    begun: dict[int, int] = {}  # 索引号 year → chunks begun in it so far
    for chunk in _chunks(sorted(records, key=_order), bound, text_bound):
        year = _order(chunk[0])[0]
        begun[year] = begun.get(year, 0) + 1
        found.append(_shard(chunk_name(dept, year, begun[year]), chunk))
    return found


def plan(
    publication: Publication,
    bound: int = BOUND,
    text_bound: int = TEXT_BOUND,
    only: Container[str] | None = None,
) -> list[Shard]:
    """The shards of every department's searched records (Publication.searched: published in full,
    never a 依申请公开 one), at most `bound` pages and `text_bound` characters of text each. `only`:
    the shards of these departments alone, which are those of the whole plan (a department's shards
    are cut from its own records)."""
    if bound < 1 or text_bound < 1:
        raise ValueError(f"bounds must be at least 1, not {bound} and {text_bound}")
    departments: dict[str, list[PublicRecord]] = {}
    for record in publication.searched:
        if only is None or record.dept in only:
            departments.setdefault(record.dept, []).append(record)
    found = [shard for dept in sorted(departments) for shard in _split(dept, departments[dept], bound, text_bound)]
    names = [shard.name for shard in found]
    # A name repeats only if one slug is another's plus -<year> (d and d-2026), or -<year>-<n>.
    if len(set(names)) != len(names):
        raise ValueError(f"two search shards share a name: {sorted(n for n in names if names.count(n) > 1)}")
    return found


def inputs(shard: Shard, output: Output, made_with: str) -> str | None:
    """A hash of what the shard's key is made from: its pages (paths and the hash of each one's
    rendered bytes), what each page's record was made from, and `made_with` (settings_of). None
    when a record has no `made_from` (one made in memory): its key is always computed."""
    digest = hashlib.sha256(made_with.encode())
    for page, record in zip(shard.pages, shard.records):
        if not record.made_from:
            return None
        digest.update(b"\0" + page.encode() + b"\0")
        digest.update(bytes.fromhex(output.files[page][pagecache.DIGEST]))
        digest.update(record.made_from)
    return digest.hexdigest()


def settings_of(config: SiteConfig) -> str:
    """What every record's Doc is made with besides its record's file: the product's code, the
    site's settings, and the indexer's version (whose format is a shard's key too)."""
    return pagecache.fingerprint(indexer_version(), pagecache.product(), pagecache.settings(config))


def page_digests(shard: Shard, output: Output) -> dict[str, str]:
    """The hash of each page of `shard` (every one a record page with a text of its own), by output
    path, as `output` recorded it when it placed the page."""
    return {page: output.files[page][pagecache.DIGEST] for page in shard.pages}
