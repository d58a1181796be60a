"""Index one shard with Pagefind's extended binary (Chinese segmentation), measuring it.

The binary ships in the `pagefind_bin_extended` wheel and is found by the `pagefind` package;
nothing is downloaded. It sees a folder holding, for each of the shard's pages, a page made from
the record's public metadata and the search words of its text (docs.page), so no other page of the
site, nor any other part of a page, can reach the index whatever its markup says. What it writes
is then put in a canonical form (canonical.py), so two runs over the same pages give the same
bytes, and each fragment — what the browser loads of a result — gets the page's document text in
place of the words (`put_texts`): the word index needs the words, the browser the text. Last, the
titles, 文号 and 索引号 of its pages are written in groups beside them (heads.py).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from pagefind.service import get_executable

from ..errors import DisclosureError
from . import canonical, docs, heads, order
from .docs import Doc

# One index language for every shard, so the search page can merge them all: "und" (undetermined),
# for the words given to Pagefind are hashes and ASCII runs, no natural language (terms.py). Under
# "zh" the extended binary ran its Chinese segmenter over those ASCII words, a quarter of its user
# CPU time for an index whose words were the same (bench/RESULTS.md, 2026-12-06, night).
LANGUAGE = "und"
PEAK = Path(__file__).with_name("peak.py")  # runs the binary and measures it (see there)
TIMEOUT = 600  # seconds one shard's indexing may take before it is stopped as hung
PAGES = ".pages"  # the folder of the pages given to the indexer, beside its bundle (index_pages)


class IndexerError(DisclosureError):
    """Pagefind failed on a shard; the message is in Chinese and carries its output (exit 2: the
    build cannot be carried out here, the output is left as it was)."""


@dataclass(frozen=True)
class Measurement:
    seconds: float
    peak_kib: int  # the indexing process's own peak resident memory (generator/search/peak.py)


def _binary() -> Path:
    found = get_executable()
    if found is None:
        raise IndexerError("找不到 Pagefind 程序：请安装 pagefind[extended]")
    return found


def index_pages(
    root: Path,
    items: tuple[Doc, ...],
    dest: Path,
    shard: str = "",
    prepared: Callable[[Mapping[str, str], set[str]], None] | None = None,
    known: Mapping[str, str] | None = None,
) -> Measurement:
    """Write the Pagefind bundle of the pages `items` (output paths under `root`) to the new folder
    `dest`, its page ids those of shard `shard` (canonical.own_ids). `prepared`: called with the
    document text of each page (by URL, as the fragments will hold it) and the term directory keys
    of those texts (terms.keys, found as they were cut into words) once the pages are read and the
    indexer starts, which needs nothing of this interpreter until it ends.
    `known`: the document text (docs.shown) of pages whose bytes it was found from, by output path
    (ShardCache.known_texts): those pages are not read.

    The pages given to the indexer are written beside `dest` (`dest` then PAGES), removed once it has
    run: for a bundle being made in the shard cache (ShardCache.scratch), what a killed build
    leaves there is tidied with its other leftovers, where the system's temporary folder would keep
    a city shard's 20 MB for good."""
    texts: dict[str, str] = {}
    body_keys: set[str] = set()  # terms.keys of every page's text
    scratch = dest.with_name(dest.name + PAGES)
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        site = scratch / "site"
        for item in items:
            target = site / item.path
            target.parent.mkdir(parents=True, exist_ok=True)
            text = known.get(item.path) if known is not None else None
            if text is None:
                text = docs.shown(docs.text((root / item.path).read_text(encoding="utf-8")))
            texts["/" + item.path] = text
            target.write_text(docs.page(item, text, body_keys), encoding="utf-8")
        command = [
            str(_binary()),
            "--site",
            str(site),
            "--output-path",
            str(dest),
            "--force-language",
            LANGUAGE,
            "--quiet",
        ]
        log = scratch / "pagefind.log"
        if prepared is not None:
            prepared(texts, body_keys)
        started = time.perf_counter()
        run = _run([sys.executable, "-I", str(PEAK), str(log), *command])
        seconds = time.perf_counter() - started
        try:
            report = json.loads(run.stdout)
        except ValueError:
            raise IndexerError(f"无法运行 Pagefind：{run.stderr.strip()}") from None
        if report["code"] != 0 or not (dest / "pagefind-entry.json").exists():
            output = log.read_text(encoding="utf-8", errors="replace").strip()
            raise IndexerError(f"Pagefind 建立索引失败（退出码 {report['code']}）：{output}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    canonical.canonicalize(dest, shard)  # the same pages, the same bytes (Pagefind's order is arbitrary)
    heads.write(dest, put_texts(dest, texts))  # each group's titles, 文号 and 索引号, to check first
    return Measurement(seconds, int(report["peak_kib"]))


def put_texts(bundle: Path, texts: dict[str, str]) -> list[dict[str, Any]]:
    """Rewrite each fragment of `bundle` with the text `texts` gives for its URL in place of the
    search words it was indexed with (its name stays: it is the page's id, which the index refers
    to); the fragments, as rewritten. A fragment of no known page, or a page without a fragment, is
    an indexer fault."""
    seen = set()
    fragments = []
    for path in sorted((bundle / "fragment").glob(f"*{order.FRAGMENT}")):
        fragment = order.fragment(path.read_bytes())
        url = fragment.get("url")
        if url not in texts:
            raise IndexerError(f"Pagefind 写出了未知页面的索引片段：{url}")
        seen.add(url)
        fragment["content"] = texts[url]
        fragments.append(fragment)
        data = canonical.SIGNATURE + json.dumps(fragment, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    if missing := sorted(set(texts) - seen):
        raise IndexerError(f"Pagefind 未为 {len(missing)} 个页面写出索引片段，例如 {missing[0]}")
    return fragments


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    """Run `command` in a process group of its own, stopping the whole group (Pagefind under
    peak.py) if it takes longer than TIMEOUT or the build is interrupted."""
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise IndexerError(
            f"Pagefind 建立索引超过 {TIMEOUT} 秒仍未结束，已停止（可能卡死）；请重试，如反复出现请报告维护人员"
        ) from None
    except BaseException:
        _stop(process)
        raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _stop(process: subprocess.Popen[str]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        process.kill()
    process.communicate()
