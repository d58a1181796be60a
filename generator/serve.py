"""`disclosure serve`: build, serve on 127.0.0.1, rebuild on every change, reload the browser.

For departments previewing their records. The live-reload script and the findings banner
are added to pages as they are served, never written into the build output. A change
that blocks keeps the last good build on screen, with the blocking findings above it.

The preview answers only requests addressed to this machine by name (Host 127.0.0.1,
localhost, [::1] or the --host given), so a web page that rebinds its own name to
127.0.0.1 cannot read it; and the banner names each problem by rule, place and fix only,
never quoting the record (a withheld record's values must not reach a page).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import os
import re
import socket
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Callable

from markupsafe import escape
from watchdog.events import (
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from . import heap, pipeline
from .config import SiteConfig, load_config
from .rules import RULES
from .today import resolve_today

RELOAD_PATH = "/__disclosure_reload"
LONG_POLL_SECONDS = 20.0  # `?since=N` is answered when the build is no longer N, or after this long
# The page asks for the build it was served from, then waits on a long poll: the server answers
# the moment a rebuild is in place, and the page reloads itself.
RELOAD_SCRIPT = f"""<script>
(function () {{
  var seen = null;
  function poll() {{
    var url = "{RELOAD_PATH}" + (seen === null ? "" : "?since=" + encodeURIComponent(seen));
    fetch(url, {{cache: "no-store"}}).then(function (r) {{ return r.text(); }}).then(function (v) {{
      if (seen !== null && v !== seen) {{ location.reload(); return; }}
      seen = v;
      poll();
    }}).catch(function () {{ setTimeout(poll, 1000); }});
  }}
  poll();
}})();
</script>"""
DEBOUNCE_SECONDS = 0.1  # quiet time after the last change before rebuilding (an editor's save is a burst of ms)
LOCK_WAIT = 30.0  # seconds a rebuild waits for a `disclosure build` of the same site to finish
MAX_DELAY_SECONDS = 2.0  # rebuild anyway when changes keep coming for this long
BANNER_LIMIT = 50
EMPTY_PAGE = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>预览</title></head><body></body></html>'
)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")

# Only these mean a file changed. Opening or reading a file (opened, closed_no_write) is not
# an edit: the build itself reads every record. Nor is `closed` (a file opened for writing was
# closed, written or not) or `attrib`: every write or truncation also reports `modified`.
CHANGE_EVENTS = {EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED, EVENT_TYPE_DELETED, EVENT_TYPE_MOVED}
WATCHED_DIRS = ("content", "layouts")
WATCHED = (*WATCHED_DIRS, "site.yaml")

Report = Callable[[pipeline.BuildResult], None]


class BindError(Exception):
    """The preview cannot listen on the host and port asked for; the message is in Chinese."""


class Preview:
    """The state of the preview: which build is current, and what the last one found."""

    def __init__(self, site: Path, out: Path, today: dt.date | None, report: Report) -> None:
        self.site, self.out, self.today, self.report = site, out, today, report
        self.version = 0
        self._built = threading.Condition()  # notified whenever `version` changes
        self.blocking: list[tuple[str, str, str, str]] = []  # (rule, title, file:line, fix): nothing quoted
        self.failed = False  # the last rebuild raised; the terminal has the message
        self.lock = threading.Lock()  # one build at a time
        self._changes = threading.Condition()
        self._last_change: float | None = None  # monotonic time of the latest change not yet built
        self._first_change: float | None = None

    def rebuild(self) -> None:
        try:
            self._build()
        finally:
            heap.release()  # what the build set aside is the collector's again (heap.py)

    def _build(self) -> None:
        with self.lock:
            config: SiteConfig = load_config(self.site)[0]
            today = self.today or resolve_today(None, config)
            # pages first (an edited shard's search index is the previous one for a moment), so the
            # open page reloads without waiting for the indexer; then the index, without a reload
            result = pipeline.build(
                config,
                self.out,
                today,
                lock_wait=LOCK_WAIT,  # a `disclosure build`
                search_later=self.version > 0,
                check_here=True,  # this process builds again after every save
            )  # beside it: wait
            self.blocking = (
                []
                if result.built
                else [(f.rule, RULES[f.rule].title, f"{f.file}:{f.line}", f.fix) for f in result.findings.blocking]
            )
            self.failed = False
            self._next_version()
            self.report(result)
            stale = result.search_stale
            del result  # and the page cache it holds (BuildResult.spent): not through the second build
            if stale:
                pipeline.build(config, self.out, today, lock_wait=LOCK_WAIT)

    def _next_version(self) -> None:
        with self._built:
            self.version += 1
            self._built.notify_all()

    def wait_for_change(self, since: str, timeout: float) -> int:
        """The build's version once it is no longer `since` (a long poll), or after `timeout` seconds."""
        with self._built:
            self._built.wait_for(lambda: str(self.version) != since, timeout)
            return self.version

    def changed(self) -> None:
        """A watched file changed: rebuild once the burst of changes has settled."""
        with self._changes:
            now = time.monotonic()
            self._last_change = now
            if self._first_change is None:
                self._first_change = now
            self._changes.notify()

    def run(self, stop: threading.Event) -> None:
        """The rebuild loop: waits for changes, lets a burst settle, builds once. Changes that
        arrive during a build make exactly one more build after it."""
        while not stop.is_set():
            with self._changes:
                while self._last_change is None and not stop.is_set():
                    self._changes.wait(0.5)
                if stop.is_set():
                    return
                while True:  # debounce
                    now = time.monotonic()
                    assert self._last_change is not None and self._first_change is not None
                    quiet = self._last_change + DEBOUNCE_SECONDS - now
                    overdue = self._first_change + MAX_DELAY_SECONDS - now
                    wait = min(quiet, overdue)
                    if wait <= 0:
                        break
                    self._changes.wait(wait)
                self._last_change = self._first_change = None
            self._rebuild_safely()

    def _rebuild_safely(self) -> None:
        try:
            self.rebuild()
        except Exception as exc:  # keep serving; the terminal says what went wrong
            self.failed = True
            self._next_version()
            print(f"重新生成失败：{exc}", flush=True)

    def banner(self) -> str:
        style = "background:#fff4f4;border:3px solid #a4000f;padding:1rem;margin:0"
        if self.failed:
            return (
                f'<div role="alert" style="{style}"><strong>最近一次重新生成失败，原因见终端输出；'
                "下面显示的是上一次成功生成的页面。</strong></div>"
            )
        if not self.blocking:
            return ""
        items = "".join(
            f"<li><strong>{escape(rule)} {escape(title)}</strong> {escape(place)}<br>修改建议：{escape(fix)}</li>"
            for rule, title, place, fix in self.blocking[:BANNER_LIMIT]
        )
        more = len(self.blocking) - BANNER_LIMIT
        if more > 0:
            items += f"<li>… 及另外 {more} 个阻断性问题，见终端输出。</li>"
        return (
            f'<div role="alert" style="{style}">'
            "<strong>最近一次修改存在阻断性问题，下面显示的是上一次成功生成的页面"
            f"（问题详情见终端输出）：</strong><ul>{items}</ul></div>"
        )


def _split_host(value: str) -> tuple[str, str | None] | None:
    """'name[:port]' or '[v6]:port' → (name, port or None); None when malformed."""
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[: end + 1], value[end + 1 :]
        if not rest:
            return name, None
        return (name, rest[1:]) if rest.startswith(":") else None
    name, sep, port = value.partition(":")
    if ":" in port:
        return None
    return name, (port if sep else None)


def host_allowed(values: list[str], allowed: frozenset[str] | set[str], port: int) -> bool:
    """One Host header naming an allowed host, with no port or the served one."""
    if len(values) != 1:
        return False
    split = _split_host(values[0].strip().lower())
    if split is None:
        return False
    name, given = split
    return name in allowed and (given is None or given == str(port))


_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def clean_path(raw: str) -> str | None:
    """The decoded URL path, or None when it must be refused: not starting with '/', a NUL,
    a malformed escape or bytes that are not UTF-8, a backslash, or a '..' segment."""
    path = raw.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or "\x00" in path or "\\" in path or _BAD_ESCAPE.search(path):
        return None
    try:
        decoded = urllib.parse.unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\x00" in decoded or "\\" in decoded or any(part == ".." for part in decoded.split("/")):
        return None
    return decoded


class _Handler(http.server.SimpleHTTPRequestHandler):
    preview: Preview
    allowed_hosts: frozenset[str]  # lower case, IPv6 in brackets
    port: int

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._answer(body=True)

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        if not host_allowed(self.headers.get_all("Host") or [], self.allowed_hosts, self.port):
            self._send(
                403,
                "拒绝访问：本地预览只接受发往 127.0.0.1、localhost 或 --host 所给地址的请求。\n".encode(),
                "text/plain; charset=utf-8",
                body,
            )
            return
        decoded = clean_path(self.path)
        if decoded is None:
            self._send(400, "请求的路径无效。\n".encode(), "text/plain; charset=utf-8", body)
            return
        if decoded == RELOAD_PATH:
            since = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("since")
            version = self.preview.wait_for_change(since[0], LONG_POLL_SECONDS) if since else self.preview.version
            self._send(200, str(version).encode(), "text/plain", body)
            return
        root = Path(self.directory).resolve()
        path = Path(self.translate_path(self.path))
        if decoded.endswith("/") or path.is_dir():
            path = path / "index.html"
        try:
            path.resolve().relative_to(root)
        except ValueError:  # a link out of the output folder
            self._send(400, "请求的路径无效。\n".encode(), "text/plain; charset=utf-8", body)
            return
        banner = self.preview.banner()
        if path.suffix == ".html" and (path.is_file() or banner):
            try:
                html = path.read_text("utf-8") if path.is_file() else EMPTY_PAGE
            except OSError:  # swapped away by a rebuild in between
                html = EMPTY_PAGE
            html = html.replace("<body>", "<body>" + banner, 1)
            html = html.replace("</body>", RELOAD_SCRIPT + "</body>", 1)
            self._send(200, html.encode("utf-8"), "text/html; charset=utf-8", body)
            return
        if body:
            super().do_GET()
        else:
            super().do_HEAD()

    def list_directory(self, path: str | os.PathLike[str]) -> None:  # noqa: ARG002 - stdlib signature
        """No directory listings: a page is served, or nothing."""
        self.send_error(404)
        return None

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def _send(self, status: int, data: bytes, content_type: str, body: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(data)


def _is_temp(name: str) -> bool:
    """Editor droppings: vim swap files and its write test 4913, backups~, emacs .#lock and #autosave#."""
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".swo", ".tmp")) or name == "4913"


class _Watcher(FileSystemEventHandler):
    """Watches content/ and layouts/ (recursively, while they exist) and the site folder itself
    (not recursively: site.yaml, and content/ or layouts/ appearing or going). The output
    folder and .cache/ are never watched, so a build does not stir the watcher."""

    def __init__(self, preview: Preview, observer: BaseObserver | None = None) -> None:
        self.preview = preview
        self.site = preview.site.resolve()
        self.out = preview.out.resolve()
        self.observer = observer
        self.watches: dict[str, ObservedWatch] = {}

    def start(self) -> None:
        assert self.observer is not None
        self.observer.schedule(self, str(self.site), recursive=False)
        self.sync()
        self.observer.start()

    def sync(self, refresh: set[str] | frozenset[str] = frozenset()) -> None:
        """Watch each of content/ and layouts/ that exists. The folders in `refresh` were created,
        deleted or renamed: their old watch (if any) is dropped and, if they exist, made anew."""
        if self.observer is None:
            return
        for name in WATCHED_DIRS:
            folder = self.site / name
            watch = self.watches.get(name)
            if watch is not None and (name in refresh or not folder.is_dir()):
                with contextlib.suppress(KeyError):
                    self.observer.unschedule(watch)
                del self.watches[name]
                watch = None
            if watch is None and folder.is_dir():
                self.watches[name] = self.observer.schedule(self, str(folder), recursive=True)

    def relevant(self, raw: bytes | str | os.PathLike[str]) -> bool:
        """A file the build reads: under content/ or layouts/, or site.yaml; never the output
        folder, the cache, hidden files or editor temp files."""
        path = Path(os.fsdecode(raw))
        if path == self.out or self.out in path.parents:
            return False
        try:
            rel = path.relative_to(self.site)
        except ValueError:
            return False
        if not rel.parts or rel.parts[0] not in WATCHED or (rel.parts[0] == "site.yaml" and len(rel.parts) > 1):
            return False
        return not any(_is_temp(part) for part in rel.parts)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGE_EVENTS:
            return
        if event.is_directory and event.event_type == EVENT_TYPE_MODIFIED:
            return  # a folder "modified" when a file in it is created: the file's own event counts
        paths = [Path(os.fsdecode(event.src_path))]
        if event.event_type == EVENT_TYPE_MOVED:
            paths.append(Path(os.fsdecode(event.dest_path)))
        if event.is_directory:
            self.sync({p.name for p in paths if p.parent == self.site and p.name in WATCHED_DIRS})
        if any(self.relevant(p) for p in paths):
            self.preview.changed()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True  # a page's long poll never holds up stopping the preview
    block_on_close = False


def _server_class(host: str) -> type[http.server.ThreadingHTTPServer]:
    if ":" not in host:
        return _Server
    return type("ThreadingHTTPServerV6", (_Server,), {"address_family": socket.AF_INET6})


def host_label(host: str) -> str:
    """The host as it appears in a URL and in a Host header: IPv6 in brackets."""
    host = host.strip().lower()
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def serve(site: Path, out: Path, port: int, today: dt.date | None, report: Report, host: str = "127.0.0.1") -> None:
    """Serve until interrupted. Raises BindError when the host or port cannot be used."""
    preview = Preview(site, out, today, report)
    bind_host = host.strip().strip("[]")
    allowed = frozenset({*LOOPBACK_HOSTS, host_label(host)})
    handler: type[_Handler] = type("Handler", (_Handler,), {"preview": preview, "allowed_hosts": allowed, "port": port})
    try:
        server = _server_class(bind_host)((bind_host, port), functools.partial(handler, directory=str(out)))
    except OSError as exc:
        raise BindError(f"无法在 {host_label(host)}:{port} 上提供预览：{exc.strerror or exc}") from None
    handler.port = served_port = int(server.server_address[1])  # the port asked for, or the one given for 0
    stop = threading.Event()
    observer = Observer()
    try:
        _Watcher(preview, observer).start()  # first, so an edit during the first build is not missed
        preview.rebuild()  # connections wait in the listen queue meanwhile
        threading.Thread(target=preview.run, args=(stop,), name="rebuild", daemon=True).start()
        print(f"预览地址：http://{host_label(host)}:{served_port}/ （修改内容后自动刷新，Ctrl+C 退出）", flush=True)
        if host_label(host) not in LOOPBACK_HOSTS:
            print(f"注意：预览监听 {host_label(host)}，其他计算机也能访问；页面顶部可能列出阻断性问题。", flush=True)
        server.serve_forever()
    finally:
        stop.set()
        if observer.is_alive():
            observer.stop()
        server.server_close()
