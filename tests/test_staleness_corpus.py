"""STL001 on the real corpus (14,881 gov.cn and shanghai.gov.cn records): the number of
records published more than 20 working days after 成文日期 equals an independent count
made with numpy's business-day arithmetic on the same rows."""

from __future__ import annotations

import datetime as dt

import pytest

import corpus
from generator import staleness
from generator.findings import Finding
from generator.model import Site

pytestmark = pytest.mark.skipif(not (corpus.CORPUS / corpus.FILES[0]).is_file(), reason="corpus not present")


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, list[Finding]]:
    site = corpus.corpus_site(tmp_path_factory.mktemp("corpus"))
    return site, staleness.check(site, dt.date(2023, 10, 31))


def test_late_publication_count_matches_an_independent_count(checked: tuple[Site, list[Finding]]) -> None:
    site, findings = checked
    late = {f.file for f in findings if f.rule == "STL001"}
    expected = corpus.independent_late_count()
    print(f"corpus: {len(site.records)} records, {len(late)} published more than 20 working days after 成文日期")
    assert expected > 0
    assert len(late) == expected


def test_the_years_the_calendar_cannot_vouch_for_are_named_once_each(checked: tuple[Site, list[Finding]]) -> None:
    unvouched = [f for f in checked[1] if f.rule == "STL013"]
    years = [f.message[:4] for f in unvouched]
    assert len(years) == len(set(years))
    assert "1999" in years  # before the library's 调休 data begins (2001)
    assert "2023" not in years
