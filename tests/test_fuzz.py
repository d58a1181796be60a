"""A short fuzz run in the suite (the long one: bench/fuzz/run.py, results in bench/RESULTS.md).

For each part a department commits — a record's front matter and body, attachment names and
bytes, the register, department.yaml, site.yaml — hypothesis draws cases (the same ones on every
run: derandomized), and each must pass the oracle of tests/fuzzing.py: no exit 3, no hang, every
rejection a finding with its file and line, no non-public canary in the output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from fuzzing import FAMILIES, run_case, write_site

EXAMPLES = 6  # per part: ~40 s for the whole file on a shared 2-core machine


@pytest.mark.parametrize("family", list(FAMILIES))
def test_fuzz(family: str, tmp_path: Path) -> None:
    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(FAMILIES[family]())
    def case(drawn: dict[str, str | bytes]) -> None:
        outcome = run_case(write_site(tmp_path / "site", drawn), family)
        assert not outcome.problems, "\n".join(outcome.problems)

    case()


def test_the_base_site_builds_and_its_canaries_are_really_there(tmp_path: Path) -> None:
    """The oracle's positive control: with nothing drawn the site builds, and the canaries are in
    its sources (so their absence from the output means something)."""
    from fuzzing import SECRET, base_files

    site = write_site(tmp_path / "site", {})
    outcome = run_case(site, "none")
    assert outcome.problems == [] and outcome.built
    sources = "".join(v if isinstance(v, str) else v.decode() for v in base_files().values()).upper()
    assert all(canary in sources for canary in SECRET)
