"""`disclosure serve`: build, serve on 127.0.0.1, rebuild on every change, reload the browser.

For departments previewing their records. The live-reload script and the findings banner
are added to pages as they are served, never written into the build output. A change
that blocks keeps the last good build on screen, with the blocking findings above it.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
from pathlib import Path
from typing import Callable

from markupsafe import escape
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from . import pipeline
from .config import SiteConfig, load_config
from .findings import Findings
from .today import resolve_today

RELOAD_PATH = "/__disclosure_reload"
RELOAD_SCRIPT = f"""<script>
(function () {{
  var seen = null;
  setInterval(function () {{
    fetch("{RELOAD_PATH}", {{cache: "no-store"}}).then(function (r) {{ return r.text(); }}).then(function (v) {{
      if (seen !== null && v !== seen) {{ location.reload(); }}
      seen = v;
    }}).catch(function () {{}});
  }}, 1000);
}})();
</script>"""
DEBOUNCE_SECONDS = 0.3
EMPTY_PAGE = '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>预览</title></head><body></body></html>'


class Preview:
    """The state of the preview: which build is current, and what the last one found."""

    def __init__(self, site: Path, out: Path, today: dt.date | None,
                 report: Callable[[Findings, bool], None]) -> None:
        self.site, self.out, self.today, self.report = site, out, today, report
        self.version = 0
        self.blocking: Findings | None = None
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None

    def rebuild(self) -> None:
        with self.lock:
            config: SiteConfig = load_config(self.site)[0]
            result = pipeline.build(config, self.out, self.today or resolve_today(None, config))
            self.blocking = None if result.built else result.findings
            self.version += 1
            self.report(result.findings, result.built)

    def schedule(self) -> None:
        """Rebuild once the burst of file events of a save has settled."""
        if self.timer:
            self.timer.cancel()
        self.timer = threading.Timer(DEBOUNCE_SECONDS, self._rebuild_safely)
        self.timer.daemon = True
        self.timer.start()

    def _rebuild_safely(self) -> None:
        try:
            self.rebuild()
        except Exception as exc:  # keep serving; the terminal says what went wrong
            print(f"重新生成失败：{exc}", flush=True)

    def banner(self) -> str:
        if not self.blocking:
            return ""
        items = "".join(f"<li>{escape(f.rule)} {escape(f.file)}:{f.line} {escape(f.message)}</li>"
                        for f in self.blocking.blocking[:50])
        return ('<div role="alert" style="background:#fff4f4;border:3px solid #a4000f;padding:1rem;margin:0">'
                f"<strong>最近一次修改存在阻断性问题，下面显示的是上一次成功生成的页面：</strong><ul>{items}</ul></div>")


class _Handler(http.server.SimpleHTTPRequestHandler):
    preview: Preview

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        if self.path == RELOAD_PATH:
            self._send(str(self.preview.version).encode(), "text/plain")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and (path.is_file() or self.preview.blocking):
            html = path.read_text("utf-8") if path.is_file() else EMPTY_PAGE
            html = html.replace("<body>", "<body>" + self.preview.banner(), 1)
            html = html.replace("</body>", RELOAD_SCRIPT + "</body>", 1)
            self._send(html.encode("utf-8"), "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, data: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)


class _Watcher(FileSystemEventHandler):
    def __init__(self, preview: Preview) -> None:
        self.preview = preview

    def on_any_event(self, event: FileSystemEvent) -> None:
        path = Path(str(event.src_path)).resolve()
        try:
            rel = path.relative_to(self.preview.site.resolve())
        except ValueError:
            return
        if rel.parts and (rel.parts[0] in ("content", "layouts") or rel.parts[0] == "site.yaml"):
            if not any(part.startswith(".") for part in rel.parts):
                self.preview.schedule()


def serve(site: Path, out: Path, port: int, today: dt.date | None,
          report: Callable[[Findings, bool], None]) -> None:
    """Serve until interrupted. Raises OSError when the port is taken."""
    preview = Preview(site, out, today, report)
    preview.rebuild()
    handler = type("Handler", (_Handler,), {"preview": preview})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                             functools.partial(handler, directory=str(out)))
    observer = Observer()
    observer.schedule(_Watcher(preview), str(site), recursive=True)
    observer.start()
    print(f"预览地址：http://127.0.0.1:{server.server_address[1]}/ （修改内容后自动刷新，Ctrl+C 退出）", flush=True)
    try:
        server.serve_forever()
    finally:
        observer.stop()
        server.server_close()
