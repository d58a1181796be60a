"""The last net: whatever a template, an exporter or the search indexer writes, a number or a
marking in any output channel stops the build before the swap, however it is split or
packed, and the previous output stays byte-identical."""

from __future__ import annotations

import io
import multiprocessing
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterable

import pytest

from conftest import SITE_YAML, record_text, run_cli, tree_hash, write_site
from generator import executors, workers
from generator.output import Output

MakeSite = Callable[..., Path]
REPORT = (
    "---\npermits: 1\npenalties: 1\ncoercions: 0\nfees: 0\n---\n"
    "## 总体情况\n\n本年度工作正常。\n\n## 存在的主要问题及改进情况\n\n没有需要说明的问题。\n"
)


def _docx(data: bytes) -> bytes:
    """A Word file with a mobile number split over three runs of one paragraph."""
    paragraph = (
        "<w:p><w:r><w:t>联系139</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>5708</w:t></w:r>"
        '<w:r><w:t xml:space="preserve">6421</w:t></w:r></w:p>'
    )
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            member = source.read(info)
            if info.filename == "word/document.xml":
                member = member.replace(b"</w:body>", paragraph.encode() + b"</w:body>", 1)
            out.writestr(info, member)
    return target.getvalue()


# channel: (output path pattern it is planted in, how, file named in the finding)
CHANNELS: dict[str, tuple[str, Callable[[str | bytes], str | bytes], str]] = {
    "html": (
        r"d1/2026-00001\.html$",
        lambda t: t.replace("</article>", "<p>手机<b>139</b>5708<i>6421</i></p></article>", 1),
        r"d1/2026-00001\.html",
    ),
    "pagefind fragment": (
        r"d1/2026-00001\.html$",
        lambda t: t.replace("</article>", "<p>秘<span>密</span>★1年</p></article>", 1),
        r"pagefind/.*\.pf_fragment",
    ),
    "docx": (r"\.docx$", lambda b: _docx(bytes(b)), r"\.docx!word/document\.xml"),
    "json": (
        r"catalogue\.json$",
        lambda t: t.replace("关于测试工作的通知", "关于139\u200b5708\u200b6421", 1),
        r"catalogue\.json",
    ),
    "csv": (r"catalogue\.csv$", lambda t: t + "x,139-5708-6421\n", r"catalogue\.csv"),
    "feed": (
        r"(^|/)feed\.xml$",
        lambda b: re.sub(rb"(</(?:\w+:)?feed>)", "<title>１３９５７０８６４２１</title>".encode() + rb"\1", bytes(b)),
        r"feed\.xml",
    ),
    "sitemap": (
        r"sitemap\.xml$",
        lambda b: bytes(b).replace(b"</urlset>", "<url><loc>https://x/139 5708 6421</loc></url></urlset>".encode()),
        r"sitemap\.xml",
    ),
}


def _plant(monkeypatch: pytest.MonkeyPatch, pattern: str, change: Callable[[str | bytes], str | bytes]) -> list[str]:
    """Change every output file matching `pattern` as it is written; returns the files changed.
    Text changes (str in, str out) get the file as UTF-8 text."""
    place, place_pieces = Output.place, Output.place_pieces
    planted: list[str] = []

    def planted_data(rel: str, data: bytes) -> bytes:
        if not re.search(pattern, rel):
            return data
        planted.append(rel)
        try:
            changed = change(data)
        except (TypeError, AttributeError):
            changed = change(data.decode("utf-8"))
        return changed.encode("utf-8") if isinstance(changed, str) else changed

    def planted_place(self: Output, rel: str, target: Path, data: bytes, key: str = "") -> Any:
        return place(self, rel, target, planted_data(rel, data), key)

    def planted_pieces(self: Output, rel: str, target: Path, pieces: Iterable[bytes], key: str = "") -> Any:
        return place_pieces(self, rel, target, [planted_data(rel, b"".join(pieces))], key)

    # every file of the build is placed by one of these two
    monkeypatch.setattr(Output, "place", planted_place)
    monkeypatch.setattr(Output, "place_pieces", planted_pieces)
    return planted


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site with a record, an annual report (the .docx) and a feed, built once: each channel's
    test builds a copy of it again (the module's copy stays as it is)."""
    site = tmp_path_factory.mktemp("net") / "site"
    site.mkdir()
    write_site(
        site,
        {
            "content/d1/r.md": record_text(),
            "content/d1/reports/2025.md": REPORT,
            "site.yaml": SITE_YAML + "base_url: https://xxgk.example.gov.cn/\n",
        },
    )
    assert run_cli("build", "--site", site).code == 0
    return site


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_last_net_blocks_a_canary_in_every_channel(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, channel: str
) -> None:
    site = Path(shutil.copytree(built, tmp_path / "site", symlinks=True))  # with its previous output
    before = tree_hash(site / "build")
    pattern, change, named = CHANNELS[channel]
    shutil.rmtree(site / ".cache/pages")  # render every page again, so each passes through the plant
    planted = _plant(monkeypatch, pattern, change)
    result = run_cli("build", "--site", site)
    assert planted and result.code == 1, (planted, result.err)
    assert re.search(rf"build/\S*{named}\S*:\d+\s+生成的输出中", result.err), result.err
    assert tree_hash(site / "build") == before
    assert "5708" not in result.err  # the hidden middle of the planted number is never printed


def test_an_unreadable_output_file_is_refused_and_an_image_is_not(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"content/d1/r.md": record_text()})
    place = Output.place

    def extra(self: Output, rel: str, target: Path, data: bytes, key: str = "") -> Any:
        if rel == "index.html":
            place(self, "static/logo.png", self.path("static/logo.png"), b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
            place(self, "static/blob.bin", self.path("static/blob.bin"), bytes(range(256)) * 4)
        return place(self, rel, target, data, key)

    monkeypatch.setattr(Output, "place", extra)
    result = run_cli("build", "--site", site)
    assert result.code == 1
    assert "SEC015" in result.err and "static/blob.bin" in result.err and "logo.png" not in result.err


def test_a_large_output_is_scanned_in_fresh_processes_with_the_findings_of_one(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A city's output is scanned by processes started afresh (executors.FreshPool), not forked
    from the building process and its gigabytes: they find what one process finds."""
    monkeypatch.setattr(executors, "FRESH_MIN", 0)  # this site's output as large as a city's
    monkeypatch.setattr(workers, "MIN_PER_WORKER", 1)
    started: list[str | None] = []
    get_context = multiprocessing.get_context
    monkeypatch.setattr(
        multiprocessing, "get_context", lambda method=None: started.append(method) or get_context(method)
    )
    pattern, change, _ = CHANNELS["html"]
    planted = _plant(monkeypatch, pattern, change)
    found = {}
    for jobs in ("1", "2"):
        site = Path(shutil.copytree(built, tmp_path / jobs / "site", symlinks=True))
        shutil.rmtree(site / ".cache/pages")
        result = run_cli("build", "--site", site, "--jobs", jobs)
        assert result.code == 1, result.err
        found[jobs] = re.findall(r"build/\S+:\d+\s+生成的输出中\S+", result.err)
    assert planted and found["1"] == found["2"] != []
    assert "spawn" in started


@pytest.mark.parametrize("setting", ["off", "warn"])
def test_the_net_blocks_and_says_so_whatever_the_site_sets_for_the_rule(make_site: MakeSite, setting: str) -> None:
    """A site that switches SEC006 off or to warn passes the check, but the output scan still
    abandons the build: its finding is shown as blocking, saying the setting does not reach it —
    not a bare "blocking problems" with none listed."""
    site_yaml = SITE_YAML.replace("rules: {", f"rules: {{SEC006: '{setting}', ")
    site = make_site({"site.yaml": site_yaml, "content/d1/r.md": record_text("本办法附件：机密★5年")})
    result = run_cli("build", "--site", site)
    assert result.code == 1
    shown = result.out + result.err
    assert "[阻断] SEC006" in shown
    assert f"site.yaml 的 rules 将 SEC006 设为 {setting}，只影响生成前的检查" in shown
    assert not (site / "build").exists()
