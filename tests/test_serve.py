"""`disclosure serve`: a department previews, edits, and sees the page follow; nobody else
reads the preview, and the preview quotes nothing of a withheld record."""

from __future__ import annotations

import gzip
import http.client
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from watchdog.events import DirModifiedEvent, FileClosedNoWriteEvent, FileModifiedEvent, FileMovedEvent, FileOpenedEvent
from watchdog.observers import Observer

import pytest

from conftest import DEPT_USCC, SITE_YAML, record_text, write_site
from generator.serve import DEBOUNCE_SECONDS, Preview, _Watcher, clean_path, host_allowed

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


class Server:
    def __init__(self, site: Path, port: int, log: Path) -> None:
        self.site, self.port, self.log = site, port, log
        self.proc: subprocess.Popen[bytes] | None = None
        self.base = f"http://127.0.0.1:{port}/"

    def version(self) -> int:
        return int(fetch(self.base + "__disclosure_reload"))

    def page(self, rel: str) -> str:
        return fetch(self.base + rel)

    def request(self, path: str, host: str | None = None, method: str = "GET", timeout: float = 5) -> tuple[int, str]:
        """`path` is sent as is, with the Host header given (default 127.0.0.1:<port>)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", host if host is not None else f"127.0.0.1:{self.port}")
            conn.endheaders()
            response = conn.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def raw(self, request_line: bytes) -> bytes:
        """A request line http.client refuses to send (a literal NUL)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            sock.sendall(
                request_line + b"\r\nHost: 127.0.0.1:" + str(self.port).encode() + b"\r\nConnection: close\r\n\r\n"
            )
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        return data

    def output(self) -> str:
        return self.log.read_text("utf-8", errors="replace")


@contextmanager
def serving(site: Path, first_version: int = 1) -> Iterator[Server]:
    """`disclosure serve` in a subprocess on a free port, terminated however the test ends."""
    port = free_port()
    log = site.parent / f"serve-{port}.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--site", str(site), "--port", str(port)],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        server = Server(site, port, log)
        server.proc = proc
        try:
            wait_for(lambda: server.version() == first_version)
            yield server
        except BaseException:
            sys.stderr.write(server.output())
            raise
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def record_no(n: int, **meta: object) -> str:
    return record_text(**{"index_no": f"{DEPT_USCC}/2026-{n:05d}", **meta})


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the tests that only read, then edit without blocking (a start costs seconds)."""
    site = write_site(
        tmp_path_factory.mktemp("serve") / "site",
        {
            "site.yaml": SITE_YAML,
            "content/d1/a.md": record_text(title="第一版标题"),
            "content/d1/b.md": record_no(2, title="另一条记录"),
        },
    )
    with serving(site) as server:
        yield server


def test_serve_rebuilds_on_change_and_shows_blocking_findings(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text(title="第一版标题")})
    with serving(site) as server:
        page = server.page("d1/2026-00001.html")
        assert "第一版标题" in page and "__disclosure_reload" in page
        assert "__disclosure_reload" not in (site / "build/d1/2026-00001.html").read_text("utf-8")

        record = site / "content/d1/a.md"
        record.write_text(record_text(title="第二版标题"), encoding="utf-8")
        wait_for(lambda: "第二版标题" in server.page("d1/2026-00001.html"))

        record.write_text(record_text(title="第三版标题", doc_no="测发[2026]1号"), encoding="utf-8")
        wait_for(lambda: "阻断性问题" in server.page("d1/2026-00001.html"))
        page = server.page("d1/2026-00001.html")
        assert "FMT004" in page and "第二版标题" in page and "第三版标题" not in page
        assert "content/d1/a.md:" in page


def test_serve_answers_only_this_machine_and_paths_inside_the_output(preview: Server) -> None:
    page = "/d1/2026-00002.html"
    for host in (
        f"localhost:{preview.port}",
        f"127.0.0.1:{preview.port}",
        "localhost",
        f"[::1]:{preview.port}",
        f"LOCALHOST:{preview.port}",
    ):
        status, body = preview.request(page, host)
        assert status == 200 and "另一条记录" in body, host
    # A page elsewhere whose name resolves to 127.0.0.1 (DNS rebinding) reads nothing.
    for host in (
        "evil.example",
        f"evil.example:{preview.port}",
        f"localhost.evil.example:{preview.port}",
        "localhost:1",
        f"127.0.0.1:{preview.port}:1",
        "",
    ):
        for path in (page, "/", "/__disclosure_reload", "/%00", "/../../etc/passwd"):
            status, body = preview.request(path, host)
            assert status in (403, 421) and "另一条记录" not in body and "<html" not in body, (host, path)
            assert "拒绝" in body
    status, body = preview.request(page, "evil.example", method="HEAD")
    assert status in (403, 421) and body == ""

    for path in (
        "/%00",
        "/a%00.html",
        "/d1/2026-00002.html%00",
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/site.yaml",
        "/d1/..%2f..%2fsite.yaml",
        "/..\\..\\site.yaml",
        "/%5c..%5csite.yaml",
        "/%ff.html",
        "/%zz",
        "/%",
    ):
        for method in ("GET", "HEAD"):
            status, body = preview.request(path, method=method)
            assert status == 400, (method, path)
            assert "root:" not in body and "测试站点" not in body and "另一条记录" not in body, path
    reply = preview.raw(b"GET /a\x00.html HTTP/1.1")
    assert b" 400 " in reply.split(b"\r\n", 1)[0]
    assert preview.request("/nope.html")[0] == 404
    assert preview.request("/d1/")[0] in (200, 404)  # a page or nothing, never a listing of files


def test_serve_rebuilds_only_on_real_changes_and_once_per_burst(preview: Server) -> None:
    site, record = preview.site, preview.site / "content/d1/a.md"
    version = preview.version()
    # an open page waits on a long poll: it is answered by the rebuild, not by a timer
    answered: list[tuple[int, str]] = []
    poll = threading.Thread(
        target=lambda: answered.append(preview.request(f"/__disclosure_reload?since={version}", timeout=60))
    )
    poll.start()
    time.sleep(0.5)
    assert not answered  # nothing changed yet: the poll waits
    record.write_text(record_text(title="第二版标题"), encoding="utf-8")
    wait_for(lambda: preview.version() == version + 1)
    poll.join(timeout=60)
    assert answered == [(200, str(version + 1))]
    assert "第二版标题" in preview.page("d1/2026-00001.html")
    # the page came first; the search index follows without another reload
    wait_for(
        lambda: any(
            "第二版标题" in gzip.decompress(fragment.read_bytes()).decode("utf-8", "replace")
            for fragment in (site / "build/pagefind").rglob("*.pf_fragment")
        ),
        60,
    )
    assert any(
        "第二版标题" in gzip.decompress(fragment.read_bytes()).decode("utf-8", "replace")
        for fragment in (site / "build/pagefind").rglob("*.pf_fragment")
    )
    assert preview.version() == version + 1

    # Idle: reading pages and the records themselves (as the build, editors and indexers do) is
    # no change; before the fix each rebuild's own reads caused the next one, forever. Editor
    # temp files, hidden files and the cache are no change either.
    (site / "content/d1/.a.md.swp").write_bytes(b"swap")
    (site / "content/d1/a.md~").write_text("backup", encoding="utf-8")
    (site / "content/d1/4913").write_text("", encoding="utf-8")
    (site / ".cache").mkdir(exist_ok=True)
    (site / ".cache/scratch").write_text("x", encoding="utf-8")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        assert "第二版标题" in preview.page("d1/2026-00001.html")
        preview.page("")
        for path in (site / "content").rglob("*.md"):
            path.read_bytes()
        (site / "site.yaml").read_bytes()
        time.sleep(0.3)
    assert preview.version() == version + 1, preview.output()

    # A burst of saves is built once (twice at most: a save landing during the build). A busy
    # machine may hold a save back past the quiet time that ends a burst: the saves are then as
    # many bursts as such gaps may split them into (counted with room: the watcher hears of a save
    # a moment after it), each built once or twice.
    saved = []
    for n in range(5):
        record.write_text(record_text(title=f"连续保存{n}"), encoding="utf-8")
        saved.append(time.monotonic())
        time.sleep(0.02)
    bursts = 1 + sum(later - earlier >= DEBOUNCE_SECONDS / 2 for earlier, later in zip(saved, saved[1:]))
    wait_for(lambda: "连续保存4" in preview.page("d1/2026-00001.html"))
    time.sleep(1.5)  # a further, unwanted rebuild would have been under way by now
    assert 1 <= preview.version() - (version + 1) <= 2 * bursts, preview.output()


def test_serve_banner_names_rule_and_place_but_quotes_nothing(make_site: MakeSite) -> None:
    phone, id_no = "13987654321", "110101199003074514"
    site = make_site(
        {
            "content/d1/a.md": record_text(title="公开的记录", body=f"联系人电话 {phone}，身份证 {id_no}。"),
            "content/d1/b.md": record_no(
                2,
                title="不予公开的记录",
                publicity="不予公开",
                withhold_reason="《中华人民共和国政府信息公开条例》第十四条",
                doc_no="绝密代号甲[2026]7号",
            ),
        }
    )
    with serving(site) as server:
        for rel in ("", "d1/2026-00001.html"):  # nothing was ever built: an empty page under the banner
            page = server.page(rel)
            assert "阻断性问题" in page
            assert "FMT004" in page and "content/d1/b.md:" in page
            assert "SEC008" in page and "content/d1/a.md:" in page
            assert "出现个人信息" in page  # the rule's title
            assert "文号年份写成六角括号" in page  # the rule's fix
            for secret in ("绝密代号甲", "[2026]7号", phone, "139****", "4321", id_no, "4514", "联系人电话"):
                assert secret not in page, secret
    terminal = server.output()
    assert "测试局（d1）" in terminal  # departments by name, as `check` prints them
    assert "FMT004" in terminal and "存在阻断性问题" in terminal


def test_host_and_path_rules() -> None:
    allowed = frozenset({"127.0.0.1", "localhost", "[::1]", "192.168.1.5"})
    assert host_allowed(["192.168.1.5:8000"], allowed, 8000)
    assert host_allowed(["[::1]"], allowed, 8000)
    assert not host_allowed(["192.168.1.5:8001"], allowed, 8000)
    assert not host_allowed(["localhost:8000", "evil.example"], allowed, 8000)
    assert not host_allowed([], allowed, 8000)
    assert not host_allowed(["[::1"], allowed, 8000)
    assert not host_allowed(["[::1]x"], allowed, 8000)
    assert clean_path("/d1/a.html?q=%00#x") == "/d1/a.html"
    assert clean_path("/%E5%85%AC%E5%BC%80/") == "/公开/"
    assert clean_path("http://evil.example/") is None
    assert clean_path("/a/..") is None


def test_watcher_counts_edits_not_reads(tmp_path: Path) -> None:
    site = tmp_path / "site"
    preview = Preview(site, site / "build", None, lambda result: None)
    calls: list[int] = []
    preview.changed = lambda: calls.append(1)  # type: ignore[method-assign]
    watcher = _Watcher(preview)
    root = site.resolve()
    for event in (
        FileOpenedEvent(str(root / "content/d1/a.md")),
        FileClosedNoWriteEvent(str(root / "content/d1/a.md")),
        DirModifiedEvent(str(root / "content/d1")),
        FileModifiedEvent(str(root / "build/d1/a.html")),
        FileModifiedEvent(str(root / ".cache/search/x")),
        FileModifiedEvent(str(root / "content/d1/.#a.md")),
        FileModifiedEvent(str(root / "content/d1/#a.md#")),
        FileModifiedEvent(str(root / "README.md")),
        FileModifiedEvent(str(root / ".build.staging-1/index.html")),
    ):
        watcher.on_any_event(event)
    assert calls == []
    for event in (
        FileModifiedEvent(str(root / "content/d1/a.md")),
        FileModifiedEvent(str(root / "site.yaml")),
        FileModifiedEvent(str(root / "layouts/base.html")),
        FileMovedEvent(str(root / "content/d1/.a.md.swp"), str(root / "content/d1/a.md")),
    ):
        watcher.on_any_event(event)
    assert len(calls) == 4


def test_watcher_follows_the_site_folders_and_ignores_the_build(make_site: MakeSite) -> None:
    """With a real observer: edits anywhere the build reads count; the output and the cache are
    not watched at all; content/ removed and made again is watched again."""
    site = make_site({"content/d1/a.md": record_text(), "layouts/base.html": "<body></body>"})
    preview = Preview(site, site / "build", None, lambda result: None)
    calls: list[str] = []
    preview.changed = lambda: calls.append("x")  # type: ignore[method-assign]
    observer = Observer()
    watcher = _Watcher(preview, observer)
    watcher.start()
    try:

        def changes_after(action: Callable[[], object]) -> int:
            calls.clear()
            action()
            time.sleep(0.4)
            return len(calls)

        (site / "build/d1").mkdir(parents=True)
        assert changes_after(lambda: (site / "build/d1/x.html").write_text("x", encoding="utf-8")) == 0
        assert changes_after(lambda: (site / ".cache").mkdir()) == 0
        assert changes_after(lambda: [p.read_text("utf-8") for p in site.rglob("*") if p.is_file()]) == 0
        assert changes_after(lambda: (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")) > 0
        assert changes_after(lambda: (site / "layouts/base.html").write_text("<body>2</body>", encoding="utf-8")) > 0
        assert changes_after(lambda: (site / "content/d1/a.md").unlink()) > 0
        shutil.rmtree(site / "content")
        time.sleep(0.4)
        (site / "content/d2").mkdir(parents=True)
        time.sleep(0.4)
        assert changes_after(lambda: (site / "content/d2/b.md").write_text("x", encoding="utf-8")) > 0
        assert set(watcher.watches) == {"content", "layouts"}
        assert not any((site / "build").resolve() == Path(w.path) for w in observer._watches)  # noqa: SLF001
    finally:
        observer.stop()
        observer.join(timeout=5)


def test_ctrl_c_ends_the_preview_without_an_error(make_site: MakeSite) -> None:
    """Ctrl+C is how a clerk ends `serve` (its banner says so): exit 0 and a plain word, no
    "interrupted" error and no traceback."""
    site = make_site({"content/d1/a.md": record_text(title="预览中的记录")})
    with serving(site) as server:
        assert server.proc is not None
        server.proc.send_signal(signal.SIGINT)
        assert server.proc.wait(timeout=20) == 0
        assert "预览已停止" in server.output()
        assert "Traceback" not in server.output() and "已中断" not in server.output()


def test_a_rebuild_compiles_again_only_the_layout_that_changed_and_shows_it(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview builds again in one process after every save: templates are compiled once there
    (render/pages.py COMPILED), and a layout edited meanwhile is compiled again, never served stale."""
    import jinja2

    record_layout = (
        '{% extends "base.html" %}{% block content %}<p id="v">{{ record.title }}·{{ mark }}</p>{% endblock %}'
    )
    site = make_site(
        {
            "content/d1/a.md": record_text(title="第一版"),
            "layouts/record.html": record_layout.replace("{{ mark }}", "甲"),
        }
    )
    compiled: list[str] = []
    compile_ = jinja2.Environment.compile

    def counting(
        self: jinja2.Environment, source: str, name: str | None = None, *args: object, **kwargs: object
    ) -> object:
        compiled.append(str(name))
        return compile_(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    preview = Preview(site, site / "build", None, lambda result: None)
    page = site / "build/d1/2026-00001.html"

    preview.rebuild()
    assert "第一版·甲" in page.read_text("utf-8")

    (site / "content/d1/a.md").write_text(record_text(title="第二版"), encoding="utf-8")
    compiled.clear()
    preview.rebuild()
    assert "第二版·甲" in page.read_text("utf-8")
    assert compiled == []  # nothing changed in the layouts: nothing compiled again

    (site / "layouts/record.html").write_text(record_layout.replace("{{ mark }}", "乙"), encoding="utf-8")
    compiled.clear()
    preview.rebuild()
    assert "第二版·乙" in page.read_text("utf-8")
    assert compiled == ["record.html"]
