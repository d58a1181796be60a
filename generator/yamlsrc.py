"""YAML with line numbers: parse once, keep where every key stood.

Findings must point at the line a department member sees in their editor, so the
loader keeps, for every mapping key, the 1-based line it was written on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml is ten times faster; fall back to the pure-Python loader
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

KeyPath = tuple[str | int, ...]


class YamlError(Exception):
    """A YAML text that does not parse; `line` is 1-based in the parsed text."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Parsed:
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line_of(self, *path: str | int, default: int = 1) -> int:
        """Line of the deepest known key on `path` (1-based, in the parsed text)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return default


MERGE_TAG = "tag:yaml.org,2002:merge"


class _Walk:
    """One pass over the node tree: the line of every key, and the faults a plain load hides.

    Each node is visited once, however many aliases refer to it (an alias bomb stays
    linear); paths reached only through an alias are then missing from the line map.
    A key written twice in one mapping is an error naming both lines (PyYAML keeps the
    last silently: a merge conflict resolved carelessly could turn 不予公开 into 主动公开).
    Keys count as the same when they load as equal Python keys (`yes` and `true`, `1` and
    `0x1`). The merge key `<<` is refused: it lets a key arrive from elsewhere and silently
    lose to, or override, one written here.
    """

    def __init__(self, line_offset: int) -> None:
        self.lines: dict[KeyPath, int] = {}
        self.offset = line_offset
        self.seen: set[int] = set()
        self.keys = yaml.constructor.SafeConstructor()

    def _identity(self, key_node: yaml.Node) -> object:
        if isinstance(key_node, yaml.ScalarNode):
            try:
                key = self.keys.construct_object(key_node)
                hash(key)
                return key
            except Exception:  # noqa: BLE001 - construction reports its own errors later
                pass
        return (key_node.tag, key_node.start_mark.line, key_node.start_mark.column)

    def walk(self, node: yaml.Node, prefix: KeyPath) -> None:
        if id(node) in self.seen:
            return
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[object, int] = {}
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                if key_node.tag == MERGE_TAG:
                    raise YamlError("不支持 YAML 合并键 <<：请把要用的键逐一写出", line)
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
                identity = self._identity(key_node)
                if identity in first:
                    name = ".".join(str(part) for part in prefix + (key,))
                    raise YamlError(f"键 '{name}' 重复：第 {first[identity] + self.offset} 行与第 "
                                    f"{line + self.offset} 行（合并冲突后请只保留一个）", line)
                first[identity] = line
                path = prefix + (key,)
                self.lines[path] = line
                self.walk(value_node, path)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                path = prefix + (i,)
                self.lines[path] = item.start_mark.line + 1
                self.walk(item, path)


def _problem(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    return f"{context}: {problem}" if context else problem


def _fault_line(exc: yaml.MarkedYAMLError) -> int:
    """The line a person must fix. An unfinished quote or bracket is reported by the parser
    where the text ran out; the line where it was opened is the one to fix. For a block
    mapping the context is where the mapping began, so there the problem line is right."""
    context = exc.context or ""
    unfinished = exc.context_mark is not None and not context.startswith("while parsing a block")
    mark = exc.context_mark if unfinished else (exc.problem_mark or exc.context_mark)
    return mark.line + 1 if mark else 1


def parse(text: str, line_offset: int = 0) -> Parsed:
    """Parse one YAML document, raising YamlError with the 1-based line of the fault.

    `line_offset` is added to the line numbers written inside error messages (a record's
    front matter starts on file line 2: offset 1), so the message names the lines the
    person sees in the file; `YamlError.line` and the line map stay in the parsed text."""
    loader = _Loader(text)
    walk = _Walk(line_offset)
    try:
        node = loader.get_single_node()
        if node is None:
            return Parsed(None)
        walk.walk(node, ())
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise YamlError(_problem(exc), _fault_line(exc)) from None
    except yaml.YAMLError as exc:
        raise YamlError(_problem(exc), 1) from None
    except (ValueError, OverflowError):  # a date that does not exist: 2025-02-30, month 13
        raise _bad_date(node) from None
    finally:
        loader.dispose()
    return Parsed(data, walk.lines)


TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _bad_date(root: yaml.Node) -> YamlError:
    """The first date-shaped value that is no real date, with its line (PyYAML says neither)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode) and node.tag == TIMESTAMP:
            try:
                yaml.SafeLoader("").construct_yaml_timestamp(node)
            except (ValueError, OverflowError):
                return YamlError(f"日期“{node.value}”不存在（月份应为 1–12，日期不能超过该月天数），请改为真实日期",
                                 node.start_mark.line + 1)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(value for pair in reversed(node.value) for value in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return YamlError("有一个值无法读取（日期或数字超出范围）", 1)
