"""Where each page lives in the output. One module, so links and files never disagree."""

from __future__ import annotations

import hashlib
import posixpath
from functools import lru_cache

from .publicity import PublicRecord

HOME = "index.html"
CATALOGUE = "catalogue/index.html"
STATIC = "static"
SEARCH = "search/index.html"  # the search page; forms send the query as ?q=
SEARCH_INDEX = "pagefind"  # the search index: one Pagefind bundle per shard, and shards.json
APPLY = "apply.html"  # 依申请公开
REGULATIONS = "regulations.html"  # 政府信息公开制度
REPORTS = "reports/index.html"  # 政府信息公开年报, every report by year
CATALOGUE_JSON = "catalogue.json"  # the public catalogue, machine-readable
CATALOGUE_CSV = "catalogue.csv"
FEED = "feed.xml"  # Atom feed of the whole site
SITEMAP = "sitemap.xml"


def record(r: PublicRecord) -> str:
    return f"{r.dept}/{r.slug}.html"


def attachment(r: PublicRecord, name: str) -> str:
    return f"{r.dept}/{r.slug}/{name}"


def department(slug: str) -> str:
    return f"{slug}/index.html"


def catalogue_page(base: str, page: int) -> str:
    """Page `page` (1-based) of a paginated listing whose first page is `base`."""
    return base if page == 1 else posixpath.join(posixpath.dirname(base), f"{page}.html")


def dept_catalogue(slug: str) -> str:
    return f"{slug}/catalogue/index.html"


def dept_feed(slug: str) -> str:
    """The department's Atom feed."""
    return f"{slug}/feed.xml"


def _key(name: str) -> str:
    """A short ASCII key that stays the same as long as the name does (stable listing URLs)."""
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


def category_listing(path: str) -> str:
    """The listing of a taxonomy node (its whole subtree), e.g. 法定主动公开内容/政策文件."""
    return f"catalogue/c-{_key(path)}/index.html"


def topic_listing(topic: str) -> str:
    return f"catalogue/t-{_key(topic)}/index.html"


def year_listing(year: int) -> str:
    return f"catalogue/{year}/index.html"


def current_only(base: str) -> str:
    """The 现行有效-only twin of the listing whose first page is `base`."""
    return posixpath.join(posixpath.dirname(base), "current", "index.html")


def guide(slug: str) -> str:
    """The department's 政府信息公开指南."""
    return f"{slug}/guide.html"


def report(slug: str, year: int) -> str:
    """A department's annual report (年度报告) page."""
    return f"{slug}/reports/{year}.html"


def site_report(year: int) -> str:
    """The site-level summary of every department's annual report."""
    return f"reports/{year}.html"


def report_file(report_page: str, name: str) -> str:
    """A file beside a report page (a chart, the Word copy): reports/2025.html → reports/2025-<name>."""
    return report_page.removesuffix(".html") + "-" + name


def static(name: str) -> str:
    return f"{STATIC}/{name}"


def relative(from_page: str, target: str) -> str:
    """`target` (output path, optional #fragment) as a link relative to the page `from_page`."""
    path, _, fragment = target.partition("#")
    if path == from_page and fragment:
        return "#" + fragment
    rel = _relpath(path, posixpath.dirname(from_page))
    return rel + ("#" + fragment if fragment else "")


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
