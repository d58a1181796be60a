"""The check cache: what `check` learnt from each record file, so the next check parses only what changed.

`<site>/.cache/check/<xx>.json` (256 shards by the first two hex digits of the hash) hold one
entry per record file, keyed by the sha256 of its bytes (a shard: one line naming the release,
the settings and the sha256 of the rest, then the entries as one JSON object):

- what loading it gave: the front matter as parsed (the values as one JSON text, each date as
  its ISO text with its place noted in the same text, and a tag for the other values JSON has
  no form of — binary, sets, a date inside a set…; the line of every key as another,
  decoded only when a line is looked up), the line the body starts on, and its FMT001
  findings — the body itself is cut from the file again when it is read (only the YAML parse
  is costly);
- the links and raw HTML of the body (the Markdown parse), with their lines;
- under the site settings' fingerprint: the validation findings that read nothing but the
  record itself and site.yaml (FMT002 types, FMT004, FMT005, FMT006), the secrecy check's
  front-matter findings that read nothing else either (SEC001–SEC005, SEC010 but its dates, SEC011, SEC018),
  and the secrecy candidates (SEC006–SEC009, SEC012, SEC014–SEC017 with their fingerprints and allow-list
  keys) together with the hashes of the attachments they were read from;
- a mask of the parts above that hold nothing (no finding, link or candidate: most records), so
  that a check answers for them without looking at them (EMPTY_PARTS).

What looks at other files or at the date is computed again on every check from the cached
metadata: duplicate 索引号 and the department's code, whether link targets and attachments
exist, sign-offs (matched against the cached candidates), 解读 pairs, SEC010's dates, staleness. So a
cached result is never a stale finding, and the findings are the same, in the same order,
with or without the cache.

Every shard names the product's code and the parser libraries it was written with
(`pagecache.product()`): a new release or any change of the code ignores it. A shard that
cannot be read is ignored, and rewritten; the cache is safe to delete. Shards are written
whole, then renamed, and only when an entry was added or one fell out of use (a warm check
with nothing changed writes nothing). The format is JSON: the cache never runs what it reads.

`files.status` holds each record file's status (size, modification and change times, inode) when
a check last read it whole, and — when the file had not changed for SETTLED_NS before that check
began — the hash of the bytes it read. A file whose status is that one again is not read: its
entry is the one of that hash (`vouched`; any write since would show in the change time, which
no tool sets back — git trusts its index the same way, with the same care for the racy case of a
file written just before). Its body is read only when asked for, and only if the bytes still
have that hash (load.VouchedBody). The status is also what generator.recordwork goes by to
spread the files a check has not seen over the cores.
An entry may also keep `facts`: what the pages need of the body (its first sentence, the summary
of a record that gives none; its length; its link targets), found the first time a build publishes it.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import json
import math
import os
import stat
import sys
import time
from pathlib import Path
from typing import Any, Iterable

import orjson

from . import jsontext, limits, pagecache, wholefile, yamlsrc
from .config import SiteConfig
from .errors import DisclosureError
from .findings import Finding
from .load import Status, status_of
from .markdown import BodyFacts
from .rules import BLOCK, OFF, RULES, WARN

SEVERITIES = ("", BLOCK, WARN, OFF)

CACHE = Path(".cache") / "check"
FORMAT = "6"  # the layout of a shard
SIGNATURES = "files.status"  # record file → its status when last loaded whole, and its hash when settled (JSON)
SETTLED_NS = 2_000_000_000  # a file unchanged this long before a check began is vouched for by its status
CLOCK = time.time_ns  # the clock a check's start is read from: the one file change times are on
CHANGE_TIMES = os.name != "nt"  # on Windows st_ctime is the creation time: no status vouches for a file there
MARK = "\u0000"  # the one key of a JSON object that stands for a value JSON has no form of
NOT_SETTINGS = ("root", "parsed", "rules", "today")  # severities are applied later; `today` is not read
SETTINGS_PARTS = ("own", "meta", "sec")  # the parts of an entry found under the site settings' fingerprint
NO_ATTACHMENTS: list[Any] = ["", []]  # the attachments key of a record without any (attachments_key)
# Each part of an entry as written when it holds nothing to replay (no finding, no link, no
# candidate: most records of a site), and its bit in the entry's QUIET mask, which `save` writes
# from the parts. A check then answers for such a part from the mask, read with the entry's front
# matter, and never looks at the part: in 200,000 entries each look costs a cache miss.
EMPTY_PARTS: dict[str, list[Any]] = {
    "load": [],
    "own": [[], []],
    "meta": [[]],
    "scan": [[], []],
    "sec": [NO_ATTACHMENTS, []],
}
QUIET_BITS = {part: 1 << i for i, part in enumerate(EMPTY_PARTS)}
QUIET = "quiet"


# a file a worker read whole (CheckCache.read_here): its name, status and hash, and the entry it made
ReadElsewhere = tuple[str, list[Any], str, dict[str, Any] | None]


class Uncacheable(ValueError):
    """A value the cache does not keep (a YAML alias or a type JSON cannot carry): parsed every time."""


# --- values: YAML front matter as JSON, exactly ------------------------------------------------


Place = list[str | int]  # where a value lies in a front matter: its keys and list indices from the top


def _encode(value: Any, seen: set[int], at: Place | None = None, dates: list[Place] | None = None) -> Any:
    """`value` in JSON's types, each value JSON has no form of tagged (MARK). With `dates`, a date
    reached through mappings of text keys and lists (`at`: where `value` lies) is written as its
    ISO text and its place noted in `dates` instead: a front matter's dates, read back without
    walking the whole value (load_front)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:  # most values
        return value
    if kind is float and math.isfinite(value):
        return value
    if kind is list or kind is dict:  # most containers (and every key path of the lines table)
        return _container(value, seen, at, dates)
    if kind is dt.date:  # a front matter's dates
        if at is not None and dates is not None:
            dates.append(at)
            return value.isoformat()
        return {MARK: ["date", value.isoformat()]}
    if isinstance(value, (bool, str)):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return {MARK: ["float", repr(value)]}  # JSON has no NaN or infinity (orjson would write null)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple, set, dict)):
        return _container(value, seen, at, dates)
    if isinstance(value, dt.datetime):
        return {MARK: ["datetime", value.isoformat()]}
    if isinstance(value, dt.date):
        return {MARK: ["date", value.isoformat()]}
    if isinstance(value, bytes):
        return {MARK: ["bytes", base64.b64encode(value).decode("ascii")]}
    raise Uncacheable(type(value).__name__)


def _container(
    value: list[Any] | tuple[Any, ...] | set[Any] | dict[Any, Any],
    seen: set[int],
    at: Place | None = None,
    dates: list[Place] | None = None,
) -> Any:
    """A list, tuple, set or mapping with each item encoded; a date inside a tagged one (a tuple, a
    set, a mapping with other keys than text) is tagged too, not placed."""
    if id(value) in seen:  # an alias: one object in two places (or in itself); kept out
        raise Uncacheable("alias")
    seen.add(id(value))
    if isinstance(value, list):
        if at is None:
            return [_encode(v, seen) for v in value]
        return [_encode(v, seen, [*at, i], dates) for i, v in enumerate(value)]
    if isinstance(value, tuple):
        return {MARK: ["tuple", [_encode(v, seen) for v in value]]}
    if isinstance(value, set):
        return {MARK: ["set", [_encode(v, seen) for v in value]]}
    if all(type(k) is str and k != MARK for k in value):
        if at is None:
            return {k: _encode(v, seen) for k, v in value.items()}
        return {k: _encode(v, seen, [*at, k], dates) for k, v in value.items()}
    return {MARK: ["map", [[_encode(k, seen), _encode(v, seen)] for k, v in value.items()]]}


def dump_front(value: Any) -> str:
    """A front matter as the JSON text of a pair: the value with each date as its ISO text, and
    the places of those dates (one text: 200,000 lists of places held apart took 100 MB more);
    Uncacheable for what it cannot carry exactly."""
    dates: list[Place] = []
    encoded = _encode(value, set(), [], dates)
    return jsontext.dumps([encoded, dates]).decode("utf-8", "surrogatepass")


def load_front(text: str) -> Any:
    """Fresh objects from `dump_front`'s text, every call, with each date at its place: the value
    is walked for tags only when its text holds one (at 200,000 records, walking each front matter
    for its dates took 0.6 s of a check). ValueError, KeyError, IndexError or TypeError: not what
    dump_front wrote."""
    try:
        value, dates = orjson.loads(text)  # a few times faster than json's; the tags are undone after
    except orjson.JSONDecodeError:  # what orjson refuses (a lone surrogate, an integer past 64 bits)
        value, dates = _DECODER.decode(text)
    else:
        if _TAGGED in text:
            value = _untag(value)
    for place in dates:
        holder = value
        for step in place[:-1]:
            holder = holder[step]
        holder[place[-1]] = dt.date.fromisoformat(holder[place[-1]])
    return value


_TAGGED = f"{jsontext.dumps(MARK).decode()}:"  # a tag's key as JSON writes it: no other key is MARK (_container)


def _untag(value: Any) -> Any:
    """The tagged values in `value` (parsed without object_hook) back to what YAML gave, innermost first."""
    if type(value) is dict:
        if len(value) == 1 and MARK in value:
            kind, inner = value[MARK]
            if kind == "date":  # most tags by far: a front matter's dates, read without a second call
                return dt.date.fromisoformat(inner)
            return _decoded(kind, _untag(inner) if type(inner) is dict or type(inner) is list else inner)
        for key, item in value.items():
            if type(item) is dict or type(item) is list:
                value[key] = _untag(item)
    elif type(value) is list:
        for i, item in enumerate(value):
            if type(item) is dict or type(item) is list:
                value[i] = _untag(item)
    return value


def _decode_object(obj: dict[str, Any]) -> Any:
    """json.loads' object_hook: a tagged value back to what YAML gave (inner values come decoded)."""
    if MARK not in obj or len(obj) != 1:
        return obj
    kind, value = obj[MARK]
    return _decoded(kind, value)


def _decoded(kind: str, value: Any) -> Any:
    """The value of a tag (`kind`, with its inner value decoded already)."""
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "datetime":
        return dt.datetime.fromisoformat(value)
    if kind == "map":
        return {k: v for k, v in value}
    if kind == "tuple":
        return tuple(value)
    if kind == "set":
        return set(value)
    if kind == "bytes":
        return base64.b64decode(value)
    if kind == "float":
        return float(value)
    raise ValueError(f"unknown cached value {kind!r}")


_DECODER = json.JSONDecoder(object_hook=_decode_object)  # made once: json.loads(text, object_hook=…) makes one a call


# --- findings: everything but the file, which is the record's own ----------------------------


def _finding_out(finding: Finding, file: str, dept: str) -> list[Any]:
    if finding.file != file or finding.dept not in (dept, "") or finding.changed is not None:
        raise Uncacheable("finding")
    fix = "" if finding.fix == RULES[finding.rule].fix else finding.fix
    if finding.severity not in SEVERITIES:
        raise Uncacheable("severity")
    return [
        finding.rule,
        finding.line,
        finding.message,
        fix,
        finding.severity,
        finding.excerpt,
        finding.fingerprint,
        1 if finding.dept else 0,
    ]


def _finding_in(data: list[Any], file: str, dept: str) -> Finding:
    rule, line, message, fix, severity, excerpt, fingerprint, with_dept = data
    if (
        rule not in RULES
        or type(line) is not int
        or severity not in SEVERITIES
        or not all(isinstance(v, str) for v in (message, fix, severity, excerpt, fingerprint))
    ):
        raise ValueError("finding")
    return Finding(
        rule,
        file,
        line,
        message,
        fix,
        severity=severity,
        excerpt=excerpt,
        fingerprint=fingerprint,
        dept=dept if with_dept else "",
    )


def _findings_out(findings: Iterable[Finding], file: str, dept: str) -> list[list[Any]]:
    return [_finding_out(f, file, dept) for f in findings]


def _findings_in(data: list[list[Any]], file: str, dept: str) -> list[Finding]:
    return [_finding_in(f, file, dept) for f in data]


# --- the key ---------------------------------------------------------------------------------


def version() -> str:
    """The code and the parsers a shard was written with."""
    import markdown_it
    import yaml

    return pagecache.fingerprint(
        FORMAT,
        pagecache.product(),
        sys.version,
        yaml.__version__,
        yamlsrc._Loader.__name__,
        markdown_it.__version__,
        repr(limits.active()),
    )  # what a file may hold decides how it loads


def settings(config: SiteConfig) -> str:
    """The site settings the cached checks read (doc_types, categories, topics, sensitive_terms…);
    the whole of site.yaml but the severities and `today`, which are applied afresh."""
    return pagecache.fingerprint(*pagecache.settings(config, NOT_SETTINGS).values())


def readers() -> str:
    """The libraries that read attachments: an upgrade reads every attachment again."""
    from importlib import metadata

    found = []
    for name in ("pypdf", "python-docx", "openpyxl", "pillow"):
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=")
    return ",".join(found)


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclasses.dataclass
class Loaded:
    """A record file as loading it gave it: its findings, and its front matter (None: not loaded)."""

    findings: list[Finding]
    parsed: yamlsrc.Parsed | None
    body_line: int
    digest: str  # the sha256 of the file's bytes


class CheckCache:
    """The entries of every shard, the record files of this check (file → hash) and what changed."""

    def __init__(self, site_root: Path, config: SiteConfig) -> None:
        self.folder = site_root / CACHE
        self.version = version()
        self.settings = settings(config)
        self.entries: dict[str, dict[str, Any]] = {}  # hash → entry
        # shard → the hashes it was read with or given since, in that order (some may be dropped since):
        # saving a few shards looks at their entries, not at all 200,000 of a city's
        self.members: dict[str, dict[str, None]] = {}
        self.files: dict[str, str] = {}  # record file → the hash of its bytes, for the later stages
        self.used: set[str] = set()
        self.dirty: set[str] = set()  # shards to write again
        self._used_when_saved = -1  # how many entries were in use when last saved (save)
        self.on_disk: set[str] = set()
        self.resettled = False  # a shard was written under other site settings: its SETTINGS_PARTS are gone
        self.fresh: set[str] = set()  # entries computed or completed by this check
        self.signatures: dict[str, list[Any]] = {}  # record file → its status when last loaded whole, hash or ""
        self._signatures_saved: dict[str, list[Any]] | None = None  # as this process last wrote them
        self.seen: dict[str, list[Any]] = {}  # record file → its status as this check read it, hash or ""
        self.read_whole: set[str] = set()  # record files whose bytes this check read (not vouched for by status)
        self._statused: dict[str, Status] = {}  # file → its status as `holds` was given or read it
        self._read_elsewhere: dict[str, tuple[list[Any], str]] = {}  # file → (status, hash) as a worker read it
        self.started_ns = CLOCK()
        self._readers = ""
        self._quiet: dict[str, int] = {}  # record file → its entry's QUIET mask, as `_loaded` read it
        self._load()
        self._load_signatures()

    # -- reading and writing the shards

    def _load(self) -> None:
        try:
            names = sorted(os.listdir(self.folder))
        except OSError:
            return
        for name in names:
            shard = name[:-5]
            if not name.endswith(".json") or len(shard) != 2:
                continue
            self.on_disk.add(shard)
            try:
                if not stat.S_ISREG(os.stat(self.folder / name).st_mode):
                    raise ValueError("not a file")  # a FIFO would never end
                head, _, body = (self.folder / name).read_bytes().partition(b"\n")
                data = json.loads(head)
                if data.get("format") != FORMAT or data.get("version") != self.version:
                    raise ValueError("another release")
                if data.get("sha256") != digest_of(body):
                    raise ValueError("damaged")
                entries = jsontext.loads(body)
                if not isinstance(entries, dict):
                    raise ValueError("entries")
                same_settings = data.get("settings") == self.settings
                for digest, entry in entries.items():
                    if not isinstance(entry, dict) or not digest.startswith(shard):
                        raise ValueError("entry")
                    if not same_settings:
                        for part in SETTINGS_PARTS:
                            entry.pop(part, None)
                        _mark_quiet(entry)
                    self.entries[digest] = entry
                self.members[shard] = dict.fromkeys(entries)
                if not same_settings:
                    self.dirty.add(shard)
                    self.resettled = True
            except (OSError, ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError):
                self.dirty.add(shard)  # unreadable or from another release: rewritten, never an error
                for digest in [d for d in self.entries if d.startswith(shard)]:
                    del self.entries[digest]

    def save(self, statuses: bool = True) -> None:
        """Write every shard that gained an entry or holds one no record uses any more; never fails.
        Saved again (a build's check, then the facts of its bodies), it writes only what changed
        since: nothing at all, when nothing did. `statuses=False`: what changed since the last save
        is no file's status nor what an entry holds of the check (the bodies' facts are added): the
        files' statuses are not gathered again to be compared (200,000 entries looked at)."""
        if not self.dirty and len(self.used) == self._used_when_saved:
            return
        if statuses:
            self._save_signatures()
        shards: dict[str, dict[str, Any]] = {}
        for digest in self.entries.keys() - self.used:  # a set operation: 200,000 entries
            del self.entries[digest]  # fell out of use: dropped
            self.dirty.add(digest[:2])
        entries = self.entries
        for shard in self.dirty:  # only these are written
            held = {digest: entries[digest] for digest in self.members.get(shard, ()) if digest in entries}
            if held:
                shards[shard] = held
        for shard in self.dirty:
            for entry in shards.get(shard, {}).values():
                _mark_quiet(entry)
        for shard in sorted(self.dirty):
            path = self.folder / f"{shard}.json"
            try:
                if shard not in shards:
                    if shard in self.on_disk:
                        path.unlink(missing_ok=True)
                    continue
                body = jsontext.dumps(shards[shard])
                head = json.dumps(
                    {"format": FORMAT, "version": self.version, "settings": self.settings, "sha256": digest_of(body)}
                ).encode("ascii")
                wholefile.write(path, head + b"\n" + body)
            except (OSError, ValueError, TypeError, RecursionError):
                pass  # a read-only checkout, a full disk: the next check is a cold one for these records
        self.dirty.clear()
        self._used_when_saved = len(self.used)

    # -- which files a check has seen whole before (only to decide what to spread over workers)

    def _load_signatures(self) -> None:
        try:
            path = self.folder / SIGNATURES
            if not stat.S_ISREG(os.stat(path).st_mode):
                return
            data = jsontext.loads(path.read_bytes())
            if data.get("version") == self.version and data.get("settings") == self.settings:
                files = data["files"]
                if isinstance(files, dict):
                    self.signatures = files
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
            self.signatures = {}

    def _save_signatures(self) -> None:
        seen, entries, saved = self.seen, self.entries, self.signatures
        whole = {}  # 200,000 files: _whole's test written out, in C where it can be
        for file, digest in self.files.items():
            status = seen.get(file)
            if status is None:
                continue
            if status is saved.get(file):
                # vouched for by the status saved (`vouched`): its entry was whole then, and entries
                # only gain parts (one dropped since is only a file read again: `vouched` reads it)
                whole[file] = status
                continue
            entry = entries.get(digest)
            if entry is not None and ("front" not in entry or entry.keys() >= WHOLE_PARTS):
                whole[file] = status
        if whole == (self.signatures if self._signatures_saved is None else self._signatures_saved):
            return
        data = {"version": self.version, "settings": self.settings, "files": whole}
        with contextlib.suppress(OSError, ValueError):
            wholefile.write(self.folder / SIGNATURES, jsontext.dumps(data))
            self._signatures_saved = whole

    def holds(self, path: str | Path, file: str, status: Status | None = None) -> bool:
        """Whether the file (`file`: its name relative to the site), unchanged by its status (size,
        modification and change times, inode), was loaded whole by the last check: then its own
        work is not spread over the workers. `status`: as the walk read it (load.WalkApart), else
        read here."""
        known = self.signatures.get(file)
        if known is None:
            return False
        if status is None:
            try:
                read = os.stat(path)
            except OSError:
                return False
            status = status_of(read)
        self._statused[file] = status  # for `vouched`: one stat a file (the walk's tuple, not a copy)
        return known[:4] == list(status[:4])

    def vouched(self, path: str | Path, file: str, dept: str) -> Loaded | None:
        """What loading the file gave, without reading it: when its status is the one an earlier check
        read it with, and it had not changed for SETTLED_NS before that check began — so any write
        since shows in its change time (the racy case git's index knows). Else None: read it.
        The status is the one `holds` read earlier in this check, if it did: a file written in
        between is then vouched for as it was, as one written just after this call would be, and
        its body is never read from the new bytes (load.VouchedBody). A file a worker of this check
        read whole (`adopt`) is taken as those bytes, the same way."""
        statused = self._statused.pop(file, None)
        read = self._read_elsewhere.pop(file, None)
        if read is not None:  # a worker of this check read it whole: its bytes are the ones checked
            result = self._loaded(read[1], file, dept)
            if result is not None:
                self.seen[file] = read[0]
                self.read_whole.add(file)
                return result
        known = self.signatures.get(file)
        if known is None or len(known) != 5 or not known[4] or not isinstance(known[4], str):
            return None
        if statused is None:
            try:
                statused = status_of(os.stat(path))
            except OSError:
                return None
        if not stat.S_ISREG(statused[4]) or list(statused[:4]) != known[:4]:
            return None
        result = self._loaded(known[4], file, dept)
        if result is not None:
            self.seen[file] = known
        return result

    def _status(self, status: os.stat_result, digest: str) -> list[Any]:
        """The file's status as read, with the hash of what was read once the file had settled."""
        settled = CHANGE_TIMES and max(status.st_mtime_ns, status.st_ctime_ns) < self.started_ns - SETTLED_NS
        return [*status_of(status)[:4], digest if settled else ""]  # its signature: what `holds` compares

    def read_here(self, file: str) -> ReadElsewhere | None:
        """What this cache learnt of the file by reading it, for the check that sent the file here
        (`adopt`): the status and hash of the bytes read, and the entry if it was made here."""
        digest, status = self.files.get(file), self.seen.get(file)
        if digest is None or status is None:
            return None
        return file, status, digest, self.entries[digest] if digest in self.fresh else None

    def adopt(self, reads: Iterable[ReadElsewhere]) -> None:
        """Files a worker of this check read whole (`read_here`), with the entries it made: the
        loader takes each from the bytes the worker read (`vouched`), without reading it again."""
        for file, status, digest, entry in reads:
            if entry is not None:
                self._add(digest, entry)
            self._read_elsewhere[file] = (status, digest)

    def _entry(self, file: str) -> dict[str, Any] | None:
        digest = self.files.get(file)
        return None if digest is None else self.entries.get(digest)

    def _changed(self, file: str) -> None:
        """A part of the file's entry was found (again): its shard is written, its mask with it."""
        self.dirty.add(self.files[file][:2])
        self.fresh.add(self.files[file])
        self.entries[self.files[file]].pop(QUIET, None)
        self._quiet.pop(file, None)

    def _is_quiet(self, file: str, part: str) -> bool:
        """Whether the file's entry holds `part` as EMPTY_PARTS writes it: nothing to replay."""
        return bool(self._quiet.get(file, 0) & QUIET_BITS[part])

    # -- stage 1: loading

    def loaded(self, digest: str, file: str, dept: str, status: os.stat_result | None = None) -> Loaded | None:
        """What loading the bytes of sha256 `digest` gave before, or None (then `keep_loaded` after
        loading them). `status`: the file's, as read."""
        if status is not None:
            self.seen[file] = self._status(status, digest)
            self.read_whole.add(file)
        return self._loaded(digest, file, dept)

    def known(self, digest: str, file: str, status: os.stat_result) -> bool:
        """Whether the entry of the bytes of sha256 `digest` holds everything a check keeps of a file
        and reads no other file (no attachment): then a worker that read the file (generator.recordwork)
        has nothing to do but note its status and hash, as `loaded` does, for `read_here`."""
        entry = self.entries.get(digest)
        sec = entry.get("sec") if entry is not None else None  # [attachments key, candidates]; damaged: not known
        if not _whole(entry) or (sec is not None and (type(sec) is not list or sec[:1] != [["", []]])):
            return False
        self.seen[file] = self._status(status, digest)
        self.files[file] = digest
        self.used.add(digest)
        return True

    def _loaded(self, digest: str, file: str, dept: str) -> Loaded | None:
        entry = self.entries.get(digest)
        if entry is None:
            return None
        try:
            quiet = entry.get(QUIET, 0)
            if type(quiet) is not int:
                raise ValueError("quiet")
            findings = [] if quiet & QUIET_BITS["load"] else _findings_in(entry["load"], file, dept)
            parsed = None
            if "front" in entry:
                meta, lines = load_front(entry["front"]), _text(entry["lines"])
                if not isinstance(meta, dict):
                    raise ValueError("meta")
                parsed = yamlsrc.Parsed(meta, CachedLines(lines, self.folder))
            result = Loaded(findings, parsed, int(entry["body"]), digest)
        except (KeyError, TypeError, ValueError, IndexError, RecursionError):
            self._drop(digest)
            return None
        self.files[file] = digest
        self.used.add(digest)
        if quiet:
            self._quiet[file] = quiet
        return result

    def keep_loaded(
        self,
        digest: str,
        file: str,
        dept: str,
        findings: list[Finding],
        parsed: yamlsrc.Parsed | None,
        body_line: int,
        status: os.stat_result | None = None,
    ) -> None:
        if status is not None:
            self.seen[file] = self._status(status, digest)
        try:
            entry: dict[str, Any] = {"load": _findings_out(findings, file, dept), "body": body_line}
            if parsed is not None:
                # texts, decoded when used: a cache of many records holds strings, not objects; and
                # the lines only when a line is looked up, which most records never need
                entry["front"] = dump_front(parsed.data)
                lines = [[list(path), line] for path, line in parsed.lines.items()]  # texts and numbers only
                entry["lines"] = jsontext.dumps(lines).decode("utf-8", "surrogatepass")  # json.dumps' text, to the byte
        except (Uncacheable, RecursionError, ValueError):
            return
        self._add(digest, entry)
        self.files[file] = digest
        self.used.add(digest)
        self.fresh.add(digest)

    def _add(self, digest: str, entry: dict[str, Any]) -> None:
        """A new entry: its shard is written at the next save."""
        self.entries[digest] = entry
        self.members.setdefault(digest[:2], {})[digest] = None
        self.dirty.add(digest[:2])

    def _drop(self, digest: str, file: str = "") -> None:
        """An entry this release cannot use after all (a damaged shard): computed again."""
        self.entries.pop(digest, None)
        self.dirty.add(digest[:2])
        self._quiet.pop(file, None)

    def _part(self, file: str, name: str) -> Any:
        entry = self._entry(file)
        return None if entry is None else entry.get(name)

    # -- stage 2: validation

    def scanned(self, file: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]]] | None:
        """The links (href, body line) and raw HTML (text, body line) of the record's body."""
        if self._is_quiet(file, "scan"):
            return [], []
        part = self._part(file, "scan")
        if part is None:
            return None
        try:
            links, html = part
            return [(_text(h), _int(n)) for h, n in links], [(_text(t), _int(n)) for t, n in html]
        except (TypeError, ValueError):
            self._drop(self.files[file], file)
            return None

    def keep_scanned(self, file: str, links: list[tuple[str, int]], html: list[tuple[str, int]]) -> None:
        entry = self._entry(file)
        if entry is not None:
            entry["scan"] = [[list(link) for link in links], [list(item) for item in html]]
            self._changed(file)

    def own(self, file: str, dept: str, part_name: str) -> list[list[Finding]] | None:
        """The record's findings that read nothing but the record and site.yaml, in groups: of
        validation ("own") or of the secrecy check's front-matter rules ("meta")."""
        if self._is_quiet(file, part_name):
            return [[] for _ in EMPTY_PARTS[part_name]]
        part = self._part(file, part_name)
        if part is None:
            return None
        try:
            return [_findings_in(group, file, dept) for group in part]
        except (TypeError, ValueError):
            self._drop(self.files[file], file)
            return None

    def keep_own(self, file: str, dept: str, part_name: str, groups: list[list[Finding]]) -> None:
        entry = self._entry(file)
        if entry is None:
            return
        try:
            entry[part_name] = [_findings_out(group, file, dept) for group in groups]
        except Uncacheable:
            return
        self._changed(file)

    # -- stage 5, publicity: what the pages need of a body (its first sentence, length, link targets)

    def body_facts(self, file: str) -> BodyFacts | None:
        part = self._part(file, "facts")
        try:
            lead, length, targets = part
            if isinstance(lead, str) and type(length) is int and all(isinstance(t, str) for t in targets):
                return BodyFacts(lead, length, tuple(targets))
        except (TypeError, ValueError):
            pass
        return None

    def keep_body_facts(self, file: str, facts: BodyFacts) -> None:
        entry = self._entry(file)
        if entry is not None:
            entry["facts"] = [facts.lead, facts.length, list(facts.links)]
            self._changed(file)

    # -- stage 3: secrecy

    def attachments_key(self, files: list[tuple[str, str]]) -> list[Any]:
        """The key of a record's candidates: its attachments (name, hash of the bytes) and, when
        there are any, the libraries that read them."""
        if files and not self._readers:
            self._readers = readers()
        return [self._readers if files else "", [list(f) for f in files]]

    def candidates(self, file: str, dept: str, key: list[Any]) -> list[tuple[Finding, str]] | None:
        """The record's secrecy candidates (finding, allow-list key) when its attachments are the same."""
        if key == NO_ATTACHMENTS and self._is_quiet(file, "sec"):
            return []
        part = self._part(file, "sec")
        try:
            if part is None or part[0] != key:
                return None
            return [(_finding_in(finding, file, dept), _text(raw)) for finding, raw in part[1]]
        except (TypeError, ValueError, IndexError, KeyError):
            self._drop(self.files[file], file)
            return None

    def keep_candidates(self, file: str, dept: str, key: list[Any], found: list[tuple[Finding, str]]) -> None:
        entry = self._entry(file)
        if entry is None:
            return
        try:
            entry["sec"] = [key, [[_finding_out(finding, file, dept), raw] for finding, raw in found]]
        except Uncacheable:
            return
        self._changed(file)


class CacheDamaged(DisclosureError):
    """A part of the check cache read only when first needed (a record's lines) cannot be read."""


class CachedLines:
    """A record's lines table as `keep_loaded` wrote it: `[[path, line], …]` in JSON. A finding
    looks up one key: it is found in the text, and the table is decoded only if asked for whole."""

    __slots__ = ("text", "folder")

    def __init__(self, text: str, folder: Path) -> None:
        self.text = text
        self.folder = folder

    def line(self, path: yamlsrc.KeyPath) -> int | None:
        if not path or type(path[0]) is not str:
            return self.table().get(path)
        needle = _needle(path)
        start = self.text.find(needle)
        if start < 0:
            return None
        start += len(needle)
        number = self.text[start : self.text.find("]", start)]
        if not (number.isascii() and number.isdigit()):
            raise self._damaged()
        return int(number)

    def table(self) -> dict[yamlsrc.KeyPath, int]:
        try:
            return {tuple(_key(part) for part in path): _int(line) for path, line in json.loads(self.text)}
        except (TypeError, ValueError, RecursionError):
            raise self._damaged() from None

    def _damaged(self) -> CacheDamaged:
        return CacheDamaged(
            f"检查缓存 {self.folder} 已损坏（记录的行号表无法读取）。请删除该目录后重新运行，它会重新生成。"
        )


@functools.lru_cache(maxsize=4096)  # a site's findings name a few dozen keys, each in many records
def _needle(path: yamlsrc.KeyPath) -> str:
    """What `CachedLines.line` looks for: `["key",…]` followed by a comma is this path and no other
    (outside a JSON string `["` only opens a path, and inside one every `"` is escaped)."""
    return json.dumps(list(path), ensure_ascii=False, separators=(",", ":")) + ","


def _key(value: Any) -> str | int:
    if type(value) is not str and type(value) is not int:
        raise ValueError("key")
    return value


def noted_size(site_root: Path) -> int:
    """The size in bytes of the file statuses the last check of the site noted (SIGNATURES): about
    150 bytes a record file; 0 when there are none."""
    try:
        return os.stat(site_root / CACHE / SIGNATURES).st_size
    except OSError:
        return 0


def _mark_quiet(entry: dict[str, Any]) -> None:
    """Write the entry's QUIET mask afresh from its parts (none quiet: no mask)."""
    quiet = sum(bit for part, bit in QUIET_BITS.items() if entry.get(part) == EMPTY_PARTS[part])
    if quiet:
        entry[QUIET] = quiet
    else:
        entry.pop(QUIET, None)


WHOLE_PARTS = frozenset(("scan", *SETTINGS_PARTS))  # what an entry with a front matter holds once whole


def _whole(entry: dict[str, Any] | None) -> bool:
    """An entry that holds everything a check keeps of its file."""
    return entry is not None and ("front" not in entry or entry.keys() >= WHOLE_PARTS)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("text")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise ValueError("int")
    return value
