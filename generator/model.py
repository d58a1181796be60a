"""What the loader produces: the site's departments and records, as written.

These objects hold everything in the content repository, including text that must
never be published. Only `publicity.select` turns them into what may be rendered.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from . import schema
from .config import SiteConfig
from .schema import CHINA, as_date, as_datetime, category_path, status, text
from .yamlsrc import Parsed

__all__ = [
    "CHINA",
    "OPINIONS",
    "PUBLICITY",
    "STATUSES",
    "Application",
    "Department",
    "Record",
    "Register",
    "ReportSource",
    "Site",
    "as_date",
    "as_datetime",
]

PUBLICITY = schema.values(schema.Publicity)
STATUSES = schema.values(schema.Status)
OPINIONS = schema.values(schema.Opinion)


@dataclass
class Application:
    """One row of an application register (依申请公开登记台账); internal, never published."""

    dept: str
    year: int  # the register it was read from: applications/<year>.csv|.xlsx
    file: str  # the register, relative to the site
    line: int  # 1-based line (CSV) or row (XLSX)
    id: str
    received: dt.date
    applicant: str
    result: str  # empty while open
    closed: dt.date | None
    extended: bool
    reconsideration: str
    litigation: str
    correction_requested: dt.date | None = None  # 补正: the notice, and the corrected application (the clock restarts)
    correction_received: dt.date | None = None
    consulted_from: dt.date | None = None  # 征求第三方意见: not counted in the period
    consulted_to: dt.date | None = None
    suspended_from: dt.date | None = None  # 中止: not counted in the period
    suspended_to: dt.date | None = None
    fee: Decimal | None = None  # 信息处理费 charged, in 元


@dataclass
class Register:
    """applications/<year>.csv or .xlsx: the rows that could be read, and how many could not."""

    year: int
    file: str
    rows: list[Application] = field(default_factory=list)
    unreadable: int = 0  # rows reported as FMT001/FMT002 and left out: counts are incomplete


@dataclass
class ReportSource:
    """reports/<year>.md: hand-entered figures (front matter) and the narrative sections."""

    year: int
    file: str
    meta: dict[str, Any]
    parsed: Parsed
    body: str
    body_line: int
    loaded: bool = True  # False when the front matter did not parse (FMT001)

    def line_of(self, key: str) -> int:
        return self.parsed.line_of(key, default=0) + 1


@dataclass
class Department:
    slug: str
    folder: Path
    file: str  # department.yaml, relative to the site
    data: dict[str, Any]
    parsed: Parsed
    registers: dict[int, Register] = field(default_factory=dict)  # by year
    reports: dict[int, ReportSource] = field(default_factory=dict)  # by year

    @property
    def applications(self) -> list[Application]:
        """Every register row of every year (a carried-over application appears in each year's register)."""
        return [row for year in sorted(self.registers) for row in self.registers[year].rows]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def name(self) -> str:
        return str(self.data.get("name") or self.slug)

    @property
    def uscc(self) -> str:
        return str(self.data.get("uscc") or "")

    @property
    def level(self) -> str:
        return str(self.data.get("level") or "")


class BodySource(Protocol):
    """Where the body of a record not read yet comes from (load.VouchedBody: the loader reads files)."""

    def read(self) -> str: ...


@dataclass(slots=True, weakref_slot=True)
class Record:
    dept: str  # department slug
    where: str  # the .md file's path as text (`path`): a city's 200,000 Paths took a second to make
    file: str  # relative to the site, POSIX separators
    meta: dict[str, Any]  # the front matter as parsed (empty when it did not parse)
    parsed: Parsed
    body_text: str | None  # the Markdown body; None: not read yet (see `body`)
    body_line: int  # 1-based line of the file on which the body starts
    loaded: bool = True  # False when the front matter did not parse (FMT001)
    scheduled: bool = False  # published after the check date: held out of the site until then (STL016)
    digest: str = ""  # the sha256 of the file's bytes the front matter and body are from ("" unknown)
    source: BodySource | None = None  # where a body not read yet is read from
    # the keys every stage asks for, read from `meta` (never changed once loaded) the first time
    _publicity: str | None = field(default=None, init=False, repr=False, compare=False)
    _index_no: str | None = field(default=None, init=False, repr=False, compare=False)
    _category: str | None = field(default=None, init=False, repr=False, compare=False)
    _doc_type: str | None = field(default=None, init=False, repr=False, compare=False)
    _status: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def path(self) -> Path:
        """The .md file's path, made when asked for: only a record with links or attachments is."""
        return Path(self.where)

    @property
    def body(self) -> str:
        """The body. A record the check cache vouched for by its file's status was loaded without
        reading the file (load.load_record); `source` reads its body when first asked for, and only
        if the bytes still have `digest` (load.VouchedBody: else load.RecordChanged)."""
        if self.body_text is None:
            self.body_text = self.read_body()
        return self.body_text

    def read_body(self) -> str:
        """The body, not kept when it had to be read (a worker that reads 100,000 bodies once each)."""
        if self.body_text is not None:
            return self.body_text
        if self.source is None:
            raise ValueError(f"{self.file}: a record without its body and without where to read it")
        return self.source.read()

    def get(self, key: str, default: Any = None) -> Any:
        return self.meta.get(key, default)

    def line_of(self, *path: str | int) -> int:
        """1-based line in the file of a front-matter key (the front matter starts on line 2)."""
        return self.parsed.line_of(*path, default=0) + 1

    def body_line_at(self, offset: int) -> int:
        """1-based file line of character `offset` of the body."""
        return self.body_line + self.body.count("\n", 0, offset)

    def date(self, key: str) -> dt.date | None:
        value = self.meta.get(key)
        return value if value is None or type(value) is dt.date else as_date(value)  # most are either

    def public_front(self) -> Any:
        """The front matter's public keys as typed values (`schema.RecordFront`, a pydantic model), read
        anew on each call: kept on 200,000 records it would cost gigabytes, and only the selection
        reads it, once."""
        return schema.RecordFront.read_public(self.meta)

    @property
    def publicity(self) -> str:
        if self._publicity is None:
            self._publicity = text(self.meta.get("publicity"))
        return self._publicity

    @property
    def index_no(self) -> str:
        if self._index_no is None:
            self._index_no = text(self.meta.get("index_no"))
        return self._index_no

    @property
    def title(self) -> str:
        return text(self.meta.get("title"))

    @property
    def category(self) -> str:
        """The category path with stray spaces and slashes trimmed."""
        if self._category is None:
            self._category = category_path(self.meta.get("category"))
        return self._category

    def filed_under(self, column: str) -> bool:
        """Whether the last part of the category path is `column` (a column of that name anywhere in
        the taxonomy), tested without cutting the path: the staleness lint asks it of every record."""
        category = self.category
        return category == column or category.endswith("/" + column)

    @property
    def status(self) -> str:
        if self._status is None:
            self._status = status(self.meta.get("status"))
        return self._status

    @property
    def doc_type(self) -> str:
        """文种 as written, trimmed; empty when absent."""
        if self._doc_type is None:
            self._doc_type = str(self.meta.get("doc_type") or "").strip()
        return self._doc_type


@dataclass
class Site:
    config: SiteConfig
    root: Path
    departments: dict[str, Department] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)

    def by_index(self) -> dict[str, Record]:
        """Records by index number (the first of any duplicates)."""
        found: dict[str, Record] = {}
        for record in self.records:
            if record.index_no and record.index_no not in found:
                found[record.index_no] = record
        return found
