"""A changed shard's bundle made into the site's shard cache: in the building process, in the
early indexer's fresh process (index.Early, `index_shipped`) or on a cluster worker.

Kept apart from index.py, and importing no more than the search modules it uses: the early indexer
starts a fresh Python for an edit build's changed shard, which the build waits for, and importing
the whole build (the selection, its schema and settings) took it 0.35 s instead of 0.2 s.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import bundle, directory, docs, terms
from .cache import Cached, ShardCache

CACHE = Path(".cache") / "search"
TERMS_CACHE = Path(".cache") / "terms"  # the term directory's (search/directory.py)


# a shard sent to be indexed: name, key (None: found from the texts read), inputs, pages, and the
# hash of each page as rendered
Shipped = tuple[str, str | None, str | None, tuple[docs.Doc, ...], tuple[str, ...]]


@dataclass(frozen=True)
class Made:
    """A shard's new bundle, in the site's cache, as the indexer made it (here or on a worker)."""

    entry: Cached  # the bundle, its measurement, its pages' [date, URL, id] and its manifest
    keys: dict[str, int]  # its term directory keys and masks (directory.bundle_keys)
    key: str  # its shard's key (docs.key), under which the cache holds it
    where: str = ""  # the cluster worker that made it ("": this machine)


def make_bundle(
    stage: Path,
    cache_root: Path,
    name: str,
    key: str | None,
    inputs: str | None,
    items: tuple[docs.Doc, ...],
    digests: tuple[str, ...],
    where: str = "",
    prepared: Callable[[], None] | None = None,
) -> Made:
    """Index the pages `items` of shard `name` (rendered under `stage`, each with the SHA-256 of its
    bytes in `digests`) into the shard cache at `cache_root` as the entry for `key` (found for
    `inputs`: shards.inputs; None: a shard the cache held nothing of, whose key is found from the
    texts read to index it); the text of a page published in full with the bytes the previous
    bundle was made from is taken from that bundle (ShardCache.known_texts). `prepared`: called
    once its pages are read, as the indexer starts (bundle.index_pages)."""
    cache = ShardCache(cache_root)
    scratch = cache.scratch(name)  # this build's own: a concurrent one never shares it
    pages = {item.path: digest for item, digest in zip(items, digests)}
    keys = _Keys(items, prepared)
    try:
        known = cache.known_texts(name, pages)
        measurement = bundle.index_pages(stage, items, scratch, name, keys.begin, known)
        texts = {page: docs.text_digest(keys.texts["/" + page]) for page in pages}
        key = key or docs.key(items, texts)
        entry = cache.put(name, key, measurement, scratch, inputs, docs.filter_counts(items), pages, texts)
    finally:
        cache.discard(scratch)  # gone already when put moved it into place
    return Made(entry, keys.of(entry.bundle), key, where)


class _Keys:
    """A new bundle's term directory keys (directory.bundle_keys), found while the indexer runs: from
    the pages given to it (terms.page_keys, 0.36 s for a city's 614-page shard, on the core the
    indexer leaves), and kept when the bundle's fragments hold those same pages; else found from the
    fragments, as before."""

    def __init__(self, items: tuple[docs.Doc, ...], prepared: Callable[[], None] | None) -> None:
        self.items, self.prepared = items, prepared
        self.texts: Mapping[str, str] = {}  # each page's document text as shown, by URL
        self.pages: list[tuple[str, str, str, str, str]] = []
        self.body_keys: set[str] = set()  # terms.keys of those texts, found as they were cut
        self.found: dict[str, int] | None = None
        self.thread: threading.Thread | None = None

    def begin(self, texts: Mapping[str, str], body_keys: set[str]) -> None:
        """bundle.index_pages's `prepared`: the pages are read and the indexer starts."""
        self.texts, self.body_keys = texts, body_keys
        self.pages = [
            (url, item.title, item.doc_no, item.index_no, texts[url])
            for item in self.items
            if (url := "/" + item.path) in texts
        ]
        self.thread = threading.Thread(target=self._find, name="bundle-keys", daemon=True)
        self.thread.start()
        if self.prepared is not None:
            self.prepared()

    def _find(self) -> None:
        try:
            self.found = terms.page_keys(self.pages, self.body_keys)
        except Exception:  # found again from the fragments (`of`), where a fault is the build's to report
            self.found = None

    def of(self, bundle_path: Path) -> dict[str, int]:
        if self.thread is not None:
            self.thread.join()
        if self.found is not None and sorted(self.pages) == sorted(directory.bundle_pages(bundle_path)):
            return self.found
        return directory.bundle_keys(bundle_path)


def index_shipped(site_root: Path, stage: Path, sent: Path) -> None:
    """EARLY's work: each shard of the JSON file `sent` ([name, key, inputs, [Doc as JSON…], [page
    hash…]]) indexed into the site's shard cache, its term keys kept aside for the build
    (Directory.keep_new)."""
    term_directory = directory.Directory(site_root / TERMS_CACHE)
    for name, key, inputs, items, digests in json.loads(sent.read_text(encoding="ascii")):
        made = make_bundle(stage, site_root / CACHE, name, key, inputs, tuple(map(docs.doc_in, items)), tuple(digests))
        term_directory.keep_new(name, made.keys)
