"""Stage 6 — index: the client-side search index over the rendered public pages."""

from __future__ import annotations

from .output import Output
from .publicity import Publication


def build_index(publication: Publication, output: Output) -> None:
    """Index the public record pages of `output` (search arrives with its own issue)."""
