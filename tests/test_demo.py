"""The demo site (the repository root) as a newcomer gets it."""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import REPO, run_cli
from generator.load import split_front_matter


def demo_records(site: Path = REPO) -> list[tuple[Path, dict[str, object]]]:
    found = []
    for path in sorted((site / "content").glob("*/**/*.md")):
        rel = path.relative_to(site / "content").parts
        if rel[1] in ("reports", "applications") or any(p.startswith("_") for p in rel):
            continue
        split = split_front_matter(path.read_text("utf-8"))
        assert split is not None, path
        found.append((path, yaml.safe_load(split[0])))
    return found


def test_demo_covers_every_publicity_and_the_required_departments() -> None:
    records = demo_records()
    assert len(records) >= 30
    assert {meta["publicity"] for _, meta in records} == {
        "主动公开",
        "依申请公开",
        "不予公开",
        "删减后公开",
        "脱密后公开",
    }
    names = {yaml.safe_load((p / "department.yaml").read_text("utf-8"))["name"] for p in (REPO / "content").iterdir()}
    assert {"玉溪市人民政府办公室", "华宁县人民政府", "楚雄市人民政府办公室", "阿尔山市政务公开领导小组办公室"} <= names
    assert any(meta.get("status") == "已废止" and meta.get("superseded_by") for _, meta in records)
    assert any(meta.get("doc_type") == "政策解读" and meta.get("interprets") for _, meta in records)


def test_demo_check_passes_at_its_pinned_date() -> None:
    result = run_cli("check", "--site", REPO)
    assert result.code == 0, result.out


def test_demo_build_has_one_page_per_public_record(demo_build: Path) -> None:
    public = [meta for _, meta in demo_records() if meta["publicity"] in ("主动公开", "删减后公开", "脱密后公开")]
    departments = {p.name for p in (REPO / "content").iterdir() if p.is_dir()}
    pages = {
        p.relative_to(demo_build).as_posix()
        for p in demo_build.glob("*/*.html")
        if p.parent.name in departments and p.name[0].isdigit()
    }
    expected = {
        f"{path.relative_to(REPO / 'content').parts[0]}/{str(meta['index_no']).split('/', 1)[1]}.html"
        for path, meta in demo_records()
        if meta["publicity"] in ("主动公开", "删减后公开", "脱密后公开")
    }
    assert len(expected) == len(public)
    assert expected <= pages
    assert pages == expected


def test_markers_planted_in_the_demo_never_reach_its_output(demo_copy: Path) -> None:
    planted = {"不予公开": ("DEMO-WITHHELD-TITLE", "DEMO-WITHHELD-BODY"), "依申请公开": (None, "DEMO-ONREQUEST-BODY")}
    for path, meta in demo_records(demo_copy):
        markers = planted.get(str(meta["publicity"]))
        if not markers:
            continue
        text = path.read_text("utf-8")
        title_marker, body_marker = markers
        if title_marker:
            text = text.replace(f"title: {meta['title']}", f"title: {meta['title']}{title_marker}", 1)
            assert title_marker in text
        path.write_text(text.rstrip("\n") + f"\n\n{body_marker}\n", encoding="utf-8")
    result = run_cli("build", "--site", demo_copy)
    assert result.code == 0, result.err
    for file in (demo_copy / "build").rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            for marker in ("DEMO-WITHHELD-TITLE", "DEMO-WITHHELD-BODY", "DEMO-ONREQUEST-BODY"):
                assert marker.encode() not in data, f"{marker} in {file}"


def test_yaml_error_on_line_7_of_a_demo_record(demo_built_copy: Path) -> None:
    demo_copy = demo_built_copy  # built: the output a failed build must leave as it is
    before = {p: p.read_bytes() for p in (demo_copy / "build").rglob("*") if p.is_file()}
    assert before
    path, _ = demo_records(demo_copy)[0]
    lines = path.read_text("utf-8").split("\n")
    lines[6] = lines[6].split(":", 1)[0] + ': "unclosed'
    path.write_text("\n".join(lines), encoding="utf-8")
    rel = path.relative_to(demo_copy).as_posix()
    result = run_cli("check", "--site", demo_copy)
    assert result.code == 1 and f"{rel}:7" in result.out
    assert run_cli("build", "--site", demo_copy).code == 1
    after = {p: p.read_bytes() for p in (demo_copy / "build").rglob("*") if p.is_file()}
    assert after == before
