"""The reference docs keep up with the code: every rule id of generator/rules.py, every site.yaml
setting of generator/config.py and every key of the content format (generator/schema.py) has its
row in docs/rules.md, docs/site-yaml.md and docs/content-format.md."""

from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path

import pytest

from generator import config, schema
from generator.rules import RULES

DOCS = Path(__file__).resolve().parent.parent / "docs"


def rows(doc: str) -> list[str]:
    """The table rows of a doc."""
    return [line for line in (DOCS / doc).read_text(encoding="utf-8").splitlines() if line.startswith("|")]


def settings(cls: type, prefix: str = "") -> list[str]:
    """Every setting of a config.py section, as its dotted path (`deadlines.publish_days`,
    `platforms[].url`); a list of sections is written `name[]`, a nested tree once."""
    found = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if "doc" not in f.metadata:
            continue  # root, parsed, path: not settings
        path = prefix + f.name
        found.append(path)
        hint = hints[f.name]
        item = typing.get_args(hint)[0] if typing.get_origin(hint) is list else hint
        if dataclasses.is_dataclass(item) and item is not cls:
            found.extend(settings(typing.cast(type, item), path + ("[]." if item is not hint else ".")))
    return found


def test_every_rule_has_its_row_in_rules_md() -> None:
    documented = {match for row in rows("rules.md") for match in re.findall(r"^\|\s*([A-Z]{3}\d{3})\b", row)}
    missing = sorted(set(RULES) - documented)
    assert not missing, f"docs/rules.md 缺少这些规则的表格行（| 编号 | …）：{missing}"


def test_every_setting_is_in_site_yaml_md() -> None:
    text = "\n".join(rows("site-yaml.md"))
    missing = [path for path in settings(config.SiteConfig) if f"`{path}`" not in text]
    assert not missing, f"docs/site-yaml.md 的表格中缺少这些设置（写作 `路径`）：{missing}"


DECLARED = [
    (declaration, prefix)
    for declaration, prefix in (
        (schema.RecordFront, ""),
        (schema.Review, "review."),
        (schema.Declassified, "declassified."),
        (schema.DepartmentFacts, ""),
        (schema.ApplicationRow, ""),
        (schema.ReportFigures, ""),
    )
]


@pytest.mark.parametrize("declaration, prefix", DECLARED, ids=[d.__name__ for d, _ in DECLARED])
def test_every_key_is_described_in_content_format_md(declaration: type[schema.Declaration], prefix: str) -> None:
    """A row naming the key (`review.opinion` for a nested one) and its Chinese name: the doc itself
    describes every key, not a spec outside the repository."""
    table = rows("content-format.md")
    missing = [
        f"{prefix}{name}（{key.label}）"
        for name, key in declaration.keys.items()
        if not any(f"`{prefix}{name}`" in row and key.label in row for row in table)
    ]
    assert not missing, f"docs/content-format.md 缺少 {declaration.__name__} 这些键的表格行：{missing}"


def test_every_declaration_is_checked_here() -> None:
    assert {d for d, _ in DECLARED} == set(schema.DECLARATIONS)


def test_the_settings_walk_sees_nested_sections() -> None:
    found = settings(config.SiteConfig)
    assert {"deadlines.update_days", "footer.icp", "platforms[].url", "categories[].freshness_days"} <= set(found)


def _row(declaration: type[schema.Declaration], prefix: str, name: str) -> list[str]:
    """The cells of the key's row in docs/content-format.md (the table of its declaration)."""
    label = declaration.keys[name].label
    for row in rows("content-format.md"):
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        if cells[0] == f"`{prefix}{name}`" and cells[1] == label:
            return cells
    raise AssertionError(f"docs/content-format.md 没有 {prefix}{name} 的表格行")


@pytest.mark.parametrize("declaration, prefix", DECLARED, ids=[d.__name__ for d, _ in DECLARED])
def test_every_key_has_an_example_the_validator_accepts_and_lists_its_allowed_values(
    declaration: type[schema.Declaration], prefix: str
) -> None:
    """The last column of each key's row is an example, written as in the file (YAML; a register
    cell as text), that the key's own check accepts; a key with a fixed list of values names
    every one of them. A change to the validator that the doc does not follow fails here."""
    from generator import yamlsrc

    problems = []
    for name, key in declaration.keys.items():
        cells = _row(declaration, prefix, name)
        example = cells[-1]
        if not (example.startswith("`") and example.endswith("`")):
            problems.append(f"{prefix}{name}: 没有示例")
            continue
        written = example.strip("`")
        value = written if declaration is schema.ApplicationRow else yamlsrc.parse(f"v: {written}").data["v"]
        codes = list(key.kind.check(value))
        if codes:
            problems.append(f"{prefix}{name}: 示例 {written!r} 不合格：{codes}")
        missing = [choice for choice in key.kind.choices if choice not in " ".join(cells)]
        if missing:
            problems.append(f"{prefix}{name}: 没有列出可选值 {missing}")
    assert not problems, "\n".join(problems)
