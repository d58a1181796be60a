"""Where each page lives in the output. One module, so links and files never disagree.

Two forms of every location: the output path (the file's name on disk, as written by the
department: 附件 a#1 ?%.txt stays a#1 ?%.txt) and the URL that links to it (`relative`,
`href`), in which every character that would end or change a path segment is
percent-encoded (a#1%20%3F%25.txt). Chinese and other letters stay as they are (an IRI):
browsers and feed readers encode them as UTF-8 themselves.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # a type alone: a process that only indexes shards (index.EARLY) never loads the selection
    from .publicity import PublicRecord


class OutputPath(str):
    """An output path made here: every character of it, a '#' too, belongs to a file or folder
    name (a department folder d#1, an attachment a#1.txt), never starts a fragment."""

    __slots__ = ()


HOME = OutputPath("index.html")
CATALOGUE = OutputPath("catalogue/index.html")
STATIC = "static"
SEARCH = OutputPath("search/index.html")  # the search page; forms send the query as ?q=
SEARCH_INDEX = "pagefind"  # the search index: one Pagefind bundle per shard, and shards.json
APPLY = OutputPath("apply.html")  # 依申请公开
REGULATIONS = OutputPath("regulations.html")  # 政府信息公开制度
REPORTS = OutputPath("reports/index.html")  # 政府信息公开年报, every report by year
CATALOGUE_JSON = OutputPath("catalogue.json")  # the public catalogue, machine-readable
CATALOGUE_CSV = OutputPath("catalogue.csv")
FEED = OutputPath("feed.xml")  # Atom feed of the whole site
SITEMAP = OutputPath("sitemap.xml")  # of every page; over the protocol's limits, the index of sitemap_part(1…)
FAVICON = OutputPath("favicon.ico")  # where browsers ask for the site's icon


def sitemap_part(n: int) -> OutputPath:
    """The n-th (from 1) of the sitemaps of a site too large for one (render/sitemap.py)."""
    return OutputPath(f"sitemap-{n}.xml")


def record(r: PublicRecord) -> OutputPath:
    return OutputPath(f"{r.dept}/{r.slug}.html")


def request_only(r: PublicRecord) -> OutputPath:
    """The metadata-only page of a 依申请公开 record (render/request_only.py): listed, never indexed."""
    return OutputPath(f"{r.dept}/request/{r.slug}.html")


def attachment(r: PublicRecord, name: str) -> OutputPath:
    return OutputPath(f"{r.dept}/{r.slug}/{name}")


def department(slug: str) -> OutputPath:
    return OutputPath(f"{slug}/index.html")


def catalogue_page(base: str, page: int) -> OutputPath:
    """Page `page` (1-based) of a paginated listing whose first page is `base`."""
    return OutputPath(base if page == 1 else f"{_listing_folder(base)}{page}.html")


def catalogue_pages(base: str, count: int) -> list[OutputPath]:
    """Pages 1 to `count` of the listing whose first page is `base` (catalogue_page's, the folder
    found once: a city's listings have 200,000 pages)."""
    folder = _listing_folder(base)
    return [OutputPath(base)] + [OutputPath(f"{folder}{page}.html") for page in range(2, count + 1)]


def _listing_folder(base: str) -> str:
    """The folder of a listing's pages, "" or ending in "/"."""
    return posixpath.join(posixpath.dirname(base), "")


def dept_catalogue(slug: str) -> OutputPath:
    return OutputPath(f"{slug}/catalogue/index.html")


def dept_feed(slug: str) -> OutputPath:
    """The department's Atom feed."""
    return OutputPath(f"{slug}/feed.xml")


def apply_office(slug: str) -> tuple[OutputPath, str]:
    """(page, fragment) of a department's section on the 依申请公开 page."""
    return APPLY, f"apply-{slug}"


def _key(name: str) -> str:
    """A short ASCII key that stays the same as long as the name does (stable listing URLs)."""
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


def category_listing(path: str) -> OutputPath:
    """The listing of a taxonomy node (its whole subtree), e.g. 法定主动公开内容/政策文件."""
    return OutputPath(f"catalogue/c-{_key(path)}/index.html")


def topic_listing(topic: str) -> OutputPath:
    return OutputPath(f"catalogue/t-{_key(topic)}/index.html")


def year_listing(year: int) -> OutputPath:
    return OutputPath(f"catalogue/{year}/index.html")


def dept_listing(slug: str, base: str) -> OutputPath:
    """A department's own twin of the site-wide listing `base` (a category, topic or year):
    catalogue/2019/index.html → <slug>/catalogue/2019/index.html."""
    return OutputPath(f"{slug}/{base}")


def current_only(base: str) -> OutputPath:
    """The 现行有效-only twin of the listing whose first page is `base`."""
    return OutputPath(posixpath.join(posixpath.dirname(base), "current", "index.html"))


def guide(slug: str) -> OutputPath:
    """The department's 政府信息公开指南."""
    return OutputPath(f"{slug}/guide.html")


def report(slug: str, year: int) -> OutputPath:
    """A department's annual report (年度报告) page."""
    return OutputPath(f"{slug}/reports/{year}.html")


def site_report(year: int) -> OutputPath:
    """The site-level summary of every department's annual report."""
    return OutputPath(f"reports/{year}.html")


def report_file(report_page: str, name: str) -> OutputPath:
    """A file beside a report page (a chart, the Word copy): reports/2025.html → reports/2025-<name>."""
    return OutputPath(report_page.removesuffix(".html") + "-" + name)


def static(name: str) -> OutputPath:
    return OutputPath(f"{STATIC}/{name}")


# Kept as written in a URL path: RFC 3986 unreserved and sub-delims, '@' and '/'. Not ':' (a
# first segment a:b.html would read as a scheme), and never '#', '?', '%', space, quotes,
# brackets or controls. A fragment may also keep '?' and ':'.
_PATH_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=@/")
_FRAGMENT_SAFE = _PATH_SAFE | {"?", ":"}


def _utf8(char: str) -> bytes:
    try:
        return char.encode("utf-8", "surrogateescape")  # a file name that is not UTF-8: its own byte
    except UnicodeEncodeError:
        return char.encode("utf-8", "surrogatepass")


@lru_cache(maxsize=65536)
def _encode(text: str, safe: frozenset[str]) -> str:
    out = []
    for char in text:
        if char in safe or (char > "\x7f" and unicodedata.category(char)[0] not in "CZ"):
            out.append(char)  # letters, digits, punctuation of any script stay readable
        else:  # ASCII that breaks a URL; any control, format, separator or unassigned character
            out.extend(f"%{byte:02X}" for byte in _utf8(char))
    return "".join(out)


def _kept_whole(safe: frozenset[str]) -> Callable[[str], re.Match[str] | None]:
    """Whether a text is made only of `safe` characters, which _encode keeps as they are: a test
    in C. Most paths are (a listing page's links to its records: _encode took 2 s of the render
    workers' time in a build that adds a record to a city's catalogue)."""
    return re.compile("[" + "".join(map(re.escape, sorted(safe))) + "]*").fullmatch


_PATH_KEPT = _kept_whole(_PATH_SAFE)
_FRAGMENT_KEPT = _kept_whole(_FRAGMENT_SAFE)


def encode_path(path: str) -> str:
    """An output path (or a relative one) as a URL path: 'd#1/a 1.txt' → 'd%231/a%201.txt'."""
    return path if _PATH_KEPT(path) else _encode(path, _PATH_SAFE)


def encode_fragment(fragment: str) -> str:
    return fragment if _FRAGMENT_KEPT(fragment) else _encode(fragment, _FRAGMENT_SAFE)


def _split(target: str | tuple[str, str], fragment: str | None) -> tuple[str, str]:
    """(output path, fragment) of a link target. An OutputPath or a (path, fragment) pair is
    taken as it is; a plain string made by appending '#…' to a constant page (paths.APPLY ~
    '#apply-' ~ slug in a layout) is split at its first '#'."""
    if isinstance(target, tuple):
        return target[0], target[1] if fragment is None else fragment
    if fragment is not None or isinstance(target, OutputPath):
        return target, fragment or ""
    path, _, rest = target.partition("#")
    return path, rest


def relative(from_page: str, target: str | tuple[str, str], fragment: str | None = None) -> str:
    """The URL of `target` (output path, or (path, fragment)) relative to the page `from_page`,
    percent-encoded; `fragment` without its '#'."""
    path, fragment = _split(target, fragment)
    if path == from_page and fragment:
        return "#" + encode_fragment(fragment)
    rel = encode_path(_relpath(path, posixpath.dirname(from_page)))
    return rel + ("#" + encode_fragment(fragment) if fragment else "")


def href(target: str | tuple[str, str], fragment: str | None = None) -> str:
    """The URL of `target` relative to the site root (to join to base_url), percent-encoded."""
    path, fragment = _split(target, fragment)
    return encode_path(path) + ("#" + encode_fragment(fragment) if fragment else "")


@lru_cache(maxsize=65536)
def _relpath(path: str, start: str) -> str:
    """posixpath.relpath for two clean output paths (no '.', '..' or '//'), a hundred times cheaper:
    every listing page links to every record it lists."""
    here = start.split("/") if start else []
    there = path.split("/")
    if "." not in there[-1] or any(part in ("", ".", "..") for part in there + here):
        return posixpath.relpath(path, start or ".")  # a folder, or a path that is not clean
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:]) or "."
