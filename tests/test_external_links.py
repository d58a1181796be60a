"""INS005 链接不可用: `check --external-links` against a local HTTP server on 127.0.0.1 only (never the
internet). A 404 and a request that times out are reported with their file and line; a 200 is
not, nor a link whose server refuses HEAD but answers GET. Answers are cached with their age."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import SITE_YAML, record_text, run_cli

MakeSite = Callable[..., Path]
SLOW = 3.0  # seconds the slow page takes; the site's timeout is 1 second


class Handler(BaseHTTPRequestHandler):
    requests: Counter[str] = Counter()

    def _answer(self, body: bool) -> None:
        Handler.requests[f"{self.command} {self.path}"] += 1
        try:
            self._respond(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the checker gave up waiting (the slow page): nobody is listening any more

    def _respond(self, body: bool) -> None:
        if self.path == "/slow":
            time.sleep(SLOW)
        if self.path == "/missing" or (self.path == "/head-refused" and self.command == "HEAD"):
            self.send_response(404 if self.path == "/missing" else 405)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:  # noqa: N802 (the http.server interface)
        self._answer(False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(True)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return


@pytest.fixture
def server() -> Iterator[str]:
    Handler.requests = Counter()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def linked_site(make_site: MakeSite, base: str, cache_hours: int = 24) -> Path:
    body = (
        f"见[正常页面]({base}/ok)。\n\n"
        f"见[不存在的页面]({base}/missing)。\n\n"
        f"见[很慢的页面]({base}/slow)。\n\n"
        f"见[拒绝 HEAD 的页面]({base}/head-refused)。"
    )
    site_yaml = SITE_YAML + f"inspection: {{link_timeout: 1, link_cache_hours: {cache_hours}}}\n"
    return make_site({"site.yaml": site_yaml, "content/d1/a.md": record_text(body)})


def ins005(site: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli("check", "--site", site, "--format", "json", *args)
    return result.code, [f for f in json.loads(result.out) if f["rule"] == "INS005"]


def test_a_404_and_a_timeout_are_reported_a_200_is_not(make_site: MakeSite, server: str) -> None:
    site = linked_site(make_site, server)
    code, found = ins005(site, "--external-links")
    assert code == 1
    by_url = {f["message"].split("外部链接 ")[1].split(" ")[0]: f for f in found}
    assert set(by_url) == {f"{server}/missing", f"{server}/slow"}
    missing, slow = by_url[f"{server}/missing"], by_url[f"{server}/slow"]
    assert missing["file"] == "content/d1/a.md" and missing["line"] == 13  # the body line of the link
    assert "返回 404" in missing["message"] and "链接不可用" in missing["message"] and missing["severity"] == "block"
    assert slow["line"] == 15 and "没有响应（超时）" in slow["message"]
    assert "修正或删除该链接" in missing["fix"]
    assert Handler.requests["GET /head-refused"] == 1  # HEAD refused, GET answered: not broken


def test_without_the_option_no_link_is_requested(make_site: MakeSite, server: str) -> None:
    site = linked_site(make_site, server)
    code, found = ins005(site)
    assert code == 0 and found == []
    assert sum(Handler.requests.values()) == 0


def test_answers_are_cached_with_their_age(make_site: MakeSite, server: str) -> None:
    site = linked_site(make_site, server)
    ins005(site, "--external-links")
    asked = sum(Handler.requests.values())
    code, found = ins005(site, "--external-links")
    assert sum(Handler.requests.values()) == asked  # young enough: nothing asked again
    assert code == 1 and len(found) == 2
    cache = json.loads((site / ".cache" / "links.json").read_text("utf-8"))
    assert cache["links"][f"{server}/missing"]["status"] == 404 and cache["links"][f"{server}/missing"]["checked"] > 0


def test_a_cache_of_no_hours_asks_every_time(make_site: MakeSite, server: str) -> None:
    site = linked_site(make_site, server, cache_hours=0)
    ins005(site, "--external-links")
    asked = Handler.requests["HEAD /ok"]
    ins005(site, "--external-links")
    assert Handler.requests["HEAD /ok"] == asked + 1
