"""The cycle collector is kept out of a check (generator/heap.py): the check makes no reference
cycles per record, so what it sets aside is freed by reference counting alone; the collector runs
again after it, and forked workers collect what they make."""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import DEPARTMENT_YAML, DEPT_USCC, SITE_YAML, record_text, write_site
from generator import heap, pipeline, workers
from generator.config import load_config

TODAY = dt.date(2026, 11, 21)


@pytest.fixture(autouse=True)
def collector() -> Iterator[None]:
    """Each test starts and ends with the collector running and nothing set aside."""
    gc.enable()
    gc.unfreeze()
    yield
    gc.enable()
    gc.unfreeze()


def site_of(folder: Path, records: int) -> Path:
    files = {"site.yaml": SITE_YAML, "content/d1/department.yaml": DEPARTMENT_YAML}
    for n in range(records):
        files[f"content/d1/{2020 + n % 5}/r{n}.md"] = record_text(index_no=f"{DEPT_USCC}/2026-{n + 1:05d}")
    return write_site(folder, files)


def cycles_left(site: Path) -> int:
    """Objects in reference cycles that a check of `site` leaves behind once its result is dropped."""
    config = load_config(site)[0]
    pipeline.check(config, TODAY, 1)  # first: what importing and first use leave
    gc.unfreeze()
    gc.collect()
    gc.disable()
    result = pipeline.check(config, TODAY, 1)
    del result
    gc.unfreeze()
    return gc.collect()


def test_a_check_makes_no_reference_cycles_per_record(tmp_path: Path) -> None:
    """The premise of setting the check's objects aside: what it leaves in cycles does not grow
    with the records (a recursive closure per department folder once left one per record file)."""
    small, large = cycles_left(site_of(tmp_path / "small", 60)), cycles_left(site_of(tmp_path / "large", 600))
    assert large - small < 100, (small, large)  # one object a record would be 540 more


def test_the_collector_runs_again_after_a_check(tmp_path: Path) -> None:
    pipeline.check(load_config(site_of(tmp_path / "site", 3))[0], TODAY, 1)
    assert gc.isenabled()
    gc.disable()
    pipeline.check(load_config(tmp_path / "site")[0], TODAY, 1)
    assert not gc.isenabled()  # as it was


def _collecting(_: int) -> tuple[bool, int]:
    return gc.isenabled(), os.getpid()


@pytest.mark.skipif(os.name == "nt", reason="forked workers only where fork exists")
def test_forked_workers_collect_their_own_cycles() -> None:
    """Even when the parent has its collector paused, as during a check's own work on all cores."""
    gc.disable()
    found = workers.fork_map(_collecting, list(range(200)), 2)
    assert {pid for _, pid in found} - {os.getpid()}, "the work ran in forked workers"
    assert all(enabled for enabled, _ in found)


def test_the_preview_hands_back_what_each_build_set_aside(tmp_path: Path) -> None:
    """`serve` builds again and again in one process: whatever a build left in a cycle is freed in
    time, not kept for the life of the preview."""
    from generator.serve import Preview

    site = site_of(tmp_path / "site", 3)
    preview = Preview(site, site / "build", TODAY, lambda result: None)
    preview.rebuild()
    assert (site / "build" / "index.html").is_file()
    assert gc.get_freeze_count() == 0


def test_a_childs_result_arrives_without_the_collector_walking_it() -> None:
    """A build's check hands its publication back from a child process (apart.py): hundreds of
    thousands of objects. The collector stays out while they are unpickled (here, where the build
    goes on with them), and runs again afterwards, with them set aside."""
    from generator import apart

    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(count)
    try:
        result = apart.in_child(lambda: [[n, str(n)] for n in range(300_000)])
    finally:
        gc.callbacks.remove(count)
    assert result[299_999] == [299_999, "299999"]
    assert collections == []  # with the collector on, unpickling this collected hundreds of times
    assert gc.isenabled() and gc.get_freeze_count() >= 300_000


def test_a_build_lets_its_publication_go_before_the_output_scan(
    demo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The output scan's processes start beside the building one: what was published (at 200,000
    records, hundreds of MiB, held by the cycles of the last pages rendered) is gone by then, in a
    full build and in one that checked in this process."""
    import weakref

    from generator import render, secrecy

    probes: list[weakref.ref[object]] = []
    alive_at_scan: list[bool] = []
    render_site, guard = render.render_site, secrecy.guard

    def rendering(publication, *args, **kwargs):  # type: ignore[no-untyped-def]
        probes.append(weakref.ref(publication))
        return render_site(publication, *args, **kwargs)

    def scanning(*args, **kwargs):  # type: ignore[no-untyped-def]
        alive_at_scan.append(probes[0]() is not None)
        return guard(*args, **kwargs)

    monkeypatch.setattr(render, "render_site", rendering)
    monkeypatch.setattr(secrecy, "guard", scanning)
    config, errors = load_config(demo_copy)
    assert not errors
    result = pipeline.build(config, demo_copy / "build", TODAY, jobs=1)
    assert result.built and result.pages > 100
    # the next build renders only what changed, and checks in this process (pipeline.build)
    probes.clear()
    again = pipeline.build(config, demo_copy / "build", TODAY, jobs=1)
    assert again.built and again.pages == result.pages
    assert alive_at_scan == [False, False]


def test_a_build_that_checks_here_lets_the_check_go_before_the_listings_are_rendered(
    demo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build after a change checks in the building process and holds what the check made until
    its record pages are written: the listings (an added record's 45,000 pages at a city's scale)
    are rendered by workers forked after it is gone."""
    import weakref

    from generator.render import catalogue

    config, errors = load_config(demo_copy)
    assert not errors
    assert pipeline.build(config, demo_copy / "build", TODAY, jobs=1).built
    probes: list[weakref.ref[object]] = []
    alive_at_listings: list[bool] = []
    check, render_catalogues = pipeline.check, catalogue.render_catalogues

    def checking(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = check(*args, **kwargs)
        probes.append(weakref.ref(result))
        return result

    def listing(*args, **kwargs):  # type: ignore[no-untyped-def]
        alive_at_listings.append(probes[0]() is not None)
        return render_catalogues(*args, **kwargs)

    monkeypatch.setattr(pipeline, "check", checking)
    monkeypatch.setattr(catalogue, "render_catalogues", listing)
    record = next((demo_copy / "content").rglob("*.md"))
    added = record.with_name("added-" + record.name)
    text = record.read_text(encoding="utf-8")
    number = re.search(r"^index_no: (.*)$", text, re.M)
    assert number is not None
    added.write_text(text.replace(number[1], number[1][:-3] + "999"), encoding="utf-8")
    assert pipeline.build(config, demo_copy / "build", TODAY, jobs=1).built
    assert alive_at_listings == [False]


def test_the_catalogue_export_leaves_no_cycles_a_row_while_the_collector_is_paused() -> None:
    """catalogue.json is written while pages are made, with the collector paused (heap.py), and
    json's indenting encoder leaves a reference cycle for each row it encodes. At 200,000 records
    those held some 500 MB through the search stage; now they are collected as the rows go."""
    from generator.render import exportrows, exports

    rows = [{"title": f"第{n}号", "publisher": ["甲局", "乙局"]} for n in range(5 * exports.ASIDE)]
    layout, forms = exports.json_layout({"site": "测试"}, "records"), bytes(32 * len(rows))
    with heap.paused():
        export = exportrows.write(layout, forms, lambda n: exports.json_row(rows[n], n), "key", "base")
        written = sum(map(len, export.pieces))
        gc.unfreeze()
        left = gc.collect()
    assert written > 5 * exports.ASIDE * 20
    assert left < 5 * exports.ASIDE, left  # a row's encoder alone is more than one object in a cycle
