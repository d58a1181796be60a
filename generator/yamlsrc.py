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


def _walk(node: yaml.Node, prefix: KeyPath, lines: dict[KeyPath, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
            path = prefix + (key,)
            lines[path] = key_node.start_mark.line + 1
            _walk(value_node, path, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            path = prefix + (i,)
            lines[path] = item.start_mark.line + 1
            _walk(item, path, lines)


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


def parse(text: str) -> Parsed:
    """Parse one YAML document, raising YamlError with the 1-based line of the fault."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Parsed(None)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise YamlError(_problem(exc), _fault_line(exc)) from None
    except yaml.YAMLError as exc:
        raise YamlError(_problem(exc), 1) from None
    finally:
        loader.dispose()
    lines: dict[KeyPath, int] = {}
    _walk(node, (), lines)
    return Parsed(data, lines)
