"""FMT009 and the `href` filter: only http, https, mailto, tel and relative URLs reach an href.

department.yaml `website`/`apply_url`/`email`, site.yaml `platforms[].url` and links in record
bodies are checked (FMT009, blocking); site.yaml `base_url` must be http(s) (exit 2). The
templates print every URL from settings through the `href` filter, so a refused URL never
reaches an href even when FMT009 is switched off.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Callable

import pytest

from conftest import DEPARTMENT_YAML, SITE_YAML, record_text, run_cli
from generator import safeurl

MakeSite = Callable[..., Path]
DEPT_LINES = len(DEPARTMENT_YAML.splitlines())
FMT009_OFF = SITE_YAML.replace("STL010: 'off'", "STL010: 'off', FMT009: 'off'")
ATTRIBUTE = re.compile(r"""\b(?:href|src|action|formaction)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def findings(site: Path, rule: str | None = None) -> list[dict[str, object]]:
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.code in (0, 1), result.err
    return [f for f in json.loads(result.out) if rule is None or f["rule"] == rule]


def output_files(site: Path) -> list[Path]:
    return [p for p in (site / "build").rglob("*") if p.is_file()]


def assert_no_javascript_anywhere(site: Path) -> None:
    for path in output_files(site):
        assert b"javascript:" not in path.read_bytes().lower(), path


def assert_every_href_allowed(site: Path) -> None:
    for path in output_files(site):
        if path.suffix not in (".html", ".xml", ".json"):
            continue
        for match in ATTRIBUTE.finditer(path.read_text("utf-8", errors="replace")):
            value = html.unescape(match.group(1) if match.group(1) is not None else match.group(2))
            assert safeurl.is_allowed(value), (path, value)


# --- department.yaml ---------------------------------------------------------------------

BAD_DEPARTMENT_VALUES = [
    ("website", "javascript:alert(1)"),
    ("apply_url", '" JaVaScRiPt:alert(1)"'),
    ("website", '"data:text/html,<script>alert(1)</script>"'),
    ("apply_url", "vbscript:msgbox(1)"),
    ("website", '"java&#x09;script:alert(1)"'),
    ("apply_url", '"%6Aavascript:alert(1)"'),
    ("website", '"\\x01javascript:alert(1)"'),
    ("website", "file:///etc/passwd"),
    ("email", '"javascript:alert(1)"'),
]


@pytest.mark.parametrize("key, value", BAD_DEPARTMENT_VALUES)
def test_department_url_with_a_disallowed_scheme_is_fmt009_at_its_line(
    make_site: MakeSite, key: str, value: str
) -> None:
    site = make_site({"content/d1/a.md": record_text()})
    assert run_cli("build", "--site", site).code == 0
    before = {p: p.read_bytes() for p in output_files(site)}
    (site / "content/d1/department.yaml").write_text(
        DEPARTMENT_YAML + "fax: 0877-0000001\n" + f"{key}: {value}\n", encoding="utf-8"
    )
    check = run_cli("check", "--site", site)
    assert check.code == 1
    (found,) = findings(site, "FMT009")
    assert found["file"] == "content/d1/department.yaml"
    assert found["line"] == DEPT_LINES + 2 and found["severity"] == "block"
    if key != "email":
        assert key in str(found["message"]) and "不允许的协议" in str(found["message"])
    assert f"content/d1/department.yaml:{DEPT_LINES + 2}" in check.out
    assert run_cli("build", "--site", site).code == 1
    assert {p: p.read_bytes() for p in output_files(site)} == before  # the last good build stays
    assert_no_javascript_anywhere(site)


@pytest.mark.parametrize("key, value", [kv for kv in BAD_DEPARTMENT_VALUES if kv[0] != "email"])
def test_with_fmt009_switched_off_the_href_filter_still_keeps_it_out_of_every_href(
    make_site: MakeSite, key: str, value: str
) -> None:
    site = make_site(
        {
            "site.yaml": FMT009_OFF,
            "content/d1/department.yaml": DEPARTMENT_YAML + f"{key}: {value}\n",
            "content/d1/a.md": record_text(),
        }
    )
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.out + result.err
    assert_every_href_allowed(site)
    for path in output_files(site):
        if path.suffix == ".html":
            assert not re.search(r"href=\"\s*(?:java|vb|data|file)", path.read_text("utf-8"), re.IGNORECASE)


def test_allowed_urls_pass_and_are_linked(make_site: MakeSite) -> None:
    department = DEPARTMENT_YAML + (
        "email: xxgk@example.gov.cn\nwebsite: https://www.example.gov.cn/\n"
        'apply_url: "HTTP://ysq.example.gov.cn/apply?dept=d1&x=1"\n'
    )
    site_yaml = SITE_YAML + (
        "platforms:\n  - {name: 政务服务网, url: 'https://zwfw.example.gov.cn/'}\n"
        "  - {name: 热线, url: 'tel:12345'}\n  - {name: 信箱, url: 'mailto:a@example.gov.cn'}\n"
        "  - {name: 本站目录, url: 'catalogue/index.html'}\n  - {name: 本页, url: '#main'}\n"
        "  - {name: 镜像, url: '//mirror.example.gov.cn/'}\n"
    )
    site = make_site(
        {
            "site.yaml": site_yaml,
            "content/d1/department.yaml": department,
            "content/d1/a.md": record_text(
                "见[门户](https://www.example.gov.cn/)、[电话](tel:0877-12345)、[邮件](mailto:a@example.gov.cn)。"
            ),
        }
    )
    assert findings(site, "FMT009") == [] and findings(site, "FMT007") == []
    assert run_cli("build", "--site", site).code == 0
    home = (site / "build/index.html").read_text("utf-8")
    for href in (
        "https://zwfw.example.gov.cn/",
        "tel:12345",
        "mailto:a@example.gov.cn",
        "catalogue/index.html",
        "#main",
        "//mirror.example.gov.cn/",
    ):
        assert f'href="{href}"' in home
    guide = "\n".join(p.read_text("utf-8") for p in (site / "build").rglob("*.html"))
    assert 'href="https://www.example.gov.cn/"' in guide
    assert 'href="mailto:xxgk@example.gov.cn"' in guide
    assert 'href="HTTP://ysq.example.gov.cn/apply?dept=d1&amp;x=1"' in guide
    assert_every_href_allowed(site)


# --- site.yaml ---------------------------------------------------------------------------


def test_platform_url_with_javascript_is_refused(make_site: MakeSite) -> None:
    text = (
        SITE_YAML + "platforms:\n  - name: 政务服务网\n    url: https://zwfw.example.gov.cn/\n"
        '  - name: x\n    url: "javascript:alert(1)"\n'
    )
    site = make_site({"site.yaml": text, "content/d1/a.md": record_text()})
    (found,) = findings(site, "FMT009")
    assert found["file"] == "site.yaml" and found["line"] == 8 and found["severity"] == "block"
    assert text.splitlines()[7].strip().startswith('url: "javascript:')
    assert run_cli("build", "--site", site).code == 1
    assert not (site / "build").exists()


def test_platform_url_flow_style_is_refused(make_site: MakeSite) -> None:
    text = SITE_YAML + 'platforms: [{name: x, url: "javascript:alert(1)"}]\n'
    site = make_site({"site.yaml": text, "content/d1/a.md": record_text()})
    (found,) = findings(site, "FMT009")
    assert found["file"] == "site.yaml" and found["line"] == 4
    assert run_cli("build", "--site", site).code == 1
    (site / "site.yaml").write_text(text.replace(SITE_YAML, FMT009_OFF), "utf-8")
    assert run_cli("build", "--site", site).code == 0
    assert_no_javascript_anywhere(site)  # the filter drops it; the name alone is printed
    assert '<a href="">x</a>' in (site / "build/index.html").read_text("utf-8")


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "' javascript:alert(1)'",
        "ftp://example.gov.cn/",
        "www.example.gov.cn/xxgk/",
        "//www.example.gov.cn/",
    ],
)
def test_base_url_must_be_http_or_https(make_site: MakeSite, value: str) -> None:
    site = make_site({"site.yaml": SITE_YAML + f"base_url: {value}\n", "content/d1/a.md": record_text()})
    result = run_cli("build", "--site", site)
    assert result.code == 2
    assert "site.yaml 第 4 行" in result.err and "base_url" in result.err
    assert not (site / "build").exists()


# --- record bodies -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "[点此](javascript:alert(1))",
        "[点此](JaVaScRiPt:alert(1))",
        "![图](data:image/png;base64,iVBORw0KGgo=)",
        "<vbscript:msgbox(1)>",
        "[点此][r]\n\n[r]: javascript:alert(1)",
        "[点此](%6Aavascript:alert(1))",
    ],
)
def test_body_link_with_a_disallowed_scheme_is_fmt009(make_site: MakeSite, body: str) -> None:
    text = record_text("第一段。\n\n" + body)
    site = make_site({"content/d1/a.md": text})
    (found,) = findings(site, "FMT009")
    assert found["file"] == "content/d1/a.md" and found["line"] == text.splitlines().index("第一段。") + 3
    assert findings(site, "FMT007") == []
    assert run_cli("build", "--site", site).code == 1
    (site / "site.yaml").write_text(FMT009_OFF, "utf-8")
    assert run_cli("build", "--site", site).code == 0
    assert_every_href_allowed(site)


# --- the policy and the filter ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "\x00javascript:alert(1)",
        "\x1f javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "java\rscript:alert(1)",
        "javascript\t:alert(1)",
        "java&#x09;script:alert(1)",
        "java&#9;script:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "javascript&colon;alert(1)",
        "%6Aavascript:alert(1)",
        "%256Aavascript:alert(1)",
        "java%09script:alert(1)",
        "&amp;#x6A;avascript:alert(1)",
        "\u200bjavascript:alert(1)",
        "\ufeffjavascript:alert(1)",
        "\u00a0javascript:alert(1)",
        "java\u2028script:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>",
        "DATA:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "ftp://example.gov.cn/",
        "blob:https://x/1",
        "foo:bar",
        "a:b.html",
        "1http://x",
        None,
    ],
)
def test_refused(url: str | None) -> None:
    assert not safeurl.is_allowed(url)
    assert safeurl.href(url) == ""


@pytest.mark.parametrize(
    "url",
    [
        "http://www.example.gov.cn/",
        "https://www.example.gov.cn/a?b=1&c=2#d",
        "HTTPS://EXAMPLE.GOV.CN",
        " https://www.example.gov.cn/ ",
        "mailto:xxgk@example.gov.cn",
        "MailTo:a@b.cn?subject=%E7%94%B3%E8%AF%B7",
        "tel:+86-871-12345",
        "catalogue/index.html",
        "../d1/index.html",
        "./a:b.html",
        "#main",
        "?page=2",
        "//www.example.gov.cn/",
        "/xxgk/",
        "文件/说明.html",
        "https://x.cn/javascript:alert(1)",
        "https://x.cn/?next=javascript:alert(1)",
    ],
)
def test_allowed(url: str) -> None:
    assert safeurl.is_allowed(url)
    assert safeurl.href(url) == url.strip()


def test_href_filter_in_a_template_escapes_and_drops() -> None:
    from jinja2 import Environment

    env = Environment(autoescape=True)
    env.filters["href"] = safeurl.href
    template = env.from_string('<a href="{{ u | href }}">x</a>')
    assert template.render(u="javascript:alert(1)") == '<a href="">x</a>'
    assert template.render(u='https://x.cn/?a=1&b="2"') == '<a href="https://x.cn/?a=1&amp;b=&#34;2&#34;">x</a>'
    assert template.render(u=None) == '<a href="">x</a>'
    assert template.render(u=12345) == '<a href="12345">x</a>'


def test_base_url_check() -> None:
    assert safeurl.is_web("https://www.example.gov.cn/xxgk/") and safeurl.is_web("http://x.cn")
    for value in ("javascript:alert(1)", "//x.cn/", "x.cn", "https:x.cn", "mailto:a@b.cn", "", None):
        assert not safeurl.is_web(value)
