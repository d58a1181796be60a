"""`disclosure serve`: a department previews, edits, and sees the page follow."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Callable

from conftest import record_text

MakeSite = Callable[..., Path]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_serve_rebuilds_on_change_and_shows_blocking_findings(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text(title="第一版标题")})
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--site", str(site), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: fetch(base + "__disclosure_reload") == "1")
        page = fetch(base + "d1/2026-00001.html")
        assert "第一版标题" in page and "__disclosure_reload" in page
        assert "__disclosure_reload" not in (site / "build/d1/2026-00001.html").read_text("utf-8")

        record = site / "content/d1/a.md"
        record.write_text(record_text(title="第二版标题"), encoding="utf-8")
        wait_for(lambda: "第二版标题" in fetch(base + "d1/2026-00001.html"))

        record.write_text(record_text(title="第三版标题", doc_no="测发[2026]1号"), encoding="utf-8")
        wait_for(lambda: "阻断性问题" in fetch(base + "d1/2026-00001.html"))
        page = fetch(base + "d1/2026-00001.html")
        assert "FMT004" in page and "第二版标题" in page and "第三版标题" not in page
    finally:
        proc.terminate()
        proc.wait(timeout=10)
