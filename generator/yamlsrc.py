"""YAML with line numbers: parse once, keep where every key stood — bounded, safe, in Chinese.

Findings must point at the line a department member sees in their editor, so the
loader keeps, for every mapping key, the 1-based line it was written on.

Every YAML file of a site (site.yaml, department.yaml, a record's or a report's front matter)
goes through `parse`, which is libyaml (CSafeLoader) plus one linear walk over the node tree that
also makes the data, as PyYAML's safe constructor would (a second walk, in Python, was a third of
a parse):

- **Bounded.** At most MAX_DEPTH levels of nesting (aliases followed), MAX_ALIASES alias uses
  and MAX_NODES nodes once every alias is expanded; an alias that refers to a collection it
  stands in (a recursive alias) is refused. A text that could nest deeper than libyaml's
  recursive composer can take is checked event by event first, so no input crashes the process.
- **Safe.** Only the plain YAML types load: text, numbers, true/false, null, dates, lists and
  mappings. An explicit tag other than `!!str` (`!!python/…`, `!!binary`, `!!set`, `!foo`) is
  refused; so is the merge key `<<`.
- **In Chinese.** A syntax error is reported with the line and column to fix and a hint for
  the usual causes (a full-width colon `：`, a tab, an unclosed quote or bracket, indentation),
  never with PyYAML's English.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

import yaml

from . import limits, yamlflat

try:  # libyaml is ten times faster; fall back to the pure-Python loader
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader

RESOLVED_KEPT = 100_000  # plain scalars whose implicit tag is remembered, per process


Y = "tag:yaml.org,2002:"
STR, SEQ, MAP = Y + "str", Y + "seq", Y + "map"


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """The safe loader, remembering the implicit tag of each plain scalar: PyYAML matches a value
    that begins like a number or a date against its regular expressions every time it meets it,
    and a site's records repeat their dates and numbers. The tag is a function of the text alone
    (the safe loader has no path resolvers). A text that no implicit resolver begins with (most
    of a record's values: Chinese text) is a string without asking PyYAML, which says the same
    while it has no resolver for every text and none by path (`plain_text_is_str`)."""

    _resolved: dict[tuple[str, tuple[bool, bool]], str] = {}
    plain_text_is_str = False  # set below, from PyYAML's own tables

    def resolve(self, kind: type, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode or not value:
            return super().resolve(kind, value, implicit)
        if value[0] not in self.yaml_implicit_resolvers:
            return STR if self.plain_text_is_str else super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(self._resolved) < RESOLVED_KEPT:
                self._resolved[key] = tag
        return tag


_Loader.plain_text_is_str = (
    None not in _Loader.yaml_implicit_resolvers
    and not _Loader.yaml_path_resolvers
    and _Loader.DEFAULT_SCALAR_TAG == STR
)

KeyPath = tuple[str | int, ...]
# The value of a scalar of an IMPLICIT_SCALARS tag is a function of its text, and one that cannot
# change (a date, a number, true, null): a site's records repeat their dates, made once per process.
_PLAIN_MADE: dict[tuple[str, str], object] = {}
_NOT_MADE = object()

MAX_DEPTH = 64  # levels of nesting, aliases followed
MAX_ALIASES = 1_000  # alias uses (*name) in one document
MAX_NODES = 100_000  # values in one document once every alias is expanded
# libyaml's composer recurses once per level; a text that may nest deeper than this is first
# checked event by event (the parser itself does not recurse).
_COMPOSER_SAFE = 1_000
_NESTING = re.compile(r"[\[{]|[-?:](?=[ \t\r\n]|$)", re.MULTILINE)

MERGE_TAG, VALUE_TAG, TIMESTAMP = Y + "merge", Y + "value", Y + "timestamp"
ALLOWED_COLLECTIONS = {SEQ, MAP}
IMPLICIT_SCALARS = {Y + "int", Y + "float", Y + "bool", Y + "null", TIMESTAMP}

GENERIC_FIX = "按报错的行和列修正 YAML 语法：冒号用半角“: ”且后面加空格，同级的键左对齐（只用空格缩进），含冒号、#、引号的值整体加引号。"


class YamlError(Exception):
    """A YAML text that does not parse or is refused; `line` is 1-based in the parsed text,
    `column` 1-based (0: not known), `message` and `fix` in Chinese."""

    def __init__(self, message: str, line: int, column: int = 0, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.fix = fix or GENERIC_FIX


class LazyLines(Protocol):
    """A lines table kept as text (the check cache's): one key looked up without making the table."""

    def line(self, path: KeyPath) -> int | None:
        """The line of exactly `path`, or None when the table has no such key."""

    def table(self) -> dict[KeyPath, int]:
        """The whole table."""


class Parsed:
    """A document's data and the line of every key in it (`lines`: key path → 1-based line).
    `lines` may be given as a LazyLines: the check cache keeps each record's table as text, most
    records' lines are never looked up, and most of the others only for a finding or two."""

    __slots__ = ("data", "_lines")

    def __init__(self, data: Any, lines: dict[KeyPath, int] | LazyLines | None = None) -> None:
        self.data = data
        self._lines = {} if lines is None else lines

    @property
    def lines(self) -> dict[KeyPath, int]:
        if not isinstance(self._lines, dict):
            self._lines = self._lines.table()
        return self._lines

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Parsed) and (self.data, self.lines) == (other.data, other.lines)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the data it holds

    def __repr__(self) -> str:
        """The data and the lines, the same in every process: a page's key (pagecache.fingerprint)
        takes the form of what it does not know from its repr, and site.yaml's Parsed is in some."""
        return f"Parsed({self.data!r}, {self.lines!r})"

    def line_of(self, *path: str | int, default: int = 1) -> int:
        """Line of the deepest known key on `path` (1-based, in the parsed text)."""
        lines = self._lines
        find = lines.get if isinstance(lines, dict) else lines.line  # a lazy table: one key, not the table
        while path:
            line = find(path)
            if line is not None:
                return line
            path = path[:-1]
        return default


def _shown_tag(tag: str) -> str:
    return "!!" + tag[len(Y) :] if tag.startswith(Y) else tag


def _where(line: int, column: int, offset: int) -> str:
    """ "第 L 行第 C 列" as the person sees the file (`line`, `column` 1-based in the parsed text)."""
    return f"第 {line + offset} 行" + (f"第 {column} 列" if column else "")


class _Walk:
    """One pass over the node tree: the line of every key, and the faults a plain load hides.

    Each node is visited once, however many aliases refer to it (an alias bomb stays
    linear); paths reached only through an alias are then missing from the line map.
    The walk is iterative (no recursion limit) and measures, per node, its size and height
    with every alias expanded, so the bounds hold for what a consumer of the data will see.
    A key written twice in one mapping is an error naming both lines (PyYAML keeps the
    last silently: a merge conflict resolved carelessly could turn 不予公开 into 主动公开).
    Keys count as the same when they load as equal Python keys (`yes` and `true`, `1` and
    `0x1`). The merge key `<<` is refused: it lets a key arrive from elsewhere and silently
    lose to, or override, one written here.

    The walk also makes the data, as PyYAML's safe constructor would (`data`): a string is its
    text, another scalar is made by the loader's own constructor, a mapping or a list is made once
    its items are, and a node met again through an alias is the same object. Where that could
    differ from PyYAML — a key that is no scalar, a value the constructor refuses — it leaves the
    data to PyYAML's `construct_document`, which also raises its own error.
    """

    def __init__(self, loader: Any, line_offset: int, max_chars: int) -> None:
        self.loader = loader
        self.max_chars = max_chars
        self.lines: dict[KeyPath, int] = {}
        self.offset = line_offset
        self.keys = yaml.constructor.SafeConstructor()
        self.alias_fault = False  # an alias bound is exceeded: located by _scan
        self.made: dict[int, Any] | None = {}  # node id → its value; None: left to construct_document

    def data(self, root: yaml.Node) -> Any:
        """The document's data as PyYAML's safe loader makes it (after `walk`)."""
        if self.made is None:
            return self.loader.construct_document(root)
        return self.made[id(root)]

    def _make_scalar(self, node: yaml.ScalarNode) -> None:
        if self.made is None:
            return
        value = node.value if node.tag == STR else _scalar(self.loader, node)
        if value is _NOT_MADE:
            self.made = None
        else:
            self.made[id(node)] = value

    def _make_collection(self, node: yaml.Node) -> None:
        made = self.made
        if made is None:
            return
        if isinstance(node, yaml.MappingNode):
            if any(key.__class__ is not yaml.ScalarNode for key, _ in node.value):
                self.made = None  # PyYAML refuses the unhashable ones, with its own message
                return
            made[id(node)] = {made[id(key)]: made[id(value)] for key, value in node.value}
        else:
            made[id(node)] = [made[id(item)] for item in node.value]

    def _identity(self, key_node: yaml.Node) -> object:
        if key_node.tag == STR and isinstance(key_node, yaml.ScalarNode):
            return key_node.value  # what almost every key is: its text is the key
        if isinstance(key_node, yaml.ScalarNode):
            try:
                key = self.keys.construct_object(key_node)
                hash(key)
                return key
            except Exception:  # noqa: BLE001 - construction reports its own errors later
                pass
        return (key_node.tag, key_node.start_mark.line, key_node.start_mark.column)

    def _check_tag(self, node: yaml.Node) -> None:
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            if len(node.value) > self.max_chars:
                mark = node.start_mark
                raise YamlError(
                    f"{_where(mark.line + 1, mark.column + 1, self.offset)}：这个值有 {len(node.value)} 个字，"
                    f"超过 {self.max_chars} 字的上限",
                    mark.line + 1,
                    mark.column + 1,
                    f"缩短该值（长文请写在正文或附件中）；确需更长时，调高 site.yaml 的 limits.field_chars（现为 {self.max_chars}）。",
                )
            if tag == STR:
                return
            if tag == VALUE_TAG:  # a lone `=`: PyYAML has no constructor for it; it is text
                node.tag = STR
                return
            if (
                tag in IMPLICIT_SCALARS
                and not node.style
                and self.loader.resolve(yaml.ScalarNode, node.value, (True, False)) == tag
            ):
                return
            if tag == MERGE_TAG:  # `<<` as a key is refused by the mapping; as a value it is text
                node.tag = STR
                return
        elif tag in ALLOWED_COLLECTIONS:
            return
        mark = node.start_mark
        raise YamlError(
            f"{_where(mark.line + 1, mark.column + 1, self.offset)}：不支持 YAML 标签“{_shown_tag(tag)}”",
            mark.line + 1,
            mark.column + 1,
            "删除以 ! 开头的标签，只写值本身；要把数字或日期当作文本，给值加引号即可。",
        )

    def walk(self, root: yaml.Node) -> None:
        done: dict[int, tuple[int, int]] = {}  # node id → (size, height) with aliases expanded
        active: set[int] = set()  # nodes entered and not yet finished: an alias to one is recursive
        aliases = 0
        stack: list[tuple[yaml.Node, KeyPath, int, bool]] = [(root, (), 1, False)]
        while stack:
            node, prefix, depth, finished = stack.pop()
            ident = id(node)
            if finished:
                active.discard(ident)
                size, height = 1, 0
                for child in _children(node):
                    child_size, child_height = done[id(child)]
                    size += child_size
                    height = child_height if child_height > height else height
                done[ident] = (size, height + 1)
                if size > MAX_NODES:
                    self.alias_fault = True
                    return
                self._make_collection(node)
                continue
            if ident in done or ident in active:  # met again: an alias
                aliases += 1
                if ident in active or aliases > MAX_ALIASES or depth - 1 + done[ident][1] > MAX_DEPTH:
                    self.alias_fault = True
                    return
                continue
            if depth > MAX_DEPTH:
                mark = node.start_mark
                raise _too_deep(mark.line + 1, mark.column + 1, self.offset)
            if node.__class__ is yaml.ScalarNode:
                if node.tag != STR or len(node.value) > self.max_chars:
                    self._check_tag(node)
                    self._make_scalar(node)
                elif self.made is not None:
                    self.made[ident] = node.value
                done[ident] = (1, 1)
                continue
            self._check_tag(node)
            active.add(ident)
            stack.append((node, prefix, depth, True))
            if isinstance(node, yaml.MappingNode):
                first: dict[object, int] = {}
                pending = []
                for key_node, value_node in node.value:
                    line = key_node.start_mark.line + 1
                    if key_node.tag == MERGE_TAG:
                        raise YamlError(
                            f"第 {line + self.offset} 行：不支持 YAML 合并键 <<",
                            line,
                            key_node.start_mark.column + 1,
                            "不用 <<，把要用的键逐一写出。",
                        )
                    key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
                    identity = self._identity(key_node)
                    if identity in first:
                        name = ".".join(str(part) for part in prefix + (key,))
                        raise YamlError(
                            f"键 '{name}' 重复：第 {first[identity] + self.offset} 行与第 "
                            f"{line + self.offset} 行（合并冲突后请只保留一个）",
                            line,
                            key_node.start_mark.column + 1,
                            "同一层级的键只能出现一次：核对两处的值，删去错误的一个。",
                        )
                    first[identity] = line
                    path = prefix + (key,)
                    self.lines.setdefault(path, line)
                    pending.append((key_node, prefix, depth + 1))
                    pending.append((value_node, path, depth + 1))
                stack.extend((child, path, level, False) for child, path, level in reversed(pending))
            elif isinstance(node, yaml.SequenceNode):
                pending_items = []
                for i, item in enumerate(node.value):
                    path = prefix + (i,)
                    self.lines.setdefault(path, item.start_mark.line + 1)
                    pending_items.append((item, path))
                stack.extend((item, path, depth + 1, False) for item, path in reversed(pending_items))


def _scalar(loader: Any, node: yaml.ScalarNode) -> Any:
    """A scalar's value made by the loader's own constructor (int, float, bool, null, timestamp),
    or _NOT_MADE where the loader has none or it refuses the text (construct_document then raises)."""
    key = (node.tag, node.value)
    value = _PLAIN_MADE.get(key, _NOT_MADE)
    if value is not _NOT_MADE:
        return value
    make = loader.yaml_constructors.get(node.tag)
    if make is None:
        return _NOT_MADE
    try:
        value = make(loader, node)
    except Exception:  # noqa: BLE001 - construct_document raises it again, as PyYAML does
        return _NOT_MADE
    if node.tag in IMPLICIT_SCALARS and len(_PLAIN_MADE) < RESOLVED_KEPT:
        _PLAIN_MADE[key] = value
    return value


class _Plain:
    """A plain scalar's value as the walk makes it, for `yamlflat`: the text itself when it loads as
    text, the constructor's value for a date, number, bool or null, NOT_PLAIN otherwise (the tag
    `=` and `<<` resolve to, or a value the constructor refuses: the walk's business)."""

    def __init__(self) -> None:
        self.loader: Any = None  # made at first use: a parser of an empty text, for its resolver

    def __call__(self, text: str) -> Any:
        if _Loader.plain_text_is_str and text and text[0] not in _Loader.yaml_implicit_resolvers:
            return text  # as _Loader.resolve says, without the call: most values are Chinese text
        if self.loader is None:
            self.loader = _Loader("")
        tag = self.loader.resolve(yaml.ScalarNode, text, (True, False))
        if tag == STR:
            return text
        if tag not in IMPLICIT_SCALARS:
            return yamlflat.NOT_PLAIN
        value = _scalar(self.loader, yaml.ScalarNode(tag, text))
        return yamlflat.NOT_PLAIN if value is _NOT_MADE else value


_plain = _Plain()


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _too_deep(line: int, column: int, offset: int) -> YamlError:
    return YamlError(
        f"{_where(line, column, offset)}：嵌套超过 {MAX_DEPTH} 层",
        line,
        column,
        f"列表和映射最多嵌套 {MAX_DEPTH} 层（别名 * 展开后也算）：检查是否多写了方括号、花括号或缩进。",
    )


def _scan(text: str, offset: int) -> YamlError | None:
    """The first bound the text exceeds, found event by event (libyaml's parser does not recurse):
    nesting depth, alias uses, a recursive alias, or the size once aliases are expanded — with the
    line and column where it happens. None when the text stays within every bound (or does not
    parse: the composer then reports that)."""
    loader = _Loader(text)
    anchors: dict[str, tuple[int, int]] = {}  # anchor → (size, height) of its finished node
    open_: list[list[Any]] = []  # [anchor, size, height] of each collection being read
    aliases = expanded = 0

    def add(size: int, height: int) -> None:
        if open_:
            parent = open_[-1]
            parent[1] += size
            parent[2] = max(parent[2], height + 1)

    try:
        while True:
            event = loader.get_event()
            if isinstance(event, yaml.StreamEndEvent):
                return None
            mark = event.start_mark
            line, column = mark.line + 1, mark.column + 1
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if len(open_) + 1 > MAX_DEPTH:
                    return _too_deep(line, column, offset)
                expanded += 1
                open_.append([event.anchor, 1, 1])
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                anchor, size, height = open_.pop()
                if anchor is not None:
                    anchors[anchor] = (size, height)
                add(size, height)
            elif isinstance(event, yaml.ScalarEvent):
                expanded += 1
                if event.anchor is not None:
                    anchors[event.anchor] = (1, 1)
                add(1, 1)
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                where = _where(line, column, offset)
                if any(item[0] == event.anchor for item in open_):
                    return YamlError(
                        f"{where}：别名 *{event.anchor} 引用了包含它自身的 &{event.anchor}（循环引用）",
                        line,
                        column,
                        "删除该别名，把值直接写出来。",
                    )
                if aliases > MAX_ALIASES:
                    return YamlError(
                        f"{where}：别名（*名称）用了 {aliases} 次，超过 {MAX_ALIASES} 次",
                        line,
                        column,
                        "减少别名的使用，把值直接写出来。",
                    )
                if event.anchor not in anchors:
                    return None  # an undefined alias: the composer's own error
                size, height = anchors[event.anchor]
                if len(open_) + height > MAX_DEPTH:
                    return _too_deep(line, column, offset)
                expanded += size
                if expanded > MAX_NODES:
                    return YamlError(
                        f"{where}：别名 *{event.anchor} 展开后内容超过 {MAX_NODES} 项（疑似“别名炸弹”）",
                        line,
                        column,
                        "不要层层引用别名，把值直接写出来。",
                    )
                add(size, height)
    except yaml.YAMLError:
        return None  # a syntax error: the composer reports it with its own line
    finally:
        loader.dispose()


def parse(text: str, line_offset: int = 0, max_chars: int | None = None) -> Parsed:
    """Parse one YAML document, raising YamlError with the 1-based line of the fault.

    `line_offset` is added to the line numbers written inside error messages (a record's
    front matter starts on file line 2: offset 1), so the message names the lines the
    person sees in the file; `YamlError.line` and the line map stay in the parsed text.
    `max_chars`: the longest value allowed (default: site.yaml limits.field_chars in force).
    A flat front matter (one `key: value` a line, `yamlflat`) is read without libyaml."""
    max_chars = limits.active().field_chars if max_chars is None else max_chars
    flat = yamlflat.parse(text, _plain, max_chars)
    if flat is not None:
        return Parsed(*flat)
    # may nest deeper than the composer can take (each opening is a character at least: a short
    # text cannot)
    if len(text) > _COMPOSER_SAFE and len(_NESTING.findall(text)) > _COMPOSER_SAFE:
        fault = _scan(text, line_offset)
        if fault is not None:
            raise fault
    loader = _Loader(text)
    walk = _Walk(loader, line_offset, max_chars)
    node = None
    try:
        node = loader.get_single_node()
        if node is None:
            return Parsed(None)
        walk.walk(node)
        if walk.alias_fault:
            raise _scan(text, line_offset) or YamlError(
                f"{_where(1, 0, line_offset)}：别名（*名称）超出限制", 1, 0, "不要使用别名，把值直接写出来。"
            )
        data = walk.data(node)
    except yaml.MarkedYAMLError as exc:
        raise _explain(exc, text, line_offset) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text, line_offset) from None
    except yaml.YAMLError:
        raise YamlError(f"{_where(1, 0, line_offset)}：无法按 YAML 读取", 1) from None
    except (ValueError, OverflowError, TypeError):  # a date that does not exist: 2025-02-30, month 13
        raise _bad_value(node, line_offset) from None
    finally:
        loader.dispose()
    return Parsed(data, walk.lines)


# --- what went wrong, in Chinese -----------------------------------------------------------

TAB_FIX = "YAML 只能用空格缩进：把该行开头的制表符（Tab）换成空格，并与同级的键对齐。"
FULL_WIDTH_FIX = "把全角冒号“：”改成半角冒号“:”，并在冒号后加一个空格，例如 doc_no: 测发〔2026〕1号。"
NO_SPACE_FIX = "在“键:”的冒号后加一个空格，例如 title: 关于……的通知。"
QUOTE_VALUE_FIX = "值中含有“: ”或以特殊字符开头时，把整个值用引号括起来，例如 title: '关于……: 补充通知'。"
INDENT_FIX = "同级的键必须左对齐（用相同个数的空格缩进）；下级的键比上级多缩进两个空格。"
KEY_LINE = re.compile(r"^\s*(?:-\s+)?[^\s#'\"\[\]{}：:]+(?P<colon>：|:(?=\S))")


def _line_text(text: str, line: int) -> str:
    lines = text.split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _char_at(text: str, line: int, column: int) -> str:
    row = _line_text(text, line)
    return row[column - 1] if 0 < column <= len(row) else ""


def _previous_content_line(text: str, line: int) -> int:
    """The nearest line above `line` that is neither blank nor a comment, or 0."""
    for candidate in range(line - 1, 0, -1):
        stripped = _line_text(text, candidate).strip()
        if stripped and not stripped.startswith("#"):
            return candidate
    return 0


def _colon_fault(text: str, line: int) -> tuple[int, int, str, str] | None:
    """A key on `line` written with a full-width colon or without the space after its colon."""
    row = _line_text(text, line)
    match = KEY_LINE.match(row)
    if match is None:
        return None
    column = match.start("colon") + 1
    if match["colon"] == "：":
        return line, column, "键后面用了全角冒号“：”", FULL_WIDTH_FIX
    return line, column, "冒号后缺少空格", NO_SPACE_FIX


def _explain(exc: yaml.MarkedYAMLError, text: str, offset: int) -> YamlError:
    context, problem = exc.context or "", exc.problem or ""
    problem_mark, context_mark = exc.problem_mark or exc.context_mark, exc.context_mark or exc.problem_mark
    line = problem_mark.line + 1 if problem_mark else 1
    column = problem_mark.column + 1 if problem_mark else 0
    start_line = context_mark.line + 1 if context_mark else line
    start_column = context_mark.column + 1 if context_mark else column
    what, fix = "YAML 语法错误", GENERIC_FIX

    if "tab character" in problem or ("cannot start any token" in problem and _char_at(text, line, column) == "\t"):
        what, fix = "用了制表符（Tab）缩进或分隔", TAB_FIX
    elif "while scanning a quoted scalar" in context:
        quote = _char_at(text, start_line, start_column) or "引"
        line, column = start_line, start_column
        what = (
            f"从这里开始的{quote}号没有闭合"
            if "end of stream" in problem or "document" in problem
            else f"{quote}号中的内容写法不对"
        )
        fix = "补上配对的引号（英文引号，前后一致）；值中本身含有引号时，改用另一种引号括起整个值。"
    elif "while parsing a quoted scalar" in context or "escape" in problem or "hexdecimal" in problem:
        what = "双引号中的反斜杠 \\ 后面是无效的转义"
        fix = "把双引号改为单引号，或把反斜杠写成两个（\\\\）。"
    elif "while parsing a flow sequence" in context or "while parsing a flow mapping" in context:
        bracket = "方括号 [" if "sequence" in context else "花括号 {"
        line, column = start_line, start_column
        what = f"从这里开始的{bracket} 没有闭合，或其中各项之间缺少逗号"
        fix = f"补上配对的{'方括号 ]' if '[' in bracket else '花括号 }'}，各项之间用半角逗号“,”分隔；含逗号或冒号的项加引号。"
    elif "could not find expected ':'" in problem:
        line, column = start_line, start_column
        found = _colon_fault(text, line)
        if found:
            line, column, what, fix = found
        else:
            row = _line_text(text, line)
            if "：" in row:
                column, what, fix = row.index("：") + 1, "这一行用了全角冒号“：”", FULL_WIDTH_FIX
            else:
                what, fix = (
                    "这一行缺少“键: 值”中的冒号",
                    "写成“键: 值”（半角冒号后加空格）；若是上一行值的延续，请把整个值写在一行并加引号。",
                )
    elif "mapping values are not allowed" in problem:
        row = _line_text(text, line)
        before = row[: max(column - 1, 0)].strip()
        previous = _previous_content_line(text, line)
        found = _colon_fault(text, line) or (_colon_fault(text, previous) if previous else None)
        if ": " in before.removeprefix("- "):
            what, fix = "值中含有“: ”", QUOTE_VALUE_FIX
        elif found is not None:
            line, column, what, fix = found
        else:
            what, fix = "缩进不对：这一行比上一行多缩进了，或上一行的值没有写完", INDENT_FIX
            column = len(row) - len(row.lstrip(" ")) + 1
    elif "did not find expected key" in problem:
        row = _line_text(text, line)
        if row.lstrip().startswith("- "):
            what = "列表项“- ”不能写在这里（缩进不对，或上一个键没有留空值）"
            fix = "列表写在“键:”的下一行，每项以“- ”开头并比键多缩进两个空格；同一列表的各项左对齐。"
        else:
            what, fix = "缩进不对：这一行与上面同级的键没有对齐", INDENT_FIX
        column = len(row) - len(row.lstrip(" ")) + 1
    elif "did not find expected '-' indicator" in problem:
        what, fix = "缩进不对：列表中这一行没有对齐", "同一列表的各项以“- ”开头并左对齐。"
    elif "block sequence entries are not allowed" in problem:
        what = "列表项“- ”不能写在这里"
        fix = "列表写在“键:”的下一行，每项以“- ”开头；不要在“键: 值”的同一行接着写“- ”。"
    elif "cannot start any token" in problem:
        char = _char_at(text, line, column)
        what = f"字符“{char}”不能作为值的开头" if char else "这里有无法识别的字符"
        fix = "把整个值用引号括起来（以 @、`、%、! 等字符开头的值必须加引号）。"
    elif "undefined alias" in problem:
        name = _alias_name(text, line, column)
        what, fix = (
            f"别名 *{name} 没有对应的锚点 &{name}",
            "值以 * 开头时，把整个值用引号括起来；或在前面用 &名称 定义锚点。",
        )
    elif "duplicate anchor" in problem:
        what, fix = "锚点（&名称）重复定义", "每个锚点名称只能定义一次。"
    elif "expected a single document" in context or "another document" in problem:
        what, fix = "只能有一个 YAML 文档：这里又开始了一个", "删除多余的“---”行。"
    elif "document indicator" in problem:
        what, fix = "“---”或“...”出现在值的中间", "把含有“---”的值用引号括起来，或删除该行。"
    elif "unhashable key" in problem:
        what, fix = "键不能是列表或映射", "键写成一段文字，例如 title: 值。"
    elif "while scanning an alias" in context or "while scanning an anchor" in context:
        what = "“*”或“&”后面应是名称"
        fix = "值以 * 或 & 开头时，把整个值用引号括起来，例如 title: '*重要*通知'。"
    elif "while scanning a tag" in context or "while parsing a tag" in context or "tag handle" in problem:
        what, fix = "以 ! 开头的值写法不对", "值以 ! 开头时，把整个值用引号括起来。"
    elif "block scalar" in context or "indentation indicator" in problem:
        what, fix = "多行文字（| 或 >）的写法不对", "在“键: |”的下一行开始写文字，每行比键多缩进两个空格。"
    elif "directive" in context or "directive" in problem or "YAML document" in problem:
        what, fix = "以 % 开头的行不是有效的 YAML 指令", "删除该行；值以 % 开头时加引号。"
    elif "did not find expected node content" in problem or "expected SCALAR" in problem:
        what, fix = "这里缺少值，或有多余的符号", "检查该处的逗号、冒号和括号是否多写或漏写。"
    elif "end of stream" in problem:
        what = "文件在一个值写完之前就结束了"
    elif "simple key" in context:
        line, column = start_line, start_column
        what, fix = "键太长或跨行了", "键写在一行之内，并以半角冒号加空格结束。"
    return YamlError(f"{_where(line, column, offset)}：{what}", line, column, fix)


def _alias_name(text: str, line: int, column: int) -> str:
    row = _line_text(text, line)
    start = row.find("*", max(column - 2, 0))
    match = re.match(r"\*([^\s,\[\]{}]+)", row[start:]) if start >= 0 else None
    return match.group(1) if match else ""


def _reader_error(exc: yaml.reader.ReaderError, text: str, offset: int) -> YamlError:
    """A character YAML does not accept (a control character, U+FFFE), with its line and column."""
    code = exc.character if isinstance(exc.character, int) else ord(exc.character or "\0")
    index = text.find(chr(code))
    if index < 0:
        return YamlError(f"{_where(1, 0, offset)}：含有 YAML 不允许的字符 U+{code:04X}", 1)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return YamlError(
        f"{_where(line, column, offset)}：含有不可见的控制字符 U+{code:04X}",
        line,
        column,
        '删除该字符（常由复制粘贴带入）；确需时在双引号中用转义写法，例如 "\\x07"。',
    )


def _bad_value(root: yaml.Node | None, offset: int) -> YamlError:
    """The first date-shaped value that is no real date, with its line (PyYAML says neither)."""
    seen: set[int] = set()
    stack = [root] if root is not None else []
    constructor = yaml.SafeLoader("")
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode) and node.tag == TIMESTAMP:
            try:
                constructor.construct_yaml_timestamp(node)
            except (ValueError, OverflowError, TypeError):
                line, column = node.start_mark.line + 1, node.start_mark.column + 1
                return YamlError(
                    f"日期“{node.value}”不存在（{_where(line, column, offset)}）",
                    line,
                    column,
                    "改为真实日期（YYYY-MM-DD，月份 1–12，日期不超过该月天数）。",
                )
        elif isinstance(node, yaml.MappingNode):
            stack.extend(value for pair in reversed(node.value) for value in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return YamlError(f"{_where(1, 0, offset)}：有一个值无法读取（日期或数字超出范围）", 1)
