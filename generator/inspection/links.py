"""INS005 链接不可用: `check --external-links` requests every external link the site publishes.

The links: those in the bodies of records published in full (as the Markdown scan found them,
from the check cache when the record is unchanged), the departments' `website` and `apply_url`,
site.yaml `platforms` and the footer's 党政机关标识 and 找错 addresses — http and https only. Each is
requested once however often it appears: HEAD first, then GET when HEAD fails or is refused (many
servers answer HEAD with 403, 404 or 405), at most `inspection.link_workers` at a time, each
within `inspection.link_timeout` seconds. A 4xx or 5xx answer or none at all is a finding on each
place the link is written.

Answers are kept in `<site>/.cache/links.json` with the time they were had; one younger than
`inspection.link_cache_hours` is used again instead of asking (0: always ask). A cache that cannot
be read is ignored and rewritten; it is safe to delete.
"""

from __future__ import annotations

import contextlib
import json
import string
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit, urlunsplit

from .. import markdown, publicity, safeurl, wholefile
from ..findings import Finding
from ..model import Site

if TYPE_CHECKING:
    from ..checkcache import CheckCache

CACHE = Path(".cache") / "links.json"
FORMAT = 1
USER_AGENT = "disclosure-link-check/1"  # headers are latin-1: ASCII only
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Place:
    file: str
    line: int
    dept: str
    where: str  # 正文, department.yaml website …


@dataclass
class Answer:
    status: int | None  # None: no answer
    error: str = ""  # why there was none, in Chinese
    checked: float = 0.0  # time.time() when it was had

    @property
    def broken(self) -> bool:
        return self.status is None or self.status >= 400


def places(site: Site, cache: CheckCache | None = None) -> dict[str, list[Place]]:
    """Every external http(s) link the site publishes → where it is written."""
    found: dict[str, list[Place]] = {}

    def add(url: str, place: Place) -> None:
        url = url.strip()
        if safeurl.is_web(url) and urlsplit(url).netloc:
            found.setdefault(url, []).append(place)

    for record in site.records:
        if not publicity.is_full(record):
            continue
        known = cache.scanned(record.file) if cache is not None else None
        links = known[0] if known is not None else [(link.href, link.line) for link in markdown.scan(record.body)[0]]
        for href, line in links:
            add(href, Place(record.file, record.body_line + line, record.dept, "正文"))
    for dept in site.departments.values():
        for key in ("website", "apply_url"):
            value = dept.data.get(key)
            if isinstance(value, str):
                add(value, Place(dept.file, dept.parsed.line_of(key), dept.slug, f"department.yaml {key}"))
    parsed = site.config.parsed
    for i, platform in enumerate(site.config.platforms):
        add(platform.url, Place("site.yaml", parsed.line_of("platforms", i, "url") if parsed else 1, "", "平台链接"))
    for key in ("party_mark", "report_error"):
        add(
            getattr(site.config.footer, key),
            Place("site.yaml", parsed.line_of("footer", key) if parsed else 1, "", f"footer.{key}"),
        )
    return found


def _opener(url: str) -> urllib.request.OpenerDirector:
    host = urlsplit(url).hostname or ""
    handlers: list[urllib.request.BaseHandler] = []
    if host in LOOPBACK:
        handlers.append(urllib.request.ProxyHandler({}))  # this machine is never reached through a proxy
    return urllib.request.build_opener(*handlers)


def ascii_url(url: str) -> str:
    """The URL as it goes on the wire: a Chinese host in IDNA, any other non-ASCII character
    percent-encoded as UTF-8 (what a browser does with 政府网站 paths)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        host.encode("ascii")
    except UnicodeEncodeError:
        netloc = parts.netloc.replace(host, host.encode("idna").decode("ascii"))
        parts = parts._replace(netloc=netloc)
    return quote(urlunsplit(parts), safe=string.punctuation)


def _ask(url: str, method: str, timeout: float) -> int:
    request = urllib.request.Request(ascii_url(url), method=method, headers={"User-Agent": USER_AGENT})
    try:
        with _opener(url).open(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def request(url: str, timeout: float) -> Answer:
    """HEAD, then GET when HEAD fails or is refused; the answer, or why there was none."""
    try:
        status = _ask(url, "HEAD", timeout)
        if status < 400:
            return Answer(status, checked=time.time())
    except (OSError, ValueError):
        pass
    try:
        return Answer(_ask(url, "GET", timeout), checked=time.time())
    except TimeoutError:
        return Answer(None, f"{timeout:g} 秒内没有响应（超时）", time.time())
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            return Answer(None, f"{timeout:g} 秒内没有响应（超时）", time.time())
        return Answer(None, f"无法连接（{reason}）", time.time())
    except (OSError, ValueError) as exc:
        return Answer(None, f"无法连接（{type(exc).__name__}）", time.time())


def _load(path: Path) -> dict[str, Answer]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return {}
        return {
            url: Answer(entry["status"], entry.get("error", ""), float(entry["checked"]))
            for url, entry in data["links"].items()
        }
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def _save(path: Path, answers: dict[str, Answer]) -> None:
    links = {url: {"status": a.status, "error": a.error, "checked": a.checked} for url, a in sorted(answers.items())}
    with contextlib.suppress(OSError):
        wholefile.write(path, json.dumps({"format": FORMAT, "links": links}, ensure_ascii=False).encode("utf-8"))


def answers(urls: list[str], site: Site) -> dict[str, Answer]:
    """An answer for each URL: from the cache when young enough, else by asking (bounded concurrency)."""
    settings = site.config.inspection
    path = site.root / CACHE
    known = _load(path)
    fresh = settings.link_cache_hours * 3600
    now = time.time()
    found = {url: known[url] for url in urls if url in known and 0 <= now - known[url].checked < fresh}
    ask = [url for url in urls if url not in found]
    if ask:
        with ThreadPoolExecutor(max_workers=min(settings.link_workers, len(ask))) as pool:
            for url, answer in zip(ask, pool.map(lambda u: request(u, settings.link_timeout), ask)):
                found[url] = answer
        _save(path, {**known, **found})
    return found


def _findings(url: str, answer: Answer, where: list[Place]) -> Iterator[Finding]:
    said = f"返回 {answer.status}" if answer.status is not None else answer.error
    for place in where:
        yield Finding(
            "INS005",
            place.file,
            place.line,
            f"{place.where}中的外部链接 {url} {said}（链接不可用）",
            "修正或删除该链接；地址无误而对方网站暂时故障的，稍后再运行 check --external-links。",
            dept=place.dept,
        )


def check(site: Site, cache: CheckCache | None = None) -> list[Finding]:
    found = places(site, cache)
    results = answers(sorted(found), site)
    return [
        finding for url in sorted(found) if results[url].broken for finding in _findings(url, results[url], found[url])
    ]
