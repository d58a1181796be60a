"""Stage 3 — secrecy check (保密审查): rules SEC001–SEC017, before anything is rendered."""

from __future__ import annotations

from ..findings import Finding
from ..model import Site


def check(site: Site) -> list[Finding]:
    """Every SEC finding of the site."""
    return []
