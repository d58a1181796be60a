"""The term directory: which shards hold each search key, so that a query loads only those shards.

Without it the search page had to open every shard (its entry, metadata and filters) and load a
chunk of each shard's word index per query word: at 200,000 records, some 215 shards for every
query. With it the page first reads, for each key of the query, one small file saying which
shards hold that key, and opens only the shards that hold them all: a record containing every
query word holds every key of them, so no result is lost (static/search-core.js).

A shard's keys (terms.page_keys) are those of its pages' title, 文号, 索引号 and document text,
read from its bundle's fragments, which carry exactly the texts that were indexed (bundle.put_texts);
with each key of a title, 文号 or 索引号 also as "t:" and the key, and each of them as a whole as
"w:" and its hash. So the search page knows, before opening a shard, whether it can hold a record
whose title holds the query, or is the query, and opens first the shards that can hold the first
results (static/search-core.js). A "t:" key also says which of the shard's groups of pages
(terms.group, by URL) hold it: the words of a query all in the titles of one shard but never in one
group's cannot be one record's. Of a group that holds them all, the search page reads the titles,
文号 and 索引号 (heads.py) before it opens the shard.

Files: pagefind/terms/<n>.pf_terms for n below `files_for(shards)` (a power of two, about eight
per shard), key k in file FNV-1a(home(k)) mod that — "t:k" in the file of k, so a query reads no
more files for the title keys; each gzip (no timestamp) of a JSON object from key, in sorted order,
to the ascending places in shards.json's `bundles` of the shards holding it — for a "t:" key each
place with the mask of the groups holding it, in base 32 (`value`: no run of digits a mask makes is
long enough to read as a telephone or card number to the output scan). A few thousand (key,
shard) pairs per file, a few KiB: a query reads one file per key and one for its whole text.

The cache (<site>/.cache/terms/) keeps the files, each shard's keys as they went into them
(keys/<shard>: a key a line, a title key with its mask after a space) and `state.json`: the shard
names in order, each one's cache key (docs.key) and the number of files. A shard indexed by this
build has its keys written beside them as soon as it is made (keys/<shard>.new, `keep_new`), so
the build holds one shard's keys at a time, not a city's millions; and the files are made from
nothing a range of them at a time (`_make_all`), from the keys spilled to disk by range.

A build with the same shards changes only the files of the keys that entered or left a changed
shard; a build with other shards (added, removed, renamed) makes every file again. Either way a
file is a function of the shards' names and keys alone, so an incremental build writes the bytes a
clean one does. state.json is removed before any change and written after the last, so a build
stopped in between leaves no state, and the next makes everything anew.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import wholefile
from . import order, terms

FORMAT = 3  # 2: the "t:" and "w:" keys; 3: a "t:" key's groups
FOLDER = "terms"  # pagefind/terms/ in the output, and the files' folder in the cache
SUFFIX = ".pf_terms"
STATE = "state.json"
KEYS = "keys"
PER_SHARD = 8  # files per shard, about


NEW = ".new"  # keys/<shard>.new: the keys of a shard this build indexed (Directory.keep_new)
SPILL = ".spill-"  # keys spilled by range of files while every file is made (Directory._make_all)
SPILL_SHARDS = 32  # shards' keys held at once, about, while every file is made


@dataclass(frozen=True)
class Shard:
    name: str
    key: str | None  # its cache key (docs.key); None: keys not to be kept as up to date
    bundle: Path  # its Pagefind bundle
    new: bool = False  # indexed by this build: its keys are in keys/<shard>.new (keep_new)


def files_for(shards: int) -> int:
    """How many files a directory of `shards` shards has: a power of two, at least 16."""
    count = 16
    while count < shards * PER_SHARD:
        count *= 2
    return count


def home(key: str) -> str:
    """The key whose file holds `key`: a title key's in the file of the key it is of."""
    return key.removeprefix(terms.TITLE_KEY)


def file_of(key: str, files: int) -> int:
    return terms.fnv(home(key).encode("utf-8")) % files


def name(number: int) -> str:
    return f"{number}{SUFFIX}"


def bundle_keys(bundle: Path) -> dict[str, int]:
    """The keys of every page of `bundle`, each with its mask (terms.page_keys)."""
    return terms.page_keys(bundle_pages(bundle))


def bundle_pages(bundle: Path) -> list[tuple[str, str, str, str, str]]:
    """Each page of `bundle` as its keys are found from it: URL, title, 文号, 索引号 and document text."""
    pages = []
    for _, fragment in order.fragments(bundle):
        meta = fragment.get("meta", {})
        texts = (meta.get("title", ""), meta.get("文号", ""), meta.get("索引号", ""), fragment.get("content", ""))
        pages.append((fragment.get("url", ""), *texts))
    return pages


Listed = int | list[int | str]  # what the directory lists of a shard for a key (`value`)


def value(key: str, place: int, mask: int) -> Listed:
    """What the directory lists for `key` in the shard at `place`: the place, or for a title key
    [place, the mask of the shard's groups holding it in base 32]."""
    if not key.startswith(terms.TITLE_KEY):
        return place
    digits = ""
    while mask:
        digits = terms.DIGITS[mask % 32] + digits
        mask //= 32
    return [place, digits or "0"]


def place_of(listed: Listed) -> int:
    return listed if isinstance(listed, int) else int(listed[0])


def _encode(entries: dict[str, list[Listed]]) -> bytes:
    text = json.dumps({key: entries[key] for key in sorted(entries)}, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def _decode(path: Path) -> dict[str, list[Listed]]:
    data: dict[str, list[Listed]] = json.loads(gzip.decompress(path.read_bytes()))
    return data


class Directory:
    """The directory's cache folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / FOLDER

    def _state(self) -> dict[str, object] | None:
        try:
            data = json.loads((self.root / STATE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("format") == FORMAT else None

    def _kept_keys(self, shard: str) -> dict[str, int] | None:
        try:
            lines = (self.root / KEYS / shard).read_text(encoding="utf-8").splitlines()
            return {key: int(mask or 0) for key, _, mask in (line.partition(" ") for line in lines)}
        except (OSError, ValueError):
            return None

    def _keep_keys(self, shard: str, found: Mapping[str, int]) -> None:
        lines = (f"{key} {mask}" if mask else key for key, mask in sorted(found.items()))
        (self.root / KEYS / shard).write_text("\n".join(lines), encoding="utf-8")

    def keep_new(self, shard: str, found: Mapping[str, int]) -> None:
        """The keys of a shard just indexed (bundle_keys), written aside until `update` takes them
        (Shard.new): the kept keys and the state stay those of the previous build till then."""
        (self.root / KEYS).mkdir(parents=True, exist_ok=True)
        self._keep_keys(shard + NEW, found)

    def _new_keys(self, shard: Shard) -> dict[str, int]:
        """The keys of a shard indexed by this build, from keys/<shard>.new or else its bundle."""
        found = self._kept_keys(shard.name + NEW) if shard.new else None
        return found if found is not None else bundle_keys(shard.bundle)

    def update(self, shards: list[Shard]) -> list[Path]:
        """Bring the files up to date with `shards` (in shards.json's order); their paths, file 0
        first."""
        files = files_for(len(shards))
        state = self._state()
        names = [shard.name for shard in shards]
        (self.root / STATE).unlink(missing_ok=True)
        (self.root / KEYS).mkdir(parents=True, exist_ok=True)
        kept_tags = state.get("tags") if state is not None else None
        before = kept_tags if isinstance(kept_tags, dict) else {}
        if state is None or state.get("shards") != names or state.get("files") != files or not self._whole(files):
            self._make_all(shards, files, before)
        elif not self._apply_changes(shards, files, before):
            self._make_all(shards, files, before)
        for left in (self.root / KEYS).glob("*" + NEW):  # taken, or of a shard no longer there
            left.unlink()
        tags = {shard.name: shard.key for shard in shards if shard.key is not None}
        state = {"format": FORMAT, "files": files, "shards": names, "tags": tags}
        wholefile.write(self.root / STATE, json.dumps(state).encode("utf-8"))
        return [self.folder / name(n) for n in range(files)]

    def _whole(self, files: int) -> bool:
        """Whether the folder holds the `files` files and nothing else."""
        try:
            return sorted(os.listdir(self.folder)) == sorted(name(n) for n in range(files))
        except OSError:
            return False

    def _current_keys(self, shard: Shard, tags: dict[str, object]) -> Mapping[str, int]:
        """The keys of `shard`: those kept, if kept for its present cache key, else its bundle's."""
        if not shard.new and shard.key is not None and tags.get(shard.name) == shard.key:
            kept = self._kept_keys(shard.name)
            if kept is not None:
                return kept
        found = self._new_keys(shard)
        self._keep_keys(shard.name, found)
        return found

    def _make_all(self, shards: list[Shard], files: int, tags: dict[str, object]) -> None:
        """Every file from nothing. A city's directory holds millions of (key, shard) pairs: each
        shard's keys are spilled to a file per range of the directory's files, and the files of
        one range are made at a time."""
        ranges = min(files, max(1, len(shards) // SPILL_SHARDS))
        for left in self.root.glob(SPILL + "*"):  # of a build stopped here (one build of a site at a time)
            shutil.rmtree(left, ignore_errors=True)
        spill = self.root / f"{SPILL}{os.getpid()}"
        spill.mkdir(parents=True)
        try:
            with contextlib.ExitStack() as closing:
                outs = [closing.enter_context((spill / str(r)).open("w", encoding="utf-8")) for r in range(ranges)]
                for place, shard in enumerate(shards):
                    for key, mask in self._current_keys(shard, tags).items():
                        number = file_of(key, files)
                        outs[number * ranges // files].write(f"{number} {place} {mask} {key}\n")
            self.folder.mkdir(parents=True, exist_ok=True)
            for old in self.folder.iterdir():
                old.unlink()
            for r in range(ranges):
                contents = _spilled(spill / str(r))
                for number in range(-(-r * files // ranges), -(-(r + 1) * files // ranges)):  # the range's files
                    (self.folder / name(number)).write_bytes(_encode(contents.get(number, {})))
        finally:
            shutil.rmtree(spill, ignore_errors=True)
        wanted = {shard.name for shard in shards}
        for kept in (self.root / KEYS).iterdir():
            if kept.name not in wanted:
                kept.unlink()

    def _apply_changes(self, shards: list[Shard], files: int, tags: dict[str, object]) -> bool:
        """Change the files of the keys that entered or left a changed shard. False: what the
        cache holds cannot be changed (kept keys or a file missing or unreadable), nothing was."""
        changes: dict[int, list[tuple[str, int, int | None]]] = {}  # file → (key, place, mask now or None)
        now: dict[str, dict[str, int]] = {}  # each changed shard's keys
        for place, shard in enumerate(shards):
            if shard.key is not None and tags.get(shard.name) == shard.key:
                continue
            before = self._kept_keys(shard.name)
            if before is None:
                return False
            now[shard.name] = self._new_keys(shard)
            for key, mask in _differences(before, now[shard.name]):
                changes.setdefault(file_of(key, files), []).append((key, place, mask))
        try:
            contents = {number: _decode(self.folder / name(number)) for number in changes}
        except (OSError, ValueError):
            return False
        for number, changed in sorted(changes.items()):
            entries = contents[number]
            for key, place, mask in changed:
                listed = [v for v in entries.get(key, ()) if place_of(v) != place]
                if mask is not None:
                    listed.append(value(key, place, mask))
                if listed:
                    entries[key] = sorted(listed, key=place_of)
                else:
                    entries.pop(key, None)
            (self.folder / name(number)).write_bytes(_encode(entries))
        for shard_name, found in now.items():
            self._keep_keys(shard_name, found)
        return True


def _spilled(path: Path) -> dict[int, dict[str, list[Listed]]]:
    """The contents of the files of one range, by file number, from its spill file (a line per
    key of a shard: the file's number, the shard's place, the key's mask, the key)."""
    contents: dict[int, dict[str, list[Listed]]] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            number, place, mask, key = line.rstrip("\n").split(" ", 3)
            contents.setdefault(int(number), {}).setdefault(key, []).append(value(key, int(place), int(mask)))
    return contents


def _differences(before: Mapping[str, int], after: Mapping[str, int]) -> Iterable[tuple[str, int | None]]:
    """(key, mask) for each key `after` has and `before` lacks or has with another mask, (key, None)
    for each `before` has and `after` lacks."""
    yield from ((key, mask) for key, mask in sorted(after.items()) if before.get(key) != mask)
    yield from ((key, None) for key in sorted(before.keys() - after.keys()))
