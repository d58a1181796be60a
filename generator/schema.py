"""The content format, declared once: every key a department writes, its kind, its Chinese
name, whether it is required, and whether it ever reaches the public.

| declaration | file |
|---|---|
| `RecordFront` (with `Review`, `Declassified`) | a record's front matter |
| `DepartmentFacts` | `content/<dept>/department.yaml` |
| `ApplicationRow` | a row of `applications/<year>.csv` or `.xlsx` |
| `ReportFigures` | the front matter of `reports/<year>.md` |

A key is declared as a class attribute, `name = Key(label, kind, exposure, doc, ...)`, in the
order the docs list it. Its **kind** (`TEXT`, `DATE`, …) both reads a value the way the code
uses it (`read`: never fails, a bad value reads as empty) and checks it (`check`: the codes of
what is wrong, empty when nothing is); validate.py turns the codes into FMT002 findings at the
key's line, with their Chinese messages. Its **exposure** says where it may appear:

- `LISTED`: wherever the record is listed, also as the metadata of a 依申请公开 record: the content
  spec's metadata of such a record (title, 索引号, publisher, dates), with the category that places
  it in the catalogue and the 公开属性 that says what it is — nothing else;
- `FULL`: only where a record published in full (主动公开, 删减后公开, 脱密后公开) is shown: its
  page, and its entries in the catalogue, feeds and exports; never of a 依申请公开 record;
- `INTERNAL`: never.

publicity.py copies exactly the public keys into what is rendered, and the secrecy check scans
exactly the public free texts (the keys with a `scan` label) of what a record would publish:
what is public is read from here, nowhere else. docs/content-format.md describes every key
(tests/test_docs.py fails on a key it misses).

Each declaration is also a pydantic v2 model, `RecordFront.model()`, with every key's marks in
its field's `json_schema_extra` (`{"public": …, "exposure": …, "required": …}`);
`RecordFront.read(meta)` is a record's typed front matter, `RecordFront.read_public(meta)` that of its
public keys alone (`Record.public_front()`, what the selection reads). The model is built,
and pydantic imported, on first use: the checks run the kinds directly, so a check whose records
all come from the check cache never pays for importing pydantic (about 0.15 s, a tenth of such a
check on 2,000 records).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from . import ids, safeurl

if TYPE_CHECKING:
    from pydantic import BaseModel


# --- the enumerations -------------------------------------------------------------------------


class Publicity(StrEnum):
    """公开属性."""

    ACTIVE = "主动公开"
    ON_REQUEST = "依申请公开"
    WITHHELD = "不予公开"
    REDACTED = "删减后公开"
    DECLASSIFIED = "脱密后公开"


class Status(StrEnum):
    """有效性."""

    CURRENT = "现行有效"
    AMENDED = "已修订"
    REPEALED = "已废止"
    EXPIRED = "已失效"


class Opinion(StrEnum):
    """保密审查的拟定意见 (review.opinion)."""

    ACTIVE = "主动公开"
    ON_REQUEST = "依申请公开"
    EXEMPT = "免予公开"
    REFER = "需报审"


class Level(StrEnum):
    """A department's 层级: selects the catalogue columns it must keep filled (STL008)."""

    CITY_GOVERNMENT = "市级政府"
    CITY_DEPARTMENT = "市直部门"
    COUNTY_GOVERNMENT = "县级政府"
    COUNTY_DEPARTMENT = "县直部门"
    TOWNSHIP = "乡镇街道"


class Exposure(StrEnum):
    """Where a key's value may appear in the built site."""

    LISTED = "listed"  # wherever the record is listed, also as 依申请公开 metadata
    FULL = "full"  # only of a record published in full: its page, listings, feeds and exports
    INTERNAL = "internal"  # never


# What each 公开属性 publishes of a record: its FULL keys and body, its LISTED keys, or nothing.
# The search index holds the records published in full alone (publicity.SEARCHED).
# A 脱密后公开 record is published in full only with a complete `declassified` (publicity.py).
SHOWN: dict[Publicity, Exposure] = {
    Publicity.ACTIVE: Exposure.FULL,
    Publicity.ON_REQUEST: Exposure.LISTED,
    Publicity.WITHHELD: Exposure.INTERNAL,
    Publicity.REDACTED: Exposure.FULL,
    Publicity.DECLASSIFIED: Exposure.FULL,
}


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The enumeration's values as plain text, in their order."""
    return tuple(member.value for member in enum)


# --- the readers: a value as the code uses it -------------------------------------------------

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")  # the clock of every date the site shows


def text(value: Any) -> str:
    """A one-line text with the spaces around it trimmed; empty when absent."""
    return str(value).strip() if value not in (None, "") else ""


def as_datetime(value: Any) -> dt.datetime | None:
    """A YAML date keeping a time of day when one was written; None if absent or bad.
    A time with a zone (2026-11-03T10:00:00+08:00, …Z) is read as China Standard Time, so every
    date compares with every other."""
    if type(value) is dt.date:  # what YAML gives for most dates: a check reads millions
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        try:
            return value.astimezone(CHINA).replace(tzinfo=None) if value.tzinfo else value
        except OverflowError:  # 9999-12-31T23:00-05:00 is past the calendar's end in China time
            return None
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return None


def as_date(value: Any) -> dt.date | None:
    """A YAML date: date/datetime or 'YYYY-MM-DD[ HH:MM[:SS]]'; None if absent or bad."""
    if type(value) is dt.date:
        return value
    moment = as_datetime(value)
    return moment.date() if moment else None


def category_path(value: Any) -> str:
    """A category path with stray spaces and slashes trimmed."""
    if not isinstance(value, str):
        return ""
    return "/".join(part.strip() for part in value.strip().strip("/").split("/"))


def publishers(value: Any) -> list[str]:
    """发布机构: one text, or several (联合发文)."""
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value).strip()] if value else []


def keywords(value: Any) -> list[str]:
    """关键词: a list, or one line of text."""
    if isinstance(value, list):
        return [str(k) for k in value]
    return [str(value)] if value else []


def names(value: Any) -> list[str]:
    return [str(name) for name in value] if isinstance(value, list) else []


def items(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def status(value: Any) -> str:
    return text(value) or Status.CURRENT.value


def cell(value: Any) -> str:
    """A register cell as text: a spreadsheet's 12.0 is 12."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return text(value)


LOOSE_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def register_date(value: Any) -> dt.date | None:
    """A register date. Looser on purpose than a front-matter date: spreadsheets write 2025/3/1,
    2025.3.1 or 2025年3月1日 (and a time after the date). None when empty or not a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    written = cell(value)
    if not written:
        return None
    match = LOOSE_DATE.match(written.split(" ")[0])
    try:
        if match:
            return dt.date(*(int(part) for part in match.groups()))
        return dt.date.fromisoformat(written)
    except ValueError:
        return None


YES = {"是", "yes", "y", "true", "1"}
NO = {"", "否", "no", "n", "false", "0"}


def count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def amount(value: Any) -> Decimal | None:
    if value in (None, "") or isinstance(value, bool):
        return None
    try:
        found = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return found if found.is_finite() and found >= 0 else None


# --- the checks: what is wrong with a value, as problem codes ---------------------------------

Codes = tuple[str, ...]
FINE: Codes = ()


def _is_text(value: Any) -> bool:
    return value is None or isinstance(value, (str, int))


def _text(value: Any) -> Codes:
    return FINE if _is_text(value) else ("text",)


def _date(value: Any) -> Codes:
    return FINE if value in (None, "") or as_date(value) is not None else ("date",)


def _publishers(value: Any) -> Codes:
    fine = (
        value is None or isinstance(value, str) or (isinstance(value, list) and all(isinstance(p, str) for p in value))
    )
    return FINE if fine else ("publishers",)


def _list(value: Any) -> Codes:
    return FINE if value is None or isinstance(value, list) else ("list",)


def _list_or_text(value: Any) -> Codes:
    return FINE if value is None or isinstance(value, (list, str)) else ("list",)


def _mapping(value: Any) -> Codes:
    return FINE if value is None or isinstance(value, dict) else ("map",)


def _anything(value: Any) -> Codes:
    return FINE


def _choice(enum: type[StrEnum], *, trimmed: bool = True, text_only: bool = False) -> Callable[[Any], Codes]:
    """One of the enumeration's values: compared as text with its spaces trimmed, or (`trimmed`
    False) exactly as written. `text_only`: a value that is no text at all is also a "text" problem."""
    allowed = values(enum)

    def check(value: Any) -> Codes:
        if value in (None, ""):
            return FINE
        wrong: Codes = ("text",) if text_only and not _is_text(value) else FINE
        chosen = str(value).strip() in allowed if trimmed else value in allowed
        return wrong if chosen else wrong + ("enum",)

    return check


def _uscc(value: Any) -> Codes:
    return FINE if value in (None, "") or ids.uscc_valid(str(value)) else ("uscc",)


def _url(value: Any) -> Codes:
    return FINE if value in (None, "") or safeurl.is_allowed(value) else ("url",)


def _email(value: Any) -> Codes:
    fine = value in (None, "") or (safeurl.scheme(value) == "" and safeurl.is_allowed(f"mailto:{value}"))
    return FINE if fine else ("email",)


def _bool(value: Any) -> Codes:
    return FINE if isinstance(value, bool) else ("bool",)


def _register_date(value: Any) -> Codes:
    return FINE if not cell(value) or isinstance(value, dt.date) or register_date(value) else ("date",)


def _yes_no(value: Any) -> Codes:
    return FINE if cell(value).lower() in YES | NO else ("yesno",)


def _count(value: Any) -> Codes:
    if value in (None, ""):
        return FINE
    if isinstance(value, bool):
        return ("number",)
    return FINE if count(value) is not None else ("count",)


def _amount(value: Any) -> Codes:
    if value in (None, ""):
        return FINE
    if isinstance(value, bool):
        return ("number",)
    try:
        found = Decimal(str(value).strip())
    except InvalidOperation:
        return ("amount",)
    return FINE if found.is_finite() and found >= 0 else ("negative",)


# --- kinds and keys ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """How a key's value is read and checked."""

    name: str  # in Chinese, for the docs
    type: Any  # the Python type `read` gives (the pydantic field's type)
    read: Callable[[Any], Any]
    check: Callable[[Any], Codes]
    empty: Callable[[], Any] = lambda: None  # the value of an absent key
    mapping: type[Declaration] | None = None  # a nested mapping with keys of its own
    choices: tuple[str, ...] = ()  # the values allowed, when it is one of a list


TEXT = Kind("文本", str, text, _text, str)
CATEGORY = Kind("分类路径", str, category_path, _text, str)
DATE = Kind("日期", dt.date | None, as_date, _date)
MOMENT = Kind("日期，可带时间", dt.datetime | None, as_datetime, _date)
PUBLISHERS = Kind("文本或文本列表", list[str], publishers, _publishers, list)
NAMES = Kind("文件名列表", list[str], names, _list, list)
KEYWORDS = Kind("列表或一行文本", list[str], keywords, _list_or_text, list)
ITEMS = Kind("映射的列表", list[Any], items, _list, list)
STATUS = Kind(
    "取值之一", str, status, _choice(Status, text_only=True), lambda: Status.CURRENT.value, choices=values(Status)
)
OPINION = Kind("取值之一", str, text, _choice(Opinion), str, choices=values(Opinion))
NAME = Kind("文本", str, text, _anything, str)  # read as text, any value accepted
FACT = Kind("文本", Any, lambda value: value, _anything)  # kept as written
LEVEL = Kind("取值之一", Any, lambda value: value, _choice(Level, trimmed=False), choices=values(Level))
USCC = Kind("统一社会信用代码", Any, lambda value: value, _uscc)
URL = Kind("网址", Any, lambda value: value, _url)
EMAIL = Kind("电子邮箱", Any, lambda value: value, _email)
ACCOUNTS = Kind("列表", list[Any], items, _list, list)
FLAG = Kind("true 或 false", bool, lambda value: value is True, _bool, bool)
CELL = Kind("文本", str, cell, _anything, str)
REGISTER_DATE = Kind("日期", dt.date | None, register_date, _register_date)
YES_NO = Kind("是/否", bool, lambda value: cell(value).lower() in YES, _yes_no, bool)
COUNT = Kind("非负整数", int | None, count, _count)
AMOUNT = Kind("非负数", Decimal | None, amount, _amount)


def mapping(declaration: type[Declaration]) -> Kind:
    """A nested mapping whose keys are `declaration`'s."""

    def read(value: Any) -> Any:
        return declaration.read(value if isinstance(value, dict) else {})

    return Kind("映射", Any, read, _mapping, lambda: declaration.read({}), declaration)


@dataclass(frozen=True)
class Key:
    """One key of a YAML file (or one column of a register)."""

    label: str  # 中文名
    kind: Kind
    exposure: Exposure
    doc: str  # what it means, in Chinese (docs/content-format.md)
    required: bool = False  # must be filled: FMT002 (a register: the row is not counted)
    when: str = ""  # when it is required in some cases only, in Chinese (checked elsewhere)
    scan: str = ""  # the free text of a published record the secrecy check scans, by this name
    resolved: str = ""  # published only as publicity.py resolves it: "record" (another record's 索引号,
    # shown when that record is listed) or "file" (attachment names, the files located on disk)
    contact: bool = False  # a department's contact for the public: a phone number may stand here
    column: bool = False  # a register column the first row must name
    hint: str = ""  # what to write, added to a message
    limit: int = 0  # the most characters it may have (0: no limit)
    decides: bool = False  # the secrecy decision reads it: a look-alike of it blocks even alone (lookalike.py)
    name: str = ""  # set by the declaration

    @property
    def public(self) -> bool:
        return self.exposure is not Exposure.INTERNAL

    def marks(self) -> dict[str, Any]:
        """The key's marks as the pydantic field's json_schema_extra."""
        return {
            "public": self.public,
            "exposure": self.exposure.value,
            "required": self.required,
            **({"when": self.when} if self.when else {}),
            **({"scan": self.scan} if self.scan else {}),
        }


@dataclass(frozen=True)
class Problem:
    """What is wrong with one value: `loc` the key path (its line: `Parsed.line_of(*loc)`)."""

    loc: tuple[str, ...]
    code: str
    value: Any
    key: Key = field(compare=False, repr=False)


# --- how a key reads: the look-alikes of a key (FMT001, generator/lookalike.py) -----------------

# Letters of other scripts drawn like Latin ones: `рublicity` with a Cyrillic р reads as publicity.
_LOOKS_LATIN = str.maketrans("аеорсухіјѕԁԛԝӏοαρνιυκıɡ", "aeopcyxijsdqwloapviukig")
# Letters to Unicode that show as nothing: Hangul fillers, Khmer inherent vowels, the braille blank.
_BLANK_LETTERS = frozenset("\u115f\u1160\u17b4\u17b5\u3164\uffa0\u2800")


def key_skeleton(written: str) -> str:
    """What a key reads as, for telling a look-alike of a known key: NFKC (a full-width `ｐ` is `p`),
    case folded, accents dropped, a letter of another script drawn like a Latin one read as that
    letter, and only the letters and digits kept — spaces (U+3000 too), invisible characters (U+200B,
    U+FEFF…), `_`, `-` and other punctuation dropped. `Publicity`, `publicity` + U+3000,
    `publicity_`, `publicity` + U+200B, `ｐublicity` and `with-hold reason` all read as `publicity` or
    `withhold_reason`. A key's 中文名 goes through it too (`Declaration.spellings`)."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", written).casefold())
    kept = "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN" and ch not in _BLANK_LETTERS)
    return unicodedata.normalize("NFKC", kept).translate(_LOOKS_LATIN)


class Declaration:
    """The keys of one kind of file, declared as class attributes in the order the docs list them."""

    keys: ClassVar[dict[str, Key]] = {}
    # how each key may be written so that it reads as that key (`key_skeleton`): its name and its
    # 中文名 (the label: the table of docs/content-format.md) → the key's name
    spellings: ClassVar[dict[str, str]] = {}
    _required: ClassVar[tuple[str, ...]] = ()
    _checks: ClassVar[tuple[tuple[str, Key, Callable[[Any], Codes], type[Declaration] | None], ...]] = ()
    _models: ClassVar[dict[bool, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.keys = {}
        for name, value in vars(cls).items():
            if isinstance(value, Key):
                object.__setattr__(value, "name", name)
                cls.keys[name] = value
        cls.spellings = {}
        for name, key in cls.keys.items():
            for written in (name, key.label):
                other = cls.spellings.setdefault(key_skeleton(written), name)
                if other != name:  # two keys one clerk could not tell apart
                    raise TypeError(f"{cls.__name__}: '{written}' of {name} reads as the key {other}")
        cls._required = tuple(name for name, key in cls.keys.items() if key.required)
        cls._checks = tuple((name, key, key.kind.check, key.kind.mapping) for name, key in cls.keys.items())
        cls._models = {}  # public only? → the pydantic model, built on first use

    @classmethod
    def unknown(cls, data: dict[Any, Any]) -> list[Any]:
        """The keys written that are not declared, in the order written."""
        return [key for key in data if key not in cls.keys]

    @classmethod
    def reads_as(cls, written: object) -> str | None:
        """The declared key that `written` reads as (`key_skeleton`: itself, a variant of its name in
        case, width, spacing or invisible characters, or its 中文名), or None."""
        if not isinstance(written, str):
            return None
        if written in cls.keys:
            return written
        return cls.spellings.get(key_skeleton(written))

    @classmethod
    def missing(cls, data: dict[Any, Any]) -> list[str]:
        """The required keys absent or left empty."""
        return [name for name in cls._required if data.get(name) in (None, "", [])]

    @classmethod
    def problems(cls, data: dict[Any, Any], prefix: tuple[str, ...] = ()) -> list[Problem]:
        """What is wrong with each value written, key by key in declared order (a nested
        mapping's problems at the mapping's place)."""
        found: list[Problem] = []
        for name, key, check, mapping in cls._checks:
            if name not in data:
                continue
            value = data[name]
            codes = check(value)
            if codes:
                found.extend([Problem(prefix + (name,), code, value, key) for code in codes])
            if mapping is not None and isinstance(value, dict):
                found.extend(mapping.problems(value, prefix + (name,)))
        return found

    @classmethod
    def exposed(cls, *exposures: Exposure) -> list[Key]:
        return [key for key in cls.keys.values() if key.exposure in exposures]

    @classmethod
    def model(cls, public: bool = False) -> type[BaseModel]:
        """The pydantic model of the declaration, built on first use. `public`: of the keys that may
        be published alone (`read_public`)."""
        if public not in cls._models:
            from pydantic import ConfigDict, Field, PlainValidator, create_model

            fields: dict[str, Any] = {}
            for name, key in cls.keys.items():
                if public and not key.public:
                    continue
                kind = key.kind
                kind_type = kind.mapping.model() if kind.mapping is not None else kind.type
                fields[name] = (
                    Annotated[kind_type, PlainValidator(kind.read)],
                    Field(
                        default_factory=kind.empty, title=key.label, description=key.doc, json_schema_extra=key.marks()
                    ),
                )
            cls._models[public] = create_model(
                f"{cls.__name__}{'Public' if public else ''}Model",
                __config__=ConfigDict(extra="ignore", frozen=True),
                __doc__=cls.__doc__,
                __module__=__name__,
                **fields,
            )
        return cls._models[public]  # type: ignore[no-any-return]

    @classmethod
    def read(cls, data: dict[Any, Any]) -> Any:
        """The typed values of `data` (every key; a bad or absent value reads as empty)."""
        return cls.model().model_validate(data)

    @classmethod
    def read_public(cls, data: dict[Any, Any]) -> Any:
        """The typed values of the keys of `data` that may be published, read as `read` reads them:
        what the selection (publicity.select) reads of every record, without the internal keys —
        the 审查 mapping alone took over half of `read`'s time."""
        return cls.model(public=True).model_validate(data)


def __getattr__(name: str) -> Any:
    """`RecordFrontModel` and the others: the pydantic models by name, so their instances pickle."""
    for declaration in DECLARATIONS:
        for public in (False, True):
            if name == f"{declaration.__name__}{'Public' if public else ''}Model":
                return declaration.model(public)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- the declarations -------------------------------------------------------------------------

LISTED, FULL, INTERNAL = Exposure.LISTED, Exposure.FULL, Exposure.INTERNAL


class Review(Declaration):
    """保密审查 (review): three different people, before publication (先审查、后公开)."""

    drafter = Key("承办人", NAME, INTERNAL, "起草、提出公开意见的人")
    opinion = Key(
        "拟定意见", OPINION, INTERNAL, "主动公开 / 依申请公开 / 免予公开 / 需报审；需报审时不能发布（SEC004）"
    )
    checker = Key("审核人", NAME, INTERNAL, "审核的人，不能是承办人")
    approver = Key("批准人", NAME, INTERNAL, "批准公开的人，不能是承办人或审核人")
    approved_on = Key("批准日期", DATE, INTERNAL, "批准的日期；发布日期不能早于它（SEC005）")


# What a clerk writes for "not known yet" or "not done": a field holding one of these is not filled
# in (a 脱密后公开 record whose declassification names "待定" is not declassified: SEC010).
PLACEHOLDERS = frozenset(
    {
        "待定",
        "待填",
        "待补",
        "待补充",
        "暂无",
        "无",
        "未定",
        "不详",
        "未解密",
        "尚未解密",
        "尚未",
        "tbd",
        "todo",
        "xxx",
        "某某",
    }
)


def given(value: object) -> bool:
    """Whether `value` names something: not absent, blank, a placeholder of PLACEHOLDERS nor punctuation alone."""
    text = "" if value is None else str(value).strip().strip("。.，,；;：:？?！!…-—/\\ ")
    return bool(text) and text.casefold() not in PLACEHOLDERS


class Declassified(Declaration):
    """解密 (declassified): who declassified the information, when, on what basis. Each is given
    only when it names something (`given`): "待定" or "尚未解密" says it has not been declassified."""

    approver = Key("批准人", NAME, INTERNAL, "批准解密的定密责任人")
    date = Key("日期", NAME, INTERNAL, "解密日期")
    basis = Key("依据", NAME, INTERNAL, "解密的依据")


class RecordFront(Declaration):
    """A record's front matter: content/<dept>/**/*.md between the `---` lines."""

    index_no = Key(
        "索引号",
        TEXT,
        LISTED,
        "`<统一社会信用代码>/<年份>-<序号>`，序号 5 到 10 位半角数字，全站唯一；`disclosure new` 分配下一个",
        required=True,
    )
    title = Key("名称", TEXT, LISTED, "信息的名称（文件标题）", required=True, scan="标题")
    summary = Key("内容概述", TEXT, FULL, "不超过 100 字，目录中显示；不填时取正文第一句", scan="内容概述", limit=100)
    category = Key(
        "信息分类",
        CATEGORY,
        LISTED,
        "site.yaml 分类树中末级分类的完整路径，例如 `法定主动公开内容/财政信息`",
        required=True,
    )
    doc_type = Key(
        "文种",
        TEXT,
        FULL,
        "site.yaml `doc_types` 中的一项，例如 规章、行政规范性文件、政策解读、执法结果；决定年报的计数和时效规则",
    )
    topic = Key("主题分类", TEXT, FULL, "site.yaml `topics` 中的一项")
    publisher = Key(
        "发布机构",
        PUBLISHERS,
        LISTED,
        "本部门 department.yaml 的 `name`；联合发文时写成列表并列出本部门（SEC013）",
        required=True,
    )
    doc_no = Key(
        "文号",
        TEXT,
        FULL,
        "年份用六角括号：`玉政办发〔2019〕20号`；`[2019]`、`（2019）`、`(2019)` 是错误（FMT004）；"
        "公告可写 `财政部公告2015年第3号`",
        scan="文号",
    )
    written = Key("成文日期", DATE, LISTED, "信息形成的日期", required=True)
    changed = Key("变更日期", DATE, LISTED, "内容最近一次变更的日期")
    published = Key(
        "发布日期",
        MOMENT,
        LISTED,
        "不早于成文日期和保密审查批准日期；可带时间 `YYYY-MM-DD HH:MM`",
        when="依申请公开、不予公开以外必填",
    )
    publicity = Key(
        "公开属性",
        TEXT,
        LISTED,
        "主动公开 / 依申请公开 / 不予公开 / 删减后公开 / 脱密后公开，决定公开什么（见下表）",
        when="必填，缺少或取值错误为 SEC001",
        decides=True,
    )
    withhold_reason = Key(
        "不予公开理由",
        TEXT,
        INTERNAL,
        "法律依据，例如《中华人民共和国政府信息公开条例》第十四条",
        when="主动公开以外必填（SEC002）",
        decides=True,
    )
    review = Key(
        "保密审查",
        mapping(Review),
        INTERNAL,
        "映射：`drafter` 承办人、`opinion` 拟定意见、`checker` 审核人、"
        "`approver` 批准人、`approved_on` 批准日期；三人各不相同",
        when="不予公开以外必填（SEC003）",
        decides=True,
    )
    declassified = Key(
        "解密",
        mapping(Declassified),
        INTERNAL,
        "映射：`approver` 批准人、`date` 日期、`basis` 依据",
        when="脱密后公开必填（SEC010）",
        decides=True,
    )
    status = Key("有效性", STATUS, FULL, "现行有效 / 已修订 / 已废止 / 已失效，默认现行有效")
    status_date = Key("有效性变更日期", DATE, FULL, "废止、修订或失效的日期", when="有效性不是现行有效时必填（STL004）")
    valid_until = Key("有效期至", DATE, INTERNAL, "过了这一天，有效性须为已失效或已废止（STL003）")
    superseded_by = Key(
        "替代文件", TEXT, FULL, "替代本文件的记录的索引号；页面只链接到公开目录列出的记录", resolved="record"
    )
    next_review = Key("下次复核日期", DATE, INTERNAL, "过了这一天仍未复核即报告 STL002")
    interprets = Key(
        "解读对象",
        TEXT,
        FULL,
        "政策解读所解读的文件的索引号，两个页面互相链接",
        when="政策解读必填（STL005）",
        resolved="record",
    )
    attachments = Key("附件", NAMES, FULL, "`<记录名>.files/` 目录中的文件名列表；只发布列出的附件", resolved="file")
    keywords = Key("关键词", KEYWORDS, FULL, "列表，或写成一行文本", scan="关键词")
    signoffs = Key("签认", ITEMS, INTERNAL, "保密审查签认：审核人确认某条检查结果无碍公开（见 authoring.md）")
    migrated = Key(
        "迁移记录", FLAG, INTERNAL, "true：从原系统迁移而来，发布日期是原系统的发布日期，早于首次提交不报告 STL015"
    )


class DepartmentFacts(Declaration):
    """content/<dept>/department.yaml: the publishing body's own facts (公开指南, footer, 索引号)."""

    name = Key("机关名称", FACT, LISTED, "机关全称，例如 玉溪市人民政府办公室", required=True)
    uscc = Key("统一社会信用代码", USCC, LISTED, "18 位，校验位须正确（GB 32100）；每个索引号的前缀", required=True)
    level = Key(
        "层级",
        LEVEL,
        LISTED,
        "市级政府 / 市直部门 / 县级政府 / 县直部门 / 乡镇街道；决定必须保持非空的栏目",
        required=True,
    )
    office = Key("信息公开工作机构", FACT, LISTED, "办理政府信息公开的机构名称", required=True)
    address = Key("办公地址", FACT, LISTED, "公开指南中的办公地址", required=True, contact=True)
    postcode = Key("邮政编码", FACT, LISTED, "办公地址的邮政编码")
    office_hours = Key("办公时间", FACT, LISTED, "例如 工作日 9:00-17:00", required=True)
    phone = Key("联系电话", FACT, LISTED, "公开指南中的联系电话", required=True, contact=True)
    fax = Key("传真", FACT, LISTED, "传真号码", contact=True)
    email = Key("电子邮箱", EMAIL, LISTED, "电子邮箱地址，页面上是邮件链接", contact=True)
    website = Key("网站", URL, LISTED, "机关网站，`http://` 或 `https://` 开头")
    apply_url = Key("在线申请地址", URL, LISTED, "公众在线提交政府信息公开申请的地址（本站是静态站点）")
    supervision = Key("监督渠道", FACT, LISTED, "投诉电话、信箱，以及受理行政复议和行政诉讼的机关", required=True)
    owners = Key(
        "维护人",
        ACCOUNTS,
        INTERNAL,
        "可以修改本部门目录的 git 账号或邮箱（生成 CODEOWNERS）",
        required=True,
        hint="git 账号或邮箱",
    )
    reviewed = Key(
        "指南复核日期",
        DATE,
        INTERNAL,
        "最近一次核对指南信息的日期；超过 site.yaml `guide_review_days` 报告 STL009",
        required=True,
    )
    low_enforcement = Key("执法频率较低", FLAG, INTERNAL, "true：执法结果可每两个月更新一次，而不是每月（STL006）")


class ApplicationRow(Declaration):
    """A row of the application register (依申请公开登记台账): internal, only counts are published."""

    id = Key("编号", CELL, INTERNAL, "本部门内唯一", required=True, column=True)
    received = Key("收到日期", REGISTER_DATE, INTERNAL, "收到申请的日期", required=True, column=True)
    applicant = Key(
        "申请人类型", CELL, INTERNAL, "自然人 / 商业企业 / 科研机构 / 社会公益组织 / 法律服务机构 / 其他", column=True
    )
    result = Key(
        "办理结果",
        CELL,
        INTERNAL,
        "未办结时留空；否则为年报表三末级行的名称，例如 予以公开、部分公开、"
        "不予公开/属于国家秘密、无法提供/本机关不掌握相关政府信息",
        column=True,
    )
    closed = Key("办结日期", REGISTER_DATE, INTERNAL, "未办结时留空", column=True)
    extended = Key("延期", YES_NO, INTERNAL, "延长答复期限（并已告知申请人）时填“是”，否则留空")
    reconsideration = Key("行政复议", CELL, INTERNAL, "留空，或 维持 / 纠正 / 其他 / 未审结")
    litigation = Key("行政诉讼", CELL, INTERNAL, "留空，或 `直接起诉:<结果>` / `复议后起诉:<结果>`，结果同行政复议")
    correction_requested = Key(
        "补正通知日期",
        REGISTER_DATE,
        INTERNAL,
        "一次性告知申请人补正的日期；须在收到后 7 个工作日内（《条例》第三十条，STL018）",
    )
    correction_received = Key(
        "补正收到日期", REGISTER_DATE, INTERNAL, "收到补正后申请的日期：答复期限自这一天重新起算（《条例》第三十条）"
    )
    consulted_from = Key(
        "征求意见开始", REGISTER_DATE, INTERNAL, "书面征求第三方或其他机关意见的日期（《条例》第三十二条）"
    )
    consulted_to = Key(
        "征求意见结束",
        REGISTER_DATE,
        INTERNAL,
        "收到意见或期满的日期；征求意见的时间不计入答复期限（《条例》第三十三条）",
    )
    suspended_from = Key("中止开始", REGISTER_DATE, INTERNAL, "办理依法中止的日期")
    suspended_to = Key("中止结束", REGISTER_DATE, INTERNAL, "恢复办理的日期；中止的时间不计入答复期限")
    fee = Key("收费", AMOUNT, INTERNAL, "收取的信息处理费（元，《条例》第四十二条）；年报第六部分列出合计")


class ReportFigures(Declaration):
    """The front matter of reports/<year>.md: the figures of table 二 no record can give."""

    permits = Key("行政许可", COUNT, LISTED, "行政许可 本年处理决定数量（件）")
    penalties = Key("行政处罚", COUNT, LISTED, "行政处罚 本年处理决定数量（件）")
    coercions = Key("行政强制", COUNT, LISTED, "行政强制 本年处理决定数量（件）")
    fees = Key("行政事业性收费", AMOUNT, LISTED, "行政事业性收费 本年收费金额（万元，可带小数）")
    published = Key("发布日期", DATE, LISTED, "年度报告在网站上发布的日期，报告页面的 PubDate；不填时页面不带 PubDate")


DECLARATIONS: tuple[type[Declaration], ...] = (
    RecordFront,
    Review,
    Declassified,
    DepartmentFacts,
    ApplicationRow,
    ReportFigures,
)
