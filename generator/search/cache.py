"""The shard cache: each shard's last bundle under <site>/.cache/search/<shard>/, with its key.

The output folder is rebuilt in a staging folder on every build; the cache lives outside it,
so an unchanged shard is copied instead of indexed again.

An entry is written whole or not at all, and checked before it is trusted. A new bundle is made
in a scratch folder of its own (`.new-PID-RANDOM`, never shared with another build) and renamed to
a fresh `bundle-RANDOM`; then the key file — the key, the measurement, and the manifest of the
bundle (every file with its size and SHA-256) — is written to a temporary file and renamed over
`key`, last. `get` trusts a bundle only if the key matches and the bundle folder holds exactly
the files of the manifest, each of its size and hash: a bundle left half-made, half-removed or
altered is indexed again, never published. Unless the output already holds every file of it as
a build copied them from this entry (index.in_output): those copies, checked when they were
made, are placed again, and the cache's files are not looked at.

Beside the key file, `digests.json` names the bundle it belongs to and the hash of each of its pages
as rendered when it was made. A shard indexed again takes the document text of each page whose
bytes are still those from the bundle's fragment (`known_texts`; each fragment checked against the
manifest), rather than reading and parsing the page: at 200,000 records an edit re-indexes a shard
of 620 pages, of which one is new.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import jsontext
from ..output import files_under, pid_running
from . import order
from .bundle import Measurement
from .docs import FILTERS

# JSON: key, bundle (folder name), seconds, peak_kib, files {path: [size, sha256, mtime_ns, inode]}, pages;
# and, once known, inputs (the shard's inputs the key was found for: shards.inputs) and filters
# (each filter value's count of pages: docs.filter_counts)
KEY = "key"
# 4: with each page's [date, URL, id] (search/order.py `pages`); 5: bundles with heads/; 6: the key
# hashes the pages' texts, not their bytes (docs.key), and digests.json keeps each page's text digest
FORMAT = 6
BUNDLE = "bundle-"  # a complete bundle: bundle-RANDOM
SCRATCH = ".new-"  # a bundle being made: .new-PID-RANDOM
ENTRY = "pagefind-entry.json"  # every bundle has it
# {"bundle": its folder name, "pages": {output path: SHA-256}, "texts": {output path: text digest}}
# of the pages published in full: each one's bytes and document text (docs.text_digest) when indexed
DIGESTS = "digests.json"


@dataclass(frozen=True)
class Cached:
    bundle: Path
    measurement: Measurement  # of the build that made the bundle
    pages: list[list[str]]  # [date, URL, id] of each page (order.pages), read when it was made
    # its manifest: each file's size, SHA-256 and status (verified, unless `trust` found them: get)
    files: dict[str, list[object]]
    filters: dict[str, dict[str, int]] | None = None  # its pages' filter values counted; None: not kept


def manifest(bundle: Path) -> dict[str, list[object]]:
    """Every file under `bundle` (POSIX path relative to it) with its size, SHA-256 and status;
    OSError if it holds a symbolic link."""
    files: dict[str, list[object]] = {}
    for rel in files_under(bundle, links=False):
        data = (bundle / rel).read_bytes()
        files[rel] = [len(data), hashlib.sha256(data).hexdigest(), *_status(os.lstat(bundle / rel))]
    return files


def _status(status: os.stat_result) -> list[int]:
    """What a manifest keeps of a file's status besides its size."""
    return [status.st_mtime_ns, status.st_ino]


def copy_status(entry: list[object]) -> tuple[int, int, int]:
    """A manifest entry's size, modification time and inode: what Output.copy keys a copied file by."""
    size, _, mtime_ns, inode = entry
    return int(str(size)), int(str(mtime_ns)), int(str(inode))


def verified(bundle: Path, files: dict[str, list[object]]) -> bool | None:
    """Whether `bundle` holds exactly the files of the manifest `files`, each of its size and hash:
    True, or None when some file's status had to be recorded anew in `files` (its bytes read and
    found right); False when the bundle is not whole (or holds a symbolic link)."""
    try:
        found = files_under(bundle, links=False)
    except OSError:
        return False
    if files.keys() != set(found):
        return False
    whole: bool | None = True
    for rel in found:
        path = bundle / rel
        size, digest, *status = files[rel]
        now = os.lstat(path)
        if now.st_size == size and _status(now) == status:
            continue
        data = path.read_bytes()
        if len(data) != size or hashlib.sha256(data).hexdigest() != digest:
            return False
        files[rel] = [size, digest, *_status(now)]
        whole = None
    return whole


def _counts(value: object) -> dict[str, dict[str, int]] | None:
    """A key file's filter counts if they have their form (filter → value → count), else None."""
    if not isinstance(value, dict) or not set(value) <= set(FILTERS):
        return None
    for counted in value.values():
        if not isinstance(counted, dict) or not all(type(n) is int for n in counted.values()):
            return None
    return value


class ShardCache:
    def __init__(self, root: Path) -> None:
        self.root = root

    def entry(self, shard: str) -> dict[str, object] | None:
        """The key file of `shard` as read (not yet checked: `get` does); None if there is none."""
        try:
            data = jsontext.loads((self.root / shard / KEY).read_bytes())  # 650 of them at 200,000 records
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("format") == FORMAT else None

    def get(
        self,
        shard: str,
        key: str,
        trust: Callable[[dict[str, list[object]]], bool] | None = None,
        data: dict[str, object] | None = None,
    ) -> Cached | None:
        """The cached bundle of `shard` if made for `key` and whole (its manifest verified) — or if
        `trust` finds its manifest's files in the output already (copies of these very files, as
        the last build placed them): then they are placed from there and none of these is read.
        `data`: its key file, when `entry` has just read it."""
        data = data or self.entry(shard)
        if data is None or data.get("key") != key:
            return None
        try:
            name, files, pages = str(data["bundle"]), data["files"], data["pages"]
            measurement = Measurement(float(str(data["seconds"])), int(str(data["peak_kib"])))
            if not name.startswith(BUNDLE) or "/" in name or not isinstance(files, dict) or ENTRY not in files:
                return None
            if not isinstance(pages, list) or not all(
                isinstance(page, list) and len(page) == 3 and all(isinstance(v, str) for v in page) for page in pages
            ):
                return None
            bundle = self.root / shard / name
            filters = _counts(data.get("filters"))
            if trust is not None and trust(files):
                return Cached(bundle, measurement, pages, files, filters=filters)
            whole = False if bundle.is_symlink() else verified(bundle, files)
            if whole is False:
                return None
            if whole is None:  # the statuses recorded anew: the next build reads none of these files
                self._write(self.root / shard, data)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return Cached(bundle, measurement, pages, files, filters=filters)

    def note(
        self,
        shard: str,
        data: dict[str, object],
        inputs: str | None,
        filters: dict[str, dict[str, int]],
        digests: Mapping[str, str] | None = None,
        texts: Mapping[str, str] | None = None,
    ) -> None:
        """Keep in the key file `data` of `shard` (as `get` just found it good) the shard's inputs
        its key was found for (None: it has none) and its filter counts, so the next build with the
        same inputs needs neither its Docs nor its key computed. `digests` and `texts`: the hash of
        each page's bytes now, and of its document text, which the key found the same as when the
        bundle was made (a changed template): the next build then knows each text by its page's
        bytes, as it would after indexing the shard."""
        data["filters"] = filters
        if inputs is not None:
            data["inputs"] = inputs
        if digests is not None and texts is not None:
            self._write(self.root / shard, _digests_file(str(data["bundle"]), digests, texts), DIGESTS)
        self._write(self.root / shard, data)

    def scratch(self, shard: str) -> Path:
        """A folder path of this build alone for a new bundle of `shard` (not yet created: the
        indexer makes it); `put` moves it into place, `discard` removes it."""
        folder = self.root / shard
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{SCRATCH}{os.getpid()}-{secrets.token_hex(4)}"

    def discard(self, scratch: Path) -> None:
        shutil.rmtree(scratch, ignore_errors=True)

    def put(
        self,
        shard: str,
        key: str,
        measurement: Measurement,
        scratch: Path,
        inputs: str | None = None,
        filters: dict[str, dict[str, int]] | None = None,
        digests: Mapping[str, str] | None = None,
        texts: Mapping[str, str] | None = None,
    ) -> Cached:
        """Make the complete bundle in `scratch` the entry of `shard` for `key` (found for `inputs`:
        shards.inputs; its pages' filter values counted: `filters`; the hash of each page indexed,
        by its output path: `digests`, and of its document text: `texts`)."""
        folder = self.root / shard
        files = manifest(scratch)
        pages = order.pages(scratch)
        if ENTRY not in files:
            raise OSError(f"{scratch} holds no {ENTRY}")
        bundle = folder / f"{BUNDLE}{secrets.token_hex(8)}"
        scratch.rename(bundle)
        data = {
            "format": FORMAT,
            "key": key,
            "bundle": bundle.name,
            "seconds": measurement.seconds,
            "peak_kib": measurement.peak_kib,
            "files": files,
            "pages": pages,
        }
        if inputs is not None:
            data["inputs"] = inputs
        if filters is not None:
            data["filters"] = filters
        if digests is not None and texts is not None:
            # before the key file: until it names the bundle, these name another
            self._write(folder, _digests_file(bundle.name, digests, texts), DIGESTS)
        self._write(folder, data)  # last: the entry now names the new bundle
        self._tidy(folder, keep=bundle.name, leftovers=False)
        return Cached(bundle, measurement, pages, files, filters=filters)

    def _write(self, folder: Path, data: dict[str, object], name: str = KEY) -> None:
        """The key file (or another file `name`) of `folder`, written whole, then renamed over the old one."""
        partial = folder / f"{KEY}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        with open(partial, "wb") as sink:
            sink.write(jsontext.dumps(data))
            sink.flush()
            os.fsync(sink.fileno())
        partial.replace(folder / name)

    def text_digests(self, shard: str, digests: Mapping[str, str], data: dict[str, object] | None) -> dict[str, str]:
        """The text digest (docs.text_digest) of each page of `digests` (output path → SHA-256 of the
        page now) whose bytes are those `shard`'s cached bundle (of the key file `data`, as `entry`
        read it) was made from, as `digests.json` keeps it; a page it does not know is left out
        (its text is read: index.py)."""
        kept = self._digests_kept(shard, data)
        if kept is None:
            return {}
        pages, texts = kept
        found: dict[str, str] = {}
        for path, digest in digests.items():
            text = texts.get(path)
            if pages.get(path) == digest and isinstance(text, str):
                found[path] = text
        return found

    def _digests_kept(
        self, shard: str, data: dict[str, object] | None
    ) -> tuple[dict[str, object], dict[str, object]] | None:
        """`digests.json` of `shard` — each page's byte hash and text digest — when it belongs to the
        bundle the key file `data` names; else None."""
        if data is None:
            return None
        try:
            kept = jsontext.loads((self.root / shard / DIGESTS).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(kept, dict) or kept.get("bundle") != data.get("bundle"):
            return None
        pages, texts = kept.get("pages"), kept.get("texts")
        return (pages, texts) if isinstance(pages, dict) and isinstance(texts, dict) else None

    def known_texts(self, shard: str, digests: Mapping[str, str]) -> dict[str, str]:
        """The document text (docs.shown) of each page of `digests` (output path → SHA-256 of the page
        now) whose bytes are those `shard`'s cached bundle was made from, as that bundle's fragment
        holds it; a page whose fragment is missing, damaged or not the manifest's is left out (it is
        read from the page)."""
        data = self.entry(shard)
        kept = self._digests_kept(shard, data)
        if data is None or kept is None:
            return {}
        pages = kept[0]
        try:
            name, files, listed = data["bundle"], data["files"], data["pages"]
            if not isinstance(name, str) or not name.startswith(BUNDLE) or "/" in name:
                return {}
            if not isinstance(files, dict) or not isinstance(listed, list):
                return {}
            ids = {url: page for _, url, page in listed if isinstance(page, str) and "/" not in page}
        except (OSError, ValueError, KeyError, TypeError):
            return {}
        bundle = self.root / shard / name
        found: dict[str, str] = {}
        for path, digest in digests.items():
            rel = f"fragment/{ids.get('/' + path)}{order.FRAGMENT}"
            if pages.get(path) != digest or rel not in files:
                continue
            try:
                raw = (bundle / rel).read_bytes()
                if hashlib.sha256(raw).hexdigest() != files[rel][1]:
                    continue
                text = order.fragment(raw)["content"]
            except (OSError, EOFError, zlib.error, ValueError, KeyError, TypeError, IndexError):
                continue
            if isinstance(text, str):
                found[path] = text
        return found

    def _tidy(self, folder: Path, keep: str | None, leftovers: bool = True) -> None:
        """Remove from `folder` every bundle but `keep` and the files of the earlier cache layout
        (`bundle`, `stats.json`); with `leftovers`, also what crashed builds left there: scratch
        folders and temporary key files of this process (its own shards are all done by then) or
        of processes no longer running."""
        for path in folder.iterdir():
            name = path.name
            if name.startswith(SCRATCH) or name.endswith(".tmp"):
                pid = name.removeprefix(SCRATCH).removeprefix(f"{KEY}.").split("-")[0]
                if not leftovers or (pid.isdigit() and int(pid) != os.getpid() and pid_running(int(pid))):
                    continue
            elif not (name.startswith(BUNDLE) and name != keep) and name not in ("bundle", "stats.json"):
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    def keep_only(self, shards: dict[str, str | None]) -> None:
        """Drop the bundles of shards that no longer exist (a department removed or emptied), and
        in the others every folder but the bundle `shards` names for it (None: the one its key file
        names)."""
        if self.root.is_dir():
            for folder in self.root.iterdir():
                if folder.is_dir() and folder.name not in shards:
                    shutil.rmtree(folder, ignore_errors=True)
                elif folder.is_dir():
                    keep = shards[folder.name]
                    if keep is None:
                        data = self.entry(folder.name)
                        keep = str(data.get("bundle")) if data else None
                    self._tidy(folder, keep=keep)


def _digests_file(bundle: str, digests: Mapping[str, str], texts: Mapping[str, str]) -> dict[str, object]:
    """DIGESTS of the pages `digests` (and their `texts`) of the bundle named `bundle`."""
    return {"bundle": bundle, "pages": dict(digests), "texts": {page: texts[page] for page in digests}}
