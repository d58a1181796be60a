"""The selection cache: what `publicity.select` made of each record file the last time, by the
hash of its bytes, so a build reads no front matter again for a file that did not change.

A listed record's own public form — the values of its public keys as the schema reads them, its
summary, its body's length and link targets, the names of its attachments and the 索引号 it
points to as written — is made from its file's bytes alone, given whether it is published in
full on the check date, and the product's code. `<site>/.cache/select/<department>.json` keeps
that form (a row) for each listed record of the department, with the file's sha256 and that
flag; the selection takes a row only when both are this build's, and makes the record anew
otherwise. What depends on other files or on the date is never kept: whether a record is listed
or published in full, where its attachments are (each is located again: a file may have gone),
and what its links to other records resolve to.

Every file names the product (`pagecache.product()`): a new release, or any change of its code,
reads none. A damaged file reads as empty. Only the departments whose rows changed are written
again, each whole, in one step (a temporary file renamed). Safe to delete: the next selection
reads every front matter, as the first one did.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from . import jsontext, pagecache, wholefile

CACHE = Path(".cache") / "select"
FORMAT = "2"  # the layout of a row (publicity._row); from 2 on, a row holds its body's lead itself

Row = list[Any]


class SelectCache:
    """The rows of the last selection, read a department at a time, and those of this one.

    The selection asks for a department's records together (the loader reads them folder by
    folder), so a department's rows are held only while its records are made: when the first
    record of another department is asked for, the department before is written (if its rows
    changed) and let go. (At 200,000 records, holding every row to the end took 370 MB more.
    A department asked for again later would be read again, its rows of before lost: made anew by
    the next selection, never wrong.)"""

    def __init__(self, site_root: Path) -> None:
        self.folder = site_root / CACHE
        self._dept = ""  # the department whose rows are held
        self._read: dict[str, Row] = {}  # its rows as read: file → [digest, full, row]
        self._kept: dict[str, Row] = {}  # its rows of this selection
        self._changed = False  # its rows are not the ones read
        self._seen: set[str] = set()  # the departments asked for

    def row(self, dept: str, file: str, digest: str, full: bool) -> Row | None:
        """The row kept for `file` when it was made from these bytes (`digest`) and `full` then too."""
        if dept != self._dept:
            self._switch(dept)
        kept = self._read.get(file)
        if kept is None or len(kept) != 3 or kept[0] != digest or kept[1] is not full or type(kept[2]) is not list:
            return None
        return kept[2]  # type: ignore[no-any-return]

    def keep(self, dept: str, file: str, digest: str, full: bool, row: Row | None, taken: bool) -> None:
        """This selection's row for `file` (asked for with `row` just before); `taken`: it is the one
        `row` gave. None: a record whose form cannot be written as a row (made anew every time)."""
        if dept != self._dept:
            self._switch(dept)
        if row is not None:
            self._kept[file] = [digest, full, row]
        if not taken:
            self._changed = True

    def save(self) -> None:
        """Write the last department's rows if they changed, and remove the files of departments no
        longer asked for (none of their records is listed) and what a killed build left half written."""
        self._switch("")
        try:
            stale = [path for path in self.folder.iterdir() if path.suffix == ".tmp" or path.stem not in self._seen]
        except OSError:
            return
        for path in stale:
            with contextlib.suppress(OSError):  # not ours to remove, or not now: read as nothing all the same
                path.unlink(missing_ok=True)

    def _switch(self, dept: str) -> None:
        if self._dept and (self._changed or len(self._kept) != len(self._read)):
            self._write(self._dept, self._kept)
        self._dept, self._changed = dept, False
        self._read = _read(self.folder / f"{dept}.json") if dept else {}
        self._kept = {}
        if dept:
            self._seen.add(dept)

    def _write(self, dept: str, rows: dict[str, Row]) -> None:
        """`dept`'s rows of this selection: a record made anew, gone or no longer listed. Nothing when
        the cache's folder cannot be written (the next selection makes those records anew)."""
        path = self.folder / f"{dept}.json"
        try:
            if not rows:
                path.unlink(missing_ok=True)
            else:
                wholefile.write(path, jsontext.dumps({"product": pagecache.product(), "format": FORMAT, "rows": rows}))
        except OSError:
            return


def _read(path: Path) -> dict[str, Row]:
    """The rows of a department's file; none when it is absent, damaged or another release's."""
    try:
        data = jsontext.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if (
        type(data) is not dict
        or data.get("product") != pagecache.product()
        or data.get("format") != FORMAT
        or type(data.get("rows")) is not dict
    ):
        return {}
    return {file: row for file, row in data["rows"].items() if type(row) is list}
