"""The preview as a department member uses it: `disclosure serve` on the demo, a record open in
Chromium, the title edited and saved — the open page follows by itself; left alone, the
server does not rebuild. The seconds from save to the new title on screen are printed
(bench/RESULTS.md records them), never asserted: this machine is shared and noisy."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from conftest import copy_demo

RECORD = "content/yuxi/zhidu/2019-fabu-zhidu.md"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _version(base: str) -> str:
    with urllib.request.urlopen(base + "__disclosure_reload", timeout=5) as response:
        return response.read().decode()


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    site = copy_demo(tmp_path / "demo")
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--site", str(site), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if _version(base) != "0":
                    break
            except OSError:
                pass
            time.sleep(0.2)
        yield site, base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_an_edited_title_appears_in_the_open_page_and_idle_means_no_rebuild(page, preview) -> None:  # type: ignore[no-untyped-def]
    site, base = preview
    record = site / RECORD
    text = record.read_text(encoding="utf-8")
    title = re.search(r"^title: (.+)$", text, re.MULTILINE)
    assert title is not None
    index_no = re.search(r"^index_no: \S+/(\S+)$", text, re.MULTILINE)
    assert index_no is not None
    page.goto(f"{base}yuxi/{index_no.group(1)}.html")
    page.wait_for_selector("h1")

    new_title = title.group(1).strip().strip('"') + "（修订）"
    saved = time.monotonic()
    record.write_text(text.replace(title.group(0), f"title: {new_title}"), encoding="utf-8")
    page.wait_for_function(
        "t => (document.querySelector('h1')?.textContent ?? '').includes(t)", arg=new_title, timeout=60_000
    )
    print(f"\nsave → new title in the open page: {time.monotonic() - saved:.2f} s")

    settled = _version(base)
    time.sleep(10)
    assert _version(base) == settled  # ten idle seconds, no rebuild
