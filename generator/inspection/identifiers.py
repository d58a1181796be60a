"""INS006 监测代码和标识: what the national monitoring reads off every page.

- 网站标识码 (footer.site_code, also the SiteIDCode meta tag): 10 characters, the official form —
  ten digits (区划代码 and a serial, e.g. 1522000001) or `bm` and eight digits for a State
  Council department (bm07000001);
- ICP备案号 (footer.icp): `<省简称>ICP备<数字>号`, optionally `-<序号>` (蒙ICP备05002755号-2);
- 公安机关备案号 (footer.psb): `<省简称>公网安备 <14 位数字>号` (蒙公网安备 15220102010009号);
- the 党政机关网站标识 slot (footer.party_mark) and the 找错 link (footer.report_error) configured
  as web addresses; a 找错 address naming a site_code names this site's;
- ColumnType: only values of the one vocabulary (generator/columntypes.py) — a taxonomy node's
  `column_type`, or a value a site's own template writes in the column_type block.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .. import columntypes, safeurl
from ..config import Category, SiteConfig
from ..findings import Finding
from ..model import Site

PROVINCES = "京津沪渝冀豫云滇辽黑湘皖鲁新苏浙赣鄂桂甘陇晋蒙陕秦吉闽贵黔粤青藏川蜀宁琼"  # 省级简称, both forms
SITE_CODE = re.compile(r"^(?:\d{10}|bm\d{8})$")
ICP = re.compile(rf"^[{PROVINCES}]ICP备\d{{6,10}}号(?:-\d{{1,4}})?$")
PSB = re.compile(rf"^[{PROVINCES}]公网安备\s?\d{{14}}号$")
SITE_CODE_PARAM = re.compile(r"[?&]site_code=([^&#]*)")
TEMPLATE_TYPE = re.compile(r"{%-?\s*block\s+column_type\s*-?%}(?P<value>.*?){%-?\s*endblock")
META_TYPE = re.compile(r"""<meta\s+name=["']ColumnType["']\s+content=["'](?P<value>[^"'{}]*)["']""")


def _line(config: SiteConfig, *path: str) -> int:
    return config.parsed.line_of(*path) if config.parsed else 1


def _finding(config: SiteConfig, key: str, message: str, fix: str) -> Finding:
    return Finding("INS006", "site.yaml", _line(config, "footer", key), message, fix)


def footer(config: SiteConfig) -> Iterator[Finding]:
    foot = config.footer
    if not SITE_CODE.match(foot.site_code.strip()):
        said = f"“{foot.site_code}”不是" if foot.site_code.strip() else "没有填写，应为"
        yield _finding(
            config,
            "site_code",
            f"网站标识码{said}规定的 10 位形式（10 位数字，或 bm 加 8 位数字）",
            "footer.site_code 填写全国政府网站信息报送系统分配的网站标识码，例如 1522000001。",
        )
    if not ICP.match(foot.icp.strip()):
        said = f"“{foot.icp}”不是" if foot.icp.strip() else "没有填写，应为"
        yield _finding(
            config,
            "icp",
            f"ICP备案号{said}规定的形式（省份简称ICP备数字号，可带 -序号）",
            "footer.icp 填写工业和信息化部备案的号码，例如 蒙ICP备05002755号-2。",
        )
    if not PSB.match(foot.psb.strip()):
        said = f"“{foot.psb}”不是" if foot.psb.strip() else "没有填写，应为"
        yield _finding(
            config,
            "psb",
            f"公安机关备案号{said}规定的形式（省份简称公网安备 14 位数字号）",
            "footer.psb 填写公安机关备案的号码，例如 蒙公网安备 15220102010009号。",
        )
    if not safeurl.is_web(foot.party_mark.strip()):
        yield _finding(
            config,
            "party_mark",
            "没有配置党政机关网站标识的链接（footer.party_mark）"
            if not foot.party_mark
            else f"党政机关网站标识的链接“{foot.party_mark}”不是 http:// 或 https:// 地址",
            "footer.party_mark 填写本站在党政机关网站标识系统中的核验页面地址（https://bszs.conac.cn/…）。",
        )
    error = foot.report_error.strip()
    if not safeurl.is_web(error):
        yield _finding(
            config,
            "report_error",
            "没有配置“我为政府网站找错”的链接（footer.report_error）"
            if not error
            else f"“我为政府网站找错”的链接“{error}”不是 http:// 或 https:// 地址",
            "footer.report_error 填写全国政府网站找错页面的地址，带本站的 site_code。",
        )
    elif (match := SITE_CODE_PARAM.search(error)) is not None and match.group(1) != foot.site_code.strip():
        yield _finding(
            config,
            "report_error",
            f"找错链接中的 site_code“{match.group(1)}”不是本站的网站标识码“{foot.site_code}”",
            "把找错链接中的 site_code 改为 footer.site_code。",
        )


def _nodes(categories: list[Category]) -> Iterator[Category]:
    for node in categories:
        yield node
        yield from _nodes(node.children)


def column_types(config: SiteConfig) -> Iterator[Finding]:
    allowed = "、".join(columntypes.COLUMN_TYPES)
    for node in _nodes(config.categories):
        if node.column_type and columntypes.unknown([node.column_type]):
            yield Finding(
                "INS006",
                "site.yaml",
                node.line,
                f"分类“{node.path}”的栏目类型“{node.column_type}”不在规定的栏目类型中",
                f"column_type 只用以下取值之一：{allowed}；不填则按分类名称确定。",
            )
    layouts = config.root / "layouts"
    if not layouts.is_dir():
        return
    for path in sorted(layouts.rglob("*.html")):
        try:
            if path.is_symlink() or not path.is_file():
                continue  # a link leaving layouts/ is the build's error; never read here
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for pattern in (TEMPLATE_TYPE, META_TYPE):
            for match in pattern.finditer(text):
                value = match["value"].strip()
                if value and "{" not in value and columntypes.unknown([value]):
                    rel = Path(path).relative_to(config.root).as_posix()
                    yield Finding(
                        "INS006",
                        rel,
                        text.count("\n", 0, match.start()) + 1,
                        f"模板中的栏目类型（ColumnType）“{value}”不在规定的栏目类型中",
                        f"改用 {{{{ site.column_type('…') }}}} 或以下取值之一：{allowed}。",
                    )


def check(site: Site) -> list[Finding]:
    return [*footer(site.config), *column_types(site.config)]
