"""A page to render later: pages are planned in this process (keys computed, unchanged ones
linked from the previous output), and the jobs left are rendered on all cores by
generator.workers — each worker writes its pages into the staging folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable


@dataclass
class Job:
    """A page to render: where, with which template, its key and its context."""

    path: str
    target: Path  # reserved in the staging folder
    template: str
    key: str
    values: dict[str, Any]
    context: Callable[[], dict[str, Any]] | None
