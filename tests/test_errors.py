"""One error type with its exit code: every error raised on purpose is a DisclosureError (exit 2 with
its Chinese message); anything else is a bug (exit 3)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Callable

import pytest

from conftest import record_text, run_cli

from generator import changed, compliance, config, errors, output, report, scaffold, today
from generator.cli import UsageError
from generator.search import bundle

PACKAGE = Path(__file__).resolve().parent.parent / "generator"


@pytest.mark.parametrize(
    "error",
    [
        config.ConfigError,
        today.TodayError,
        output.OutputError,
        output.BuildLocked,
        scaffold.ScaffoldError,
        changed.ChangedSinceError,
        compliance.ReportError,
        report.ExportError,
        bundle.IndexerError,
        UsageError,
    ],
)
def test_every_usage_error_is_a_disclosure_error(error: type[Exception]) -> None:
    assert issubclass(error, errors.DisclosureError)


def test_error_class_names_are_unique_in_the_package() -> None:
    found: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name.endswith("Error"):
                found.setdefault(node.name, []).append(path.relative_to(PACKAGE).as_posix())
    assert {name: where for name, where in found.items() if len(where) > 1} == {}


def test_pagefind_failing_is_exit_2_with_its_message_not_an_internal_error(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"content/d1/a.md": record_text()})
    monkeypatch.setattr(bundle, "get_executable", lambda: None)
    result = run_cli("build", "--site", site)
    assert result.code == errors.EXIT_USAGE == 2
    assert "找不到 Pagefind 程序" in result.err and "内部错误" not in result.err and "Traceback" not in result.err
