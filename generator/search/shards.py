"""Which record pages form each shard of the search index, and the key that says a shard changed.

A shard is one department's public record pages (Publication.full, nothing else): a large site
never needs one indexing process for every page, and editing one department re-indexes only its
shard. The key hashes the shard's rendered pages and the indexer's version.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .. import urls
from ..publicity import Publication

# Changing how a shard is indexed (flags, the page markup read) must change every key.
INDEX_FORMAT = "1"


@dataclass(frozen=True)
class Shard:
    name: str  # the department slug: ASCII, safe as a folder name
    pages: tuple[str, ...]  # output paths of its record pages, sorted


def plan(publication: Publication) -> list[Shard]:
    """One shard per department that has at least one fully published record."""
    pages: dict[str, list[str]] = {}
    for record in publication.full:
        pages.setdefault(record.dept, []).append(urls.record(record))
    return [Shard(name, tuple(sorted(paths))) for name, paths in sorted(pages.items())]


def indexer_version() -> str:
    return f"pagefind-bin-extended {metadata.version('pagefind_bin_extended')}; format {INDEX_FORMAT}"


def key(shard: Shard, root: Path) -> str:
    """A hash of the shard's pages (paths and rendered bytes under `root`) and the indexer version."""
    digest = hashlib.sha256(indexer_version().encode())
    for page in shard.pages:
        digest.update(b"\0" + page.encode() + b"\0")
        digest.update((root / page).read_bytes())
    return digest.hexdigest()
