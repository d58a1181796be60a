"""Run one bench script's child part under two versions of the product, and compare what each wrote.

Used by bench/yaml_same.py and bench/facts_same.py: each re-runs its own file with `--child OUT`
(and its own options) once with OLD_TREE and once with NEW_TREE first on PYTHONPATH; the child
writes one line per input ("name result…") to OUT and its measures, last, on stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path


def run_both(script: str, arguments: list[str], old: Path, new: Path) -> dict[str, tuple[list[str], list[str]]]:
    """label ("old", "new") → (the lines the child wrote, the words of its stderr's last line)."""
    results: dict[str, tuple[list[str], list[str]]] = {}
    with tempfile.TemporaryDirectory() as work:
        for label, tree in (("old", old), ("new", new)):
            out = Path(work) / label
            run = subprocess.run(
                [sys.executable, script, *arguments, "--child", str(out)],
                env={**os.environ, "PYTHONPATH": str(tree.resolve())},
                capture_output=True,
                text=True,
                check=True,
            )
            results[label] = (out.read_text("utf-8").splitlines(), run.stderr.splitlines()[-1].split())
    return results


def print_alike(old: list[str], new: list[str]) -> None:
    """How many lines the two children wrote alike, and the names of the first that differ."""
    differ = [a.split()[0] for a, b in zip(old, new) if a != b]
    print(
        f"read alike: {len(old) - len(differ)} of {len(old)}"
        + ("" if len(old) == len(new) else " (lists differ in length)")
    )
    for name in differ[:20]:
        print(f"differs: {name}")
