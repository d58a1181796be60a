"""Where each row of a site-wide export lies in the file the last build wrote, so that the next
one copies its unchanged rows from that file instead of encoding them again.

catalogue.json and catalogue.csv list every published record: at a city's 200,000 records they
run to 160 MB and 100 MB, and encoding them took 10 s of every build that added a record or
changed what a listing shows of one, with the other core idle. A row is made of the record's
listed form (publicity.listed_form) and its department's name alone, so a row whose listed form
is unchanged, under the same settings, departments and product code (the renderer's base key),
has the same bytes as before: it is copied from the previous output's file, and only the rows
of new or changed records are encoded. The file written is byte for byte the one encoding every
row gives (tests/test_exports.py).

A table is saved per file under `<site>/.cache/exports/`: the key of the file it describes, the
base key its rows were made under, and each row's listed form and byte range. It is used only
when the previous output's file is the one with that key (the page cache's word, as for every
file a build takes from the previous output), so a table left by a build that did not replace
the output is never applied to another file. Safe to delete: the next export is encoded whole.

The copied rows are also what the output scan may trust (Output.spans): they were scanned in
the file they come from, with the same allow list (secrecy/published.py).
"""

from __future__ import annotations

import contextlib
import json
import mmap
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Generator, Iterator

from .. import pagecache, wholefile
from ..pagecache import FORM_SIZE, PageCache

FOLDER = Path(".cache") / "exports"
FORMAT = 1


@dataclass
class Table:
    """The rows of one export file, in order: row i is forms[i*FORM_SIZE:(i+1)*FORM_SIZE] and
    lies at bytes starts[i]:ends[i] of the file (without the separator after it)."""

    key: str  # the page cache's key of the file described
    base: str  # the renderer's base key its rows were made under
    forms: bytes
    starts: array[int]
    ends: array[int]

    def __len__(self) -> int:
        return len(self.starts)


@dataclass
class Layout:
    """How an export is made of its rows: prefix, the rows with `separator` between them, suffix;
    `empty` is the whole file when there is no row."""

    prefix: str
    separator: str
    suffix: str
    empty: str


Previous = tuple[Table, bytes | mmap.mmap]  # a table and the bytes of the file it describes


@dataclass
class Written:
    """An export just written: its pieces (bytes, to be written in order), then, once they are
    consumed, the table of its rows and the byte ranges copied from the previous file."""

    table: Table
    copied: list[tuple[int, int]] = field(default_factory=list)
    encoded: int = 0  # rows encoded, not copied
    pieces: Generator[bytes | memoryview, None, None] = field(init=False)


def _path(site_root: Path, rel: str) -> Path:
    return site_root / FOLDER / f"{rel.replace('/', '__')}.rows"


def load(site_root: Path, rel: str) -> Table | None:
    """The table saved for the export `rel`; None when there is none or it cannot be read whole."""
    try:
        data = _path(site_root, rel).read_bytes()
        line, _, rest = data.partition(b"\n")
        head = json.loads(line)
        if head.get("format") != FORMAT or head.get("product") != pagecache.product():
            return None
        count = int(head["rows"])
        key, base = str(head["key"]), str(head["base"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    forms_end = count * FORM_SIZE
    starts, ends = array("Q"), array("Q")
    if len(rest) != forms_end + 2 * count * starts.itemsize:
        return None
    starts.frombytes(rest[forms_end : forms_end + count * starts.itemsize])
    ends.frombytes(rest[forms_end + count * starts.itemsize :])
    return Table(key, base, rest[:forms_end], starts, ends)


def save(site_root: Path, rel: str, table: Table) -> None:
    """Keep `table` for the next build (written whole, then renamed into place)."""
    path = _path(site_root, rel)
    head = {"format": FORMAT, "product": pagecache.product(), "key": table.key, "base": table.base, "rows": len(table)}
    data = json.dumps(head).encode("ascii") + b"\n" + table.forms + table.starts.tobytes() + table.ends.tobytes()
    with contextlib.suppress(OSError):  # a full disk: the next export is encoded whole
        wholefile.write(path, data)


def write(
    layout: Layout,
    forms: bytes,
    encode: Callable[[int], str],
    key: str,
    base: str,
    previous: Previous | None = None,
) -> Written:
    """The export whose row i has the listed form forms[i*FORM_SIZE:…] and the text encode(i),
    with `layout`: each row `previous` (its table and the bytes of the file it describes) holds
    is copied from there, a run of rows that follow each other there at once."""
    count = len(forms) // FORM_SIZE
    table = Table(key, base, forms, array("Q"), array("Q"))
    written = Written(table)
    written.pieces = _pieces(layout, count, encode, previous, written)
    return written


def _pieces(
    layout: Layout,
    count: int,
    encode: Callable[[int], str],
    previous: Previous | None,
    written: Written,
) -> Generator[bytes | memoryview, None, None]:
    if count == 0:
        yield layout.empty.encode("utf-8")
        return
    table, forms = written.table, written.table.forms
    where: dict[bytes, int] = {}
    if previous is not None:
        old, _ = previous
        where = {old.forms[i * FORM_SIZE : (i + 1) * FORM_SIZE]: i for i in range(len(old))}
    separator = layout.separator.encode("utf-8")
    offset = 0
    run: list[int] = []  # the previous file's rows being copied: first and last

    def flush() -> Iterator[memoryview]:
        nonlocal offset
        assert previous is not None
        old, data = previous
        first, last = run
        start = offset
        for i in range(first, last + 1):  # the rows' places in the new file
            table.starts.append(offset + old.starts[i] - old.starts[first])
            table.ends.append(offset + old.ends[i] - old.starts[first])
        piece = memoryview(data)[old.starts[first] : old.ends[last]]
        offset += len(piece)
        written.copied.append((start, offset))
        run.clear()
        yield piece

    prefix = layout.prefix.encode("utf-8")
    yield prefix
    offset += len(prefix)
    for i in range(count):
        found = where.get(forms[i * FORM_SIZE : (i + 1) * FORM_SIZE])
        if found is not None and run and found == run[1] + 1:
            run[1] = found  # the next row there, with the separator between them as written
            continue
        if run:
            yield from flush()
        if i:
            yield separator
            offset += len(separator)
        if found is not None:
            run[:] = [found, found]
            continue
        text = encode(i).encode("utf-8")
        table.starts.append(offset)
        offset += len(text)
        table.ends.append(offset)
        written.encoded += 1
        yield text
    if run:
        yield from flush()
    yield layout.suffix.encode("utf-8")


@contextlib.contextmanager
def previous(site_root: Path, rel: str, cache: PageCache | None, base: str) -> Iterator[Previous | None]:
    """The table saved for the export `rel` and the previous output's file it describes, mapped
    (not read: 160 MB) while the block runs; None when there is no such pair under the base key `base`."""
    table = load(site_root, rel) if cache is not None else None
    found = (
        cache.reusable(rel, key=table.key) if cache is not None and table is not None and table.base == base else None
    )
    data = _mapped(found) if found is not None else None
    if table is None or data is None:
        yield None
        return
    try:
        yield (table, data) if not len(table) or max(table.ends) <= len(data) else None
    finally:
        with contextlib.suppress(BufferError):  # a piece still held by an error's traceback: unmapped with it
            data.close()


def _mapped(path: str) -> mmap.mmap | None:
    try:
        with open(path, "rb") as file:
            return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # ValueError: an empty file cannot be mapped
        return None
