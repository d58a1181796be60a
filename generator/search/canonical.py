"""A Pagefind bundle rewritten so that the same pages always give the same bytes.

Pagefind (1.5) builds its filter indexes from hash maps (upstream issue #638): two runs over the
same pages write the values of each filter, and the filters in the metadata, in arbitrary order,
and since every such file is named by a hash of its contents, the names change too — in the
filter files, in `pagefind.<hash>.pf_meta` that lists them, and in `pagefind-entry.json` that
names the metadata. Everything else (fragments, word indexes) is already stable.

So after each run the bundle is put in one canonical form: every filter file's values sorted,
the metadata's filters and sorts sorted by name, each rewritten file gzipped without a timestamp
and named by the SHA-256 of its content (Pagefind's JS only looks files up by the names the
metadata gives, it does not check them), and the entry file pointing at the new metadata.

The files are CBOR (after Pagefind's `pagefind_dcd` signature, gzipped). The small codec here
covers what Pagefind writes — unsigned and negative integers, byte and text strings, arrays and
maps of definite length, simple values — and proves itself on every file before it is trusted:
a file that does not decode and re-encode to exactly its own bytes leaves the bundle as it was.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"
FILTER_HASH = 7  # hex digits in a filter file's name, as Pagefind writes them
META_HASH = 10  # hex digits in the metadata file's name


class NotCanonical(ValueError):
    """A file this module does not understand: the bundle is left untouched."""


# --- CBOR, the subset Pagefind writes -------------------------------------------------------


class _Simple(int):
    """A CBOR simple value (false, true, null, undefined) kept as its number."""


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, size, code in ((24, 1, ">B"), (25, 2, ">H"), (26, 4, ">I"), (27, 8, ">Q")):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + struct.pack(code, value)
    raise NotCanonical("integer too large")


def encode(value: Any) -> bytes:
    if isinstance(value, _Simple):
        return _head(7, int(value))
    if isinstance(value, bool):
        return _head(7, 21 if value else 20)
    if value is None:
        return _head(7, 22)
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(encode(item) for item in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(encode(k) + encode(v) for k, v in value.items())
    raise NotCanonical(f"cannot encode {type(value).__name__}")


def decode(data: bytes) -> Any:
    value, end = _decode(data, 0)
    if end != len(data):
        raise NotCanonical("trailing bytes")
    return value


def _decode(data: bytes, at: int) -> tuple[Any, int]:
    if at >= len(data):
        raise NotCanonical("truncated")
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        if at + size > len(data):
            raise NotCanonical("truncated")
        argument = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise NotCanonical("indefinite length or reserved")  # Pagefind writes definite lengths only
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major in (2, 3):
        if at + argument > len(data):
            raise NotCanonical("truncated")
        raw = data[at : at + argument]
        return (bytes(raw) if major == 2 else raw.decode("utf-8")), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(argument):
            key, at = _decode(data, at)
            mapping[key], at = _decode(data, at)
        return mapping, at
    if major == 7 and info < 24:
        return _Simple(argument), at
    raise NotCanonical("unsupported item")


# --- the bundle -----------------------------------------------------------------------------


def _read(path: Path) -> Any:
    """The CBOR value of a Pagefind file, proven to re-encode to its own bytes."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise NotCanonical(f"{path.name}: no signature")
    body = raw[len(SIGNATURE) :]
    value = decode(body)
    if encode(value) != body:
        raise NotCanonical(f"{path.name}: does not re-encode to itself")
    return value


def _packed(value: Any) -> bytes:
    return gzip.compress(SIGNATURE + encode(value), compresslevel=9, mtime=0)


def _name(packed_value: Any, digits: int) -> str:
    return hashlib.sha256(encode(packed_value)).hexdigest()[:digits]


def _order(item: Any) -> bytes:
    """An item's place: by its first element (a name, a filter value) — text by its UTF-8 bytes."""
    key = item[0] if isinstance(item, list) and item else item
    return key.encode("utf-8") if isinstance(key, str) else encode(key)


def canonicalize(bundle: Path, owner: str = "") -> bool:
    """Rewrite the Pagefind bundle in `bundle` in its canonical form, its page ids made its own
    (`owner`: the shard's name; see `own_ids`); False (bundle untouched) when some file is not what
    this module understands."""
    try:
        plan = _plan(bundle, owner)
    except (NotCanonical, OSError, ValueError, KeyError, IndexError, TypeError, EOFError):
        return False
    for old in plan.remove:
        old.unlink()
    for path, data in plan.write.items():
        path.write_bytes(data)
    return True


class _Plan:
    def __init__(self) -> None:
        self.write: dict[Path, bytes] = {}
        self.remove: list[Path] = []


def own_ids(owner: str) -> str:
    """What a bundle of shard `owner` appends to each page id. Pagefind makes a page's id (zh_ and
    7 hex digits of a hash) unique within its bundle only: among 200,000 pages some 75 pairs share
    one, and the search page, which merges the shards, would lose one page of each pair. With the
    shard's own suffix two pages share an id only if their shards' names share 24 bits of a hash
    too; the index stage still checks (index.py)."""
    return "-" + hashlib.sha256(owner.encode("utf-8")).hexdigest()[:6] if owner else ""


def _plan(bundle: Path, owner: str = "") -> _Plan:
    """Everything canonicalize writes and removes, worked out before anything is touched."""
    entry_path = bundle / ENTRY
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    if json.dumps(entry, ensure_ascii=False, separators=(",", ":")) != entry_path.read_text(encoding="utf-8"):
        raise NotCanonical("entry file not in Pagefind's compact form")
    plan = _Plan()
    for language in entry["languages"].values():
        old_hash = language["hash"]  # e.g. zh_76b3ea3c3e
        prefix = old_hash.rsplit("_", 1)[0] + "_"
        meta_path = bundle / f"pagefind.{old_hash}.pf_meta"
        meta = _read(meta_path)
        # [version, pages, index_chunks, filters [[name, hash]…], sorts [[name, pages]…], …]
        renamed: dict[str, str] = {}
        for filter_path in sorted((bundle / "filter").glob(f"{prefix}*.pf_filter")):
            index = _read(filter_path)  # [filter name, [[value, [page numbers]]…]]
            index[1] = sorted(index[1], key=_order)
            new = f"{prefix}{_name(index, FILTER_HASH)}"
            if new in renamed.values():
                raise NotCanonical("two filters of one content")
            renamed[filter_path.name.removesuffix(".pf_filter")] = new
            plan.remove.append(filter_path)
            plan.write[bundle / "filter" / f"{new}.pf_filter"] = _packed(index)
        filters = meta[3]
        for item in filters:
            item[1] = renamed[item[1]]
        if len(renamed) != len(filters):
            raise NotCanonical("filter files and metadata disagree")
        meta[3] = sorted(filters, key=_order)
        suffix = own_ids(owner)
        for page in meta[1]:  # [id, word count]: the fragment is fragment/<id>.pf_fragment
            if suffix and "-" not in page[0]:  # not yet renamed (canonicalize is idempotent)
                fragment = bundle / "fragment" / f"{page[0]}.pf_fragment"
                page[0] += suffix
                plan.remove.append(fragment)
                plan.write[bundle / "fragment" / f"{page[0]}.pf_fragment"] = fragment.read_bytes()
        if len(meta) > 4 and isinstance(meta[4], list):
            meta[4] = sorted(meta[4], key=_order)
        new_hash = f"{prefix}{_name(meta, META_HASH)}"
        plan.remove.append(meta_path)
        plan.write[bundle / f"pagefind.{new_hash}.pf_meta"] = _packed(meta)
        language["hash"] = new_hash
    plan.write[entry_path] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # a file removed and written under the same name is simply rewritten
    plan.remove = [path for path in plan.remove if path not in plan.write]
    return plan
