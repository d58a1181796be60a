"""Stage 4 — staleness lint (时效): rules STL001–STL012 on the working-day calendar."""

from __future__ import annotations

import datetime as dt

from ..findings import Finding
from ..model import Site


def check(site: Site, today: dt.date) -> list[Finding]:
    """Every STL finding of the site, measured against `today`."""
    return []
