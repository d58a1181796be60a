"""Which URLs the product may print into an href or src: one allow-list for every source.

Allowed: http, https, mailto, tel, and relative URLs (a path, `?query`, `#anchor`,
and protocol-relative `//host/…`, which a browser can only open over http or https).
Everything else — javascript:, vbscript:, data:, file:, ftp:, unknown schemes — is refused.

The check is deliberately stricter than a browser. Before looking for a scheme it
decodes HTML character references and percent-encoding (repeatedly, so `&amp;#x6A;`
and `%256A` count too) and removes every control, format and white-space character
(a browser drops tab and newline anywhere in a URL, and C0 controls and spaces at its
ends). Then any colon before the first `/`, `?` or `#` is a scheme, and the scheme
must be on the list: `java&#x09;script:`, `%6Aavascript:`, ` JaVaScRiPt:` and
`javascript\\n:` are all refused. A relative path with a colon in its first segment
(`a:b.html`) is refused as well; write it `./a:b.html`.

Used by links.resolve (record bodies), validate (department.yaml, site.yaml
platforms, FMT009), config (base_url) and the `href` template filter.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import unquote

SCHEMES = ("http", "https", "mailto", "tel")
WEB_SCHEMES = ("http", "https")

_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*")
_ROUNDS = 5  # decoding rounds; a value still changing after that is refused


def _invisible(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def _normalised(url: str) -> str | None:
    """The URL as a scheme check should see it, or None when decoding does not settle."""
    text = url
    for _ in range(_ROUNDS):
        decoded = unquote(html.unescape(text), errors="replace")
        decoded = "".join(c for c in decoded if not _invisible(c))
        if decoded == text:
            return text
        text = decoded
    return None


def scheme(url: object) -> str | None:
    """The scheme a URL uses, lower case: "" for a relative URL, None when undecidable
    (a colon before the first / ? # that does not follow a valid scheme name)."""
    text = _normalised(str(url))
    if text is None:
        return None
    head = re.split(r"[/?#\\]", text, maxsplit=1)[0]
    if ":" not in head:
        return ""
    name = head.split(":", 1)[0].lower()
    return name if _SCHEME.fullmatch(name) else None


def is_allowed(url: object) -> bool:
    """True when `url` may be printed into an href: http, https, mailto, tel or relative."""
    if url is None:
        return False
    found = scheme(url)
    return found is not None and (found == "" or found in SCHEMES)


def is_web(url: object) -> bool:
    """True for an absolute http:// or https:// URL (site.yaml base_url)."""
    if url is None:
        return False
    text = str(url).strip()
    return scheme(text) in WEB_SCHEMES and text.lower().startswith(("http://", "https://"))


def href(url: object) -> str:
    """Jinja filter: the URL when allowed, else "" (no link). Defense in depth: the checks
    (FMT009, FMT007, base_url) refuse these URLs before any page is written."""
    if url is None or url == "":
        return ""
    text = str(url).strip()
    return text if is_allowed(text) else ""
