"""The page cache: what the last build wrote, so the next one renders only what changed.

`<site>/.cache/pages/index.json` maps every output file of the last complete build to the
key of its inputs and the hash of its bytes, and each group of pages (a listing, a department's
record pages) to the key of all their inputs (render/pages.py, Renderer.reuse_group). A page
whose key is unchanged is not rendered again: its file is linked from the previous output into
the staging folder (no byte is rewritten), and a page rendered again to the same bytes is linked too — or, when the output
before the previous one was kept as the spare (output.py), it is already there and nothing is
done for it at all. Keys are content
hashes of everything a page reads — its context, the site settings and departments every
page shows, every template, and the product's own code — so a new release, a changed
template or site.yaml invalidates what it must. A published record is in a key as the hash
of what it was made from (its file's bytes and what the selection resolved from other
records: publicity._made_from), the explicit dependencies of its fields, which are not
walked one by one. The cache is safe to delete (the next build is a full one). A build writes it
as index.next.json, beginning with the inode of its complete output folder, just before the swap,
and renames it index.json just after: a build stopped at any moment leaves a page cache of the
output in place (PageCache.recover), never one of another output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import pickle
import stat
import weakref
from dataclasses import dataclass, fields, is_dataclass
from functools import lru_cache
from inspect import isfunction
from itertools import islice
from pathlib import Path, PosixPath, WindowsPath
from typing import Any, Callable, TypeGuard

from . import heap, jsontext, wholefile

CACHE = Path(".cache") / "pages"
INDEX = "index.json"
NEXT = "index.next.json"  # the cache of an output about to be swapped in (PageCache.save, recover)
LISTED = "listed.bin"  # each published record's made_from with its listed form (publicity.listed_form)
FORMAT = "2"  # the layout of index.json
SAVE_BATCH = 10_000  # files of index.json encoded at once (PageCache.save)


# One per output file (650,000 at 200k records): [key, digest, size] — the key of its inputs ("" for a
# file whose inputs are not tracked), the sha256 of its bytes, its size — as index.json holds it and its
# reader gives it: an object made for each on reading took 0.75 s at 200k records, and written back as
# a list 0.2 s more. Never changed once made: the cache's and the build's share them.
Entry = list[Any]
KEY, DIGEST, SIZE = 0, 1, 2  # the places in an Entry


def entry(key: str, digest: str, size: int) -> Entry:
    return [key, digest, size]


@dataclass(frozen=True)
class MetadataPages:
    """The pages made from the published metadata alone, as the build that rendered them made them
    (render/metadata_pages.py): the key of everything they are made from, the files they placed,
    which of those are pages (the sitemap lists them, in order) and which were copied unchanged
    (output.Output.copied), and the keys of their groups of pages (Renderer.reuse_group)."""

    key: str
    files: list[str]
    pages: list[str]
    copied: list[str]
    groups: dict[str, str]

    def as_json(self) -> dict[str, object]:
        return {"key": self.key, "files": self.files, "pages": self.pages, "copied": self.copied, "groups": self.groups}

    @classmethod
    def from_json(cls, data: Any) -> MetadataPages | None:
        """None when `data` is not what `as_json` wrote (absent, or damaged): they are rendered."""
        if type(data) is not dict:
            return None
        key, files, pages, copied, groups = (data.get(name) for name in ("key", "files", "pages", "copied", "groups"))
        if type(key) is not str or not (_texts(files) and _texts(pages) and _texts(copied)) or type(groups) is not dict:
            return None
        if not all(type(group) is str and type(value) is str for group, value in groups.items()):
            return None
        return cls(key, files, pages, copied, groups)


def _texts(value: Any) -> TypeGuard[list[str]]:
    return type(value) is list and all(type(item) is str for item in value)


def _entries(files: dict[str, Any]) -> dict[str, Entry]:
    """index.json's files as they are, once each is seen to be an Entry's list (ValueError: damaged)."""
    if type(files) is not dict or not all(type(e) is list and len(e) == 3 for e in files.values()):
        raise ValueError("files")
    return files


@dataclass(frozen=True)
class Spare:
    """The output before the previous one, kept beside it to be staged in again (output.py): the
    folder's name (made for it alone) and inode, and the files in which it is behind the previous
    output (changed, added or removed since); every other file of the previous output is the same
    file (a hard link) there."""

    name: str
    inode: int
    behind: frozenset[str]


@dataclass(frozen=True)
class Kept:
    """What a build saves with its files (PageCache.keep)."""

    scanned_with: str
    groups: dict[str, str]
    listed: bytes
    metadata_pages: MetadataPages | None


class _Ref(weakref.ref):  # type: ignore[type-arg]
    """A weak reference that knows the id it was made for."""

    __slots__ = ("key",)
    key: int


class Memo:
    """The forms of objects seen before, by id: one shown on many pages (a department, a record
    made in memory) is hashed once.
    Each object is referred to, so that its id is known to be its own: weakly where the object
    allows (a page's own pager or group leaves the memo with it), strongly otherwise."""

    def __init__(self) -> None:
        self.forms: dict[int, tuple[Callable[[], Any], bytes]] = {}
        self._forget_ref = self._forget  # one bound method for every reference

    def get(self, value: Any) -> bytes | None:
        known = self.forms.get(id(value))
        return known[1] if known is not None and known[0]() is value else None

    def put(self, value: Any, form: bytes) -> None:
        reference: Callable[[], Any]
        try:
            reference = _Ref(value, self._forget_ref)
            reference.key = id(value)
        except TypeError:  # no weak references to it (__slots__)
            reference = lambda: value  # noqa: E731
        self.forms[id(value)] = (reference, form)

    def _forget(self, reference: _Ref) -> None:
        """The object is going: its id may soon be another's."""
        self.forms.pop(reference.key, None)


_PLAIN = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime, PosixPath, WindowsPath})


_AS_IS = frozenset({str, int, bool, bytes, type(None)})  # what _canonical keeps as it is

_FIELDS: dict[type, tuple[str, ...] | None] = {}  # a type → its dataclass fields' names (None: no dataclass)


def _dataclass_fields(kind: type) -> tuple[str, ...] | None:
    try:
        return _FIELDS[kind]
    except KeyError:
        names = tuple(f.name for f in fields(kind)) if is_dataclass(kind) and kind is not type else None
        _FIELDS[kind] = names
        return names


def _plain(value: Any) -> bool:
    """A value `pickled` writes the same way in every run as it is: no set, dict, dataclass or str subclass."""
    kind = type(value)
    if kind in _PLAIN:
        return True
    return (kind is list or kind is tuple) and all(_plain(v) for v in value)


class _Inner:
    """Marks a dataclass written out inside another's fields (pickled as a reference to this class:
    no plain value is a class), so that it is told from a list of the same values."""


def _fields(value: Any, names: tuple[str, ...], memo: Memo) -> list[Any]:
    """A dataclass as its name and its fields in order, for `pickled`: plain values (text, numbers,
    dates, paths, lists of them: most of a record) as they are, a dataclass (a record's body and
    where it is read from) written out the same way inside (_Inner: one pickle a record, not three),
    any other value in canonical form."""
    whole: list[Any] = [value.__class__.__qualname__]
    for name in names:
        field_value = getattr(value, name)
        kind = type(field_value)
        if kind in _PLAIN or _plain(field_value):
            whole.append(field_value)
            continue
        inner = _dataclass_fields(kind)
        whole.append(
            (_Inner, _fields(field_value, inner, memo)) if inner is not None else _canonical(field_value, memo, False)
        )
    return whole


def _canonical(value: Any, memo: Memo, keep: bool = True) -> Any:
    """A structure `pickled` writes the same way in every run (sets sorted, a dataclass as the hash
    of its fields: _fields). A dataclass (a record listed on many pages) is walked once per memo;
    one that is a field of another (a record's body) only as part of it, and not kept: 400,000
    forms at 200,000 records, held through the render stage for no look-up."""
    kind = type(value)
    if kind in _AS_IS:  # most of a page's context
        return value
    if kind is tuple or kind is list:  # a page's inputs: most members as they are, taken without a call each
        return tuple([v if type(v) in _AS_IS else _canonical(v, memo, keep) for v in value])
    names = _dataclass_fields(kind)
    if names is not None:
        made_from = getattr(value, "made_from", b"")
        if made_from:  # the hash of what it was made from (a published record: publicity.select)
            return made_from
        known = memo.get(value)
        if known is not None:
            return known
        # stands for its fields by their hash: a page listing it hashes 32 bytes, not the record
        form = hashlib.sha256(pickled(_fields(value, names, memo))).digest()
        if keep:
            memo.put(value, form)
        return form
    if isinstance(value, dict):  # a record page's context: its keys text, most of its values plain
        return tuple(
            [
                (
                    k if type(k) in _AS_IS else _canonical(k, memo, keep),
                    v if type(v) in _AS_IS else _canonical(v, memo, keep),
                )
                for k, v in value.items()
            ]
        )
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v, memo, keep) for v in value)
    if isinstance(value, (set, frozenset)):
        return tuple(sorted((_canonical(v, memo, keep) for v in value), key=repr))
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, str):
        return str(value)  # Markup and other str subclasses as plain text
    if value is None or isinstance(value, (bool, int, float, bytes)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isfunction(value) and value.__closure__ is None and "<locals>" not in value.__qualname__:
        return f"{value.__module__}.{value.__qualname__}"  # its code is in product(); repr has its address
    return repr(value)


FORM_SIZE = hashlib.sha256().digest_size  # the bytes a dataclass stands for in a key (`form`)


def form(value: Any, memo: Memo) -> Any:
    """What `fingerprint` hashes of `value`: for a dataclass (a record), the FORM_SIZE bytes it stands for."""
    return _canonical(value, memo)


def fingerprint(*parts: Any, memo: Memo | None = None) -> str:
    """The content hash of `parts` (any mix of dataclasses, containers, paths, dates, text);
    `memo` carries the forms of objects seen before (they must not change meanwhile)."""
    return hashlib.sha256(pickled(_canonical(parts, Memo() if memo is None else memo))).hexdigest()


def pickled(value: Any) -> bytes:
    """`value` pickled by its values alone. pickle writes an object met a second time as a
    reference to the first: two equal texts that are one object (the same YAML value read from the
    check cache, whose reader shares them) and two that are not (read from the file) gave two
    keys, and a page rendered again for nothing in the next build. Without its memo ("fast" mode)
    pickle writes every value out; a key's structures are trees, never cycles."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True
    pickler.dump(value)
    return out.getvalue()


def settings(config: Any, leaving: tuple[str, ...] = ("root",)) -> dict[str, Any]:
    """What of the site's settings (a SiteConfig) a key holds: every field, in order, but those
    `leaving` — at least where the site is (`root`), which no page shows. Keys that held it changed
    with the path of the checkout: a CI job in another workspace, its caches restored, rendered
    every page again. (The check cache leaves out more: checkcache.NOT_SETTINGS.)"""
    return {f.name: getattr(config, f.name) for f in fields(config) if f.name not in leaving}


def _output_named(site_root: Path, output: Path) -> str:
    """How index.json names the output it describes: relative to the site when it lies inside (the
    default build/), so that a site checked out at another path with its .cache/ and output (a CI
    runner's workspace that changes from job to job) keeps its incremental builds — named absolutely,
    such a build rendered every page again; else its absolute path."""
    try:
        return output.relative_to(site_root.resolve()).as_posix()
    except ValueError:
        return os.fspath(output)


@lru_cache(maxsize=1)
def product() -> str:
    """The product's own code: a new release or any change of it invalidates every page."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(FORMAT.encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def digest_of(data: bytes) -> str:
    return digester(data).hexdigest()


def digester(data: bytes = b"") -> Any:
    """A running digest_of: update() it with a file's pieces in order, hexdigest() at the end."""
    return hashlib.sha256(data)


def _listed_head(pairs: bytes) -> bytes:
    return f"{product()} {digest_of(pairs)}".encode("ascii")


class PageCache:
    """The previous build's files and keys; `previous` is the output folder they are in."""

    def __init__(self, site_root: Path, previous: Path, deferred: bool = False) -> None:
        """`deferred`: index.json is read by `read`, when the caller has time for it (`looks_incremental`
        meanwhile tells from its first bytes whether it is there for this output)."""
        self.file = site_root / CACHE / INDEX
        self.listed_file = self.file.with_name(LISTED)
        self.previous = previous
        self._previous = os.fspath(previous)
        self._named = _output_named(site_root, previous)
        self.entries: dict[str, Entry] = {}
        self.scanned_with = ""  # the allow list the previous output was scanned with
        self.spare: Spare | None = None  # the output before the previous one, kept beside it (output.py)
        self.groups: dict[str, str] = {}  # a group of pages → the key of all their inputs (render/pages.py)
        self.metadata_pages: MetadataPages | None = None  # as the previous build placed them
        self._kept: Kept | None = None  # what the build adds to its files when it saves (keep)
        self._read = False
        if not deferred:
            self.read()

    @property
    def next_file(self) -> Path:
        return self.file.with_name(NEXT)

    def recover(self) -> None:
        """Before anything is read, holding the build lock: take index.next.json as index.json when it
        describes the output in place — a build stopped after its swap and before renaming its page
        cache (`adopt`) wrote it for the folder now at `previous` (its inode, written first).
        Otherwise it belongs to a build stopped before its swap, and the output and index.json in
        place are still each other's: it is removed."""
        head = self._start()
        try:
            with open(self.next_file, "rb") as written:
                start = written.read(len(head) + 32)
        except OSError:
            return
        try:
            inode: int | None = os.stat(self.previous).st_ino
        except OSError:
            inode = None  # no output: no cache of another folder is left for one made later to match
        try:
            if inode is not None and start.startswith(head + b'"inode":%d,' % inode):
                self.next_file.replace(self.file)
            else:
                self.next_file.unlink()
        except OSError:
            pass  # gone meanwhile: index.json decides as ever

    def looks_incremental(self) -> bool:
        """Whether index.json begins as this release writes it for this output, and that output is
        there: `incremental`, told without reading the rest (116 MB at 200,000 records) — which
        `read` may still find damaged, and then nothing is taken from it."""
        start = self._start()
        try:
            with open(self.file, "rb") as index:
                return index.read(len(start)) == start and self.previous.is_dir()
        except OSError:
            return False

    def read(self) -> None:
        """Take what index.json holds for this output, once; nothing when there is none this release
        wrote, or it is damaged (the build is then a full one)."""
        if self._read:
            return
        self._read = True
        try:
            with heap.paused():  # 650,000 entries at 200k records: collecting while they were made took seconds
                data = jsontext.loads(self.file.read_bytes())  # 116 MB at 200k records: orjson
                if all(data.get(key) == value for key, value in self._head().items()):
                    self.entries = _entries(data["files"])
                    self.scanned_with = str(data.get("scanned_with", ""))
                    self.groups = {str(group): str(key) for group, key in data.get("groups", {}).items()}
                    self.metadata_pages = MetadataPages.from_json(data.get("metadata_pages"))
                    spare = data.get("spare")
                    if spare is not None:
                        self.spare = Spare(
                            str(spare["name"]), int(spare["inode"]), frozenset(map(str, spare["behind"]))
                        )
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            self.entries = {}  # no cache, or one this release cannot read: a full build

    def _head(self) -> dict[str, str]:
        """The first keys of index.json: whose output it describes, in which layout, by which release."""
        return {"format": FORMAT, "product": product(), "output": self._named}

    def _start(self) -> bytes:
        """The bytes index.json begins with (`save` writes `_head` first)."""
        return jsontext.dumps(self._head())[:-1] + b","

    def listed(self) -> dict[bytes, bytes]:
        """The listed form of each record the last build published, by the hash of what it was made
        from (publicity.select takes them, and hashes only the records made from something new);
        empty when there is none this release wrote, or it is damaged. `listed.bin`: a line naming
        the release and the sha256 of the rest, then (made_from, listed_as) pairs of FORM_SIZE bytes."""
        try:
            head, _, pairs = self.listed_file.read_bytes().partition(b"\n")
        except OSError:
            return {}
        pair = 2 * FORM_SIZE
        if head != _listed_head(pairs) or len(pairs) % pair:
            return {}
        return {pairs[i : i + FORM_SIZE]: pairs[i + FORM_SIZE : i + pair] for i in range(0, len(pairs), pair)}

    @property
    def incremental(self) -> bool:
        """The previous output is there with this release's keys: the build renders only what changed."""
        return bool(self.entries) and self.previous.is_dir()

    def reusable(self, rel: str, key: str = "", digest: str = "") -> str | None:
        """The previous output's file `rel` (its path) when its key (or, given `digest`, its bytes) is
        the same. Asked for every page of a build without a spare: the path is joined as text, not as a Path."""
        entry = self.entries.get(rel)
        if entry is None or (key and entry[KEY] != key) or (digest and entry[DIGEST] != digest):
            return None
        path = f"{self._previous}/{rel}"
        try:
            status = os.lstat(path)  # a symbolic link is never taken over
        except OSError:
            return None
        return path if stat.S_ISREG(status.st_mode) and status.st_size == entry[SIZE] else None

    def keep(
        self,
        scanned_with: str,
        groups: dict[str, str] | None = None,
        listed: bytes = b"",
        metadata_pages: MetadataPages | None = None,
    ) -> None:
        """What the build saves with its files when its output is complete (`save`, called by
        output.staging just before the swap): the allow list the output was scanned with, the key of
        each group of pages' inputs (`groups`), the listed forms of the records it published
        (`listed`: the pairs of `listed.bin`) and what its pages made from the published metadata
        alone placed (`metadata_pages`)."""
        self._kept = Kept(scanned_with, groups or {}, listed, metadata_pages)

    def save(self, files: dict[str, Entry], spare: Spare | None, inode: int) -> bool:
        """Write the page cache of the output complete in the folder `inode`, about to replace the
        previous one, as index.next.json (`adopt` renames it once the swap is done; `recover` takes it
        if the build stops between the two). False, and nothing written, when the build kept
        nothing to save (`keep`)."""
        kept = self._kept
        if kept is None:
            return False
        wholefile.write(self.listed_file, _listed_head(kept.listed) + b"\n" + kept.listed)
        # the inode first after the head: `recover` reads it from the first bytes
        head: dict[str, object] = {
            **self._head(),
            "inode": inode,
            "scanned_with": kept.scanned_with,
            "groups": kept.groups,
        }
        if kept.metadata_pages is not None:
            head["metadata_pages"] = kept.metadata_pages.as_json()
        if spare is not None:
            head["spare"] = {"name": spare.name, "inode": spare.inode, "behind": sorted(spare.behind)}
        # a batch of files at a time: a city has 650,000 (and, as when they are read, no collection
        # meanwhile), in the order they were placed: reading them back needs none, and ordering
        # them first took 0.3 s at the end of every edit build
        items = iter(files.items())
        with wholefile.writing(self.file, into=self.next_file) as out, heap.paused():
            out.write(jsontext.dumps(head)[:-1] + b',"files":{')
            separator = b""
            while batch := dict(islice(items, SAVE_BATCH)):
                out.write(separator + jsontext.dumps(batch)[1:-1])
                separator = b","
            out.write(b"}}")
        return True

    def adopt(self) -> None:
        """The output written by `save` is in place: its page cache becomes index.json."""
        self.next_file.replace(self.file)
