"""site.yaml search.siblings (网站群联合检索): a sibling's address is an http(s) URL or a path
relative to the site's root, nothing else reaches the search page; a wrong entry stops the build
with its line, in Chinese."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from conftest import SITE_YAML, run_cli

from generator import config

Make = Callable[[dict[str, str]], Path]


def siblings(*entries: tuple[str, str]) -> str:
    lines = [f"    - name: {name}\n      url: '{url}'\n" for name, url in entries]
    return SITE_YAML + "search:\n  siblings:\n" + "".join(lines)


def error(site: Path) -> config.ConfigError:
    with pytest.raises(config.ConfigError) as caught:
        config.load_config(site)
    return caught.value


def test_web_and_relative_addresses_are_accepted(make_site: Make) -> None:
    site = make_site({"site.yaml": siblings(("乙县教育局", " https://yi.example.gov.cn/xxgk/ "), ("丙镇", "../bing/"))})
    found, warnings = config.load_config(site)
    assert [(s.name, s.url) for s in found.search.siblings] == [
        ("乙县教育局", "https://yi.example.gov.cn/xxgk/"),
        ("丙镇", "../bing/"),
    ]
    assert not warnings


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://yi.example.gov.cn/", "file:///srv/yi/", "java&#x09;script:x"]
)
def test_another_scheme_is_refused_at_its_line(make_site: Make, url: str) -> None:
    site = make_site({"site.yaml": siblings(("乙县教育局", "https://yi.example.gov.cn/"), ("丙镇", url))})
    refused = error(site)
    last = len(site.joinpath("site.yaml").read_text(encoding="utf-8").splitlines())
    assert refused.line == last  # the second entry's url
    assert "search.siblings 第 2 项（丙镇）的 url 应为 http:// 或 https:// 开头的地址" in str(refused)


def test_a_sibling_without_name_or_url_and_a_repeated_url_are_refused(make_site: Make) -> None:
    assert "缺少 name" in str(error(make_site({"site.yaml": siblings(("''", "https://yi.example.gov.cn/"))})))
    assert "的 url 应为" in str(error(make_site({"site.yaml": siblings(("乙县", ""))})))
    twice = siblings(("乙县", "https://yi.example.gov.cn/"), ("乙县教育局", "https://yi.example.gov.cn/"))
    assert "重复" in str(error(make_site({"site.yaml": twice})))


def test_the_build_stops_with_exit_code_2(make_site: Make) -> None:
    site = make_site({"site.yaml": siblings(("丙镇", "javascript:alert(1)"))})
    result = run_cli("build", "--site", site)
    assert result.code == 2 and "search.siblings" in result.err + result.out
    assert not (site / "build").exists()
