"""The code stays clean under the project's own tooling (configured in pyproject.toml): ruff's lint,
ruff's formatter and mypy. The `test` extra installs both; without them the test says so and skips."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=900, check=False)


def ruff() -> str:
    found = shutil.which("ruff")
    if found is None:
        pytest.skip("ruff is not installed: `python3 -m pip install -e '.[test]'` installs it")
    return found


def test_ruff_check() -> None:
    result = run(ruff(), "check", "--no-cache", ".")
    assert result.returncode == 0, f"ruff check found problems (fix them, or `ruff check --fix`):\n{result.stdout}"


def test_ruff_format() -> None:
    result = run(ruff(), "format", "--check", "--no-cache", ".")
    assert result.returncode == 0, f"files ruff would reformat (run `ruff format`):\n{result.stdout}"


def test_mypy() -> None:
    pytest.importorskip("mypy", reason="mypy is not installed: `python3 -m pip install -e '.[test]'` installs it")
    result = run(sys.executable, "-m", "mypy", "generator")
    assert result.returncode == 0, f"mypy generator:\n{result.stdout}{result.stderr}"
