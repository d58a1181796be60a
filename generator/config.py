"""site.yaml: one typed schema, every setting with a default and its own error text.

Each section is a dataclass; its fields are the settings, their defaults the
defaults, and `doc` in the field metadata the Chinese description that docs/site-yaml.md
lists. A wrong type is an error (exit 2) naming the line; an unknown key is a warning.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import os
import stat
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import columntypes, limits, safeurl, yamlsrc
from .limits import Limits
from .errors import DisclosureError
from .rules import RULES, SEVERITIES
from .schema import Level, as_date, values

LEVELS = values(Level)
GOVERNMENT_LEVELS = (Level.CITY_GOVERNMENT.value, Level.COUNTY_GOVERNMENT.value, Level.TOWNSHIP.value)


class ConfigError(DisclosureError):
    """site.yaml cannot be used; the CLI exits 2 with this message."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        where = f"site.yaml 第 {self.line} 行：" if self.line else "site.yaml："
        return where + self.message


def setting(default: Any, doc: str) -> Any:
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: typing.cast(Any, default).copy(), metadata={"doc": doc})
    return field(default=default, metadata={"doc": doc})


@dataclass
class Footer:
    host: str = setting("", "主办单位")
    contact: str = setting("", "联系方式（电话、邮箱），显示在页脚")
    site_code: str = setting("", "网站标识码")
    icp: str = setting("", "ICP备案号")
    psb: str = setting("", "公安机关备案号")
    party_mark: str = setting("", "党政机关标识的链接地址（党政机关网站标识核验页面，INS006）")
    report_error: str = setting("", "“我为政府网站找错”的链接地址（INS006）")


@dataclass
class Deadlines:
    publish_days: int = setting(20, "形成或变更后发布的期限（工作日，STL001）")
    interpretation_days: int = setting(3, "政策解读与政策同步的期限（工作日，STL005）")
    require_interpretation: bool = setting(False, "行政规范性文件是否必须有政策解读（STL005）")
    update_days: int = setting(3, "规章、规范性文件变更后更新的期限（工作日，STL012）")
    reply_days: int = setting(20, "依申请公开答复期限（工作日，STL011）")
    reply_extension_days: int = setting(20, "延期答复可再延长的工作日（STL011）")
    enforcement_months: int = setting(1, "执法结果更新周期（月，STL006）")
    low_enforcement_months: int = setting(2, "执法频率较低的部门的执法结果更新周期（月，STL006）")
    guide_review_days: int = setting(365, "公开指南复核周期（日，STL009）")
    report_deadline: str = setting("01-31", "部门年度报告的发布期限（月-日，STL010）")
    government_report_deadline: str = setting("03-31", "政府年度报告的发布期限（月-日，STL010）")
    publish_days_by_doc_type: dict[str, int] = setting({}, "按文种的发布期限（工作日，STL014），文种 → 工作日")
    backdate_days: int = setting(30, "发布日期早于首次提交超过此天数即报告（日，STL015）")
    correction_days: int = setting(7, "收到申请后一次性告知补正的期限（工作日，STL018）")


@dataclass
class Calendar:
    holidays: list[dt.date] = setting([], "工作日历补充：法定节假日（日历库尚未收录的年份）")
    workdays: list[dt.date] = setting([], "工作日历补充：调休上班的周末")


@dataclass
class Platform:
    name: str = setting("", "平台名称")
    url: str = setting("", "地址")


@dataclass
class Sibling:
    """A sibling site of the 网站群 whose published search index the search page also queries."""

    name: str = setting("", "兄弟站点的名称（机构名称），显示在它的搜索结果上")
    url: str = setting("", "兄弟站点的发布地址（其 pagefind/ 所在的目录），http:// 或 https:// 开头，或相对本站根目录")


@dataclass
class SearchSettings:
    siblings: list[Sibling] = setting([], "网站群联合检索：搜索页同时检索的兄弟站点")


@dataclass
class Category:
    """A node of the catalogue taxonomy; records sit in leaves."""

    name: str = setting("", "分类名称")
    required_for: list[str] = setting([], "必须保持非空的部门层级（STL008）")
    freshness_days: int | None = setting(None, "更新时限（日，STL007）；不填表示不限")
    children: list["Category"] = setting([], "下级分类")
    hide_when_empty: bool = setting(False, "没有信息时不显示该栏目（不算空白栏目，INS002）")
    update_days: int | None = setting(None, "栏目更新时限（日，INS003）；不填按栏目类别")
    no_update_reason: str = setting("", "因客观原因无需定期更新的说明（显示在栏目页，INS003 不检查）")
    column_type: str = setting("", "栏目类型（ColumnType 元标签）；不填按分类名称或上级分类")
    path: str = ""  # filled in after loading: names joined with "/"
    line: int = 1  # filled in after loading: the line of its name in site.yaml

    def leaves(self) -> list["Category"]:
        if not self.children:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]

    def shown(self, count: int) -> bool:
        """Whether the column is rendered: a column with `count` records, unless it is empty and
        hidden when empty (then it is no blank column either)."""
        return count > 0 or not self.hide_when_empty


def _default_categories() -> list[dict[str, Any]]:
    every = list(LEVELS)
    governments = ["市级政府", "县级政府"]
    return [
        {"name": "政府信息公开制度"},
        {
            "name": "法定主动公开内容",
            "children": [
                {"name": "机构职能", "required_for": every, "freshness_days": 365},
                {
                    "name": "政策文件",
                    "freshness_days": 183,
                    "children": [
                        {"name": "规章"},
                        {"name": "行政规范性文件", "required_for": governments},
                        {"name": "其他文件"},
                    ],
                },
                {"name": "政策解读", "freshness_days": 183},
                {"name": "规划计划", "required_for": governments, "freshness_days": 365},
                {"name": "财政信息", "required_for": every, "freshness_days": 365},
                {"name": "人事信息", "freshness_days": 365},
                {"name": "行政许可"},
                {"name": "执法结果"},
                {"name": "工作动态", "required_for": every, "freshness_days": 14},
                {"name": "通知公告", "freshness_days": 183},
            ],
        },
        {"name": "政府信息公开年报"},
    ]


@dataclass
class Inspection:
    """The national spot check's thresholds (国办秘函〔2019〕19号), rules INS001–INS006."""

    homepage_days: int = setting(14, "首页和各部门门户最新信息的最长间隔（日，INS001）")
    blank_columns: int = setting(5, "一个站点或部门的空白栏目达到此数即阻断（INS002，单项否决）")
    stale_columns: int = setting(10, "不更新的栏目达到此数即阻断（INS003）")
    news_days: int = setting(14, "动态、要闻类栏目的更新时限（日，INS003）")
    notice_days: int = setting(183, "通知公告、政策文件类栏目的更新时限（日，INS003）")
    other_days: int = setting(365, "其他栏目的更新时限（日，INS003）")
    terms: list[str] = setting([], "本站的规范名称：领导姓名、职务等，补充随产品提供的名称表（INS004）")
    link_timeout: int = setting(10, "访问一个外部链接的超时（秒，INS005）")
    link_workers: int = setting(8, "同时访问的外部链接数（INS005）")
    link_cache_hours: int = setting(24, "外部链接检查结果的缓存时间（小时，INS005）")


@dataclass
class Deduction:
    rules: list[str] = setting([], "扣分的规则编号：这些规则的每个问题扣分")
    points: float = setting(1, "每个问题扣的分数")
    once: bool = setting(False, "true：不论问题多少只扣一次")


@dataclass
class ScoringItem:
    group: str = setting("", "项目（大类）")
    content: str = setting("", "具体内容")
    points: float = setting(0, "分值")
    standard: str = setting("", "评分标准（原文）")
    deductions: list[Deduction] = setting([], "扣分：哪些规则的问题扣多少分")


@dataclass
class Grade:
    name: str = setting("", "等次名称")
    min: float = setting(0, "达到该等次的最低分")


@dataclass
class Scoring:
    """考评标准: each item, its points and the findings that deduct from it (check --report)."""

    title: str = setting("", "考评标准的名称")
    source: str = setting("", "出处")
    items: list[ScoringItem] = setting([], "考评项目")
    vetoes: list[str] = setting([], "单项否决的规则：部门或全站有该规则的阻断性问题即不合格")
    grades: list[Grade] = setting([], "等次：按最低分从高到低")


DEFAULT_DOC_TYPES = [
    "规章",
    "行政规范性文件",
    "其他文件",
    "政策解读",
    "工作动态",
    "通知公告",
    "执法结果",
    "人事信息",
    "规划计划",
    "工作制度",
    "年度报告",
    "财政信息",
]


@dataclass
class SiteConfig:
    title: str = setting("政府信息公开", "站点名称（SiteName）")
    domain: str = setting("", "站点域名（SiteDomain），例如 www.example.gov.cn")
    base_url: str = setting("", "站点完整地址，用于 sitemap 和订阅源，例如 https://www.example.gov.cn/xxgk/")
    language: str = setting("zh-CN", "页面语言")
    today: dt.date | None = setting(None, "固定“今天”的日期（演示站点或归档站点用）；--today 与 SOURCE_DATE_EPOCH 优先")
    footer: Footer = setting(None, "页脚：主办单位、联系方式、网站标识码、备案号")
    page_size: int = setting(20, "目录每页条数")
    list_on_request: bool = setting(True, "是否在目录中列出依申请公开记录的元数据")
    categories: list[Category] = setting([], "信息分类树；不填使用默认的政府信息公开目录分类")
    topics: list[str] = setting([], "主题分类")
    doc_types: list[str] = setting(DEFAULT_DOC_TYPES, "文种")
    rules: dict[str, str] = setting({}, "规则严重程度：规则编号 → block / warn / off")
    deadlines: Deadlines = setting(None, "期限设置")
    calendar: Calendar = setting(None, "工作日历补充")
    platforms: list[Platform] = setting([], "平台链接")
    search: SearchSettings = setting(None, "搜索页设置（网站群联合检索）")
    sensitive_terms: list[str] = setting([], "敏感词表（SEC009）")
    withhold_bases: list[str] = setting([], "本站认可的不予公开依据（SEC002），例如某部法规的条款")
    inspection: Inspection = setting(None, "检查指标的阈值（INS001–INS006）")
    scoring: Scoring = setting(None, "考评标准（check --report 的考评得分）")
    limits: Limits = setting(None, "大小限制：文件、值、台账单元格、附件")
    word_template: str = setting(
        "", "年度报告 Word 版的参考模板（.docx，站点目录内的路径）；不填使用自带的公文格式模板"
    )
    root: Path = Path(".")  # the site folder; not a setting
    parsed: yamlsrc.Parsed | None = None  # site.yaml as parsed, for the lines of later findings; not a setting

    def __post_init__(self) -> None:
        self.footer = self.footer or Footer()
        self.deadlines = self.deadlines or Deadlines()
        self.calendar = self.calendar or Calendar()
        self.limits = self.limits or Limits()
        self.inspection = self.inspection or Inspection()
        self.scoring = self.scoring or Scoring()
        self.search = self.search or SearchSettings()

    @property
    def leaf_categories(self) -> dict[str, Category]:
        return {leaf.path: leaf for top in self.categories for leaf in top.leaves()}

    def column_type(self, page: str) -> str:
        """The ColumnType meta value of a kind of page (`home`, `catalogue` …) or of a taxonomy
        path (a record's category), from the one vocabulary (generator/columntypes.py, INS006)."""
        if page in columntypes.PAGES:
            return columntypes.PAGES[page]
        own: dict[str, str] = {}
        stack = list(self.categories)
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            if node.column_type:
                own[node.path] = node.column_type
        return columntypes.of_path(page, own)


# --- the schema walker ---------------------------------------------------------------

_TYPE_NAMES = {str: "文本", int: "整数", bool: "true/false", float: "数字", dt.date: "日期 YYYY-MM-DD"}


def _convert(value: Any, hint: Any, where: yamlsrc.KeyPath, parsed: yamlsrc.Parsed, warnings: list[ConfigError]) -> Any:
    line = parsed.line_of(*where)
    name = ".".join(str(p) for p in where)
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if value is None:
            return None
        return _convert(value, args[0], where, parsed, warnings)
    if origin is list:
        (item_hint,) = typing.get_args(hint)
        if value is None:
            return []
        if not isinstance(value, list):
            raise ConfigError(f"设置 '{name}' 应为列表", line)
        return [_convert(v, item_hint, where + (i,), parsed, warnings) for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"设置 '{name}' 应为映射（键: 值）", line)
        value_hint = typing.get_args(hint)[1] if typing.get_args(hint) else str
        return {str(k): _convert(v, value_hint, where + (str(k),), parsed, warnings) for k, v in value.items()}
    if dataclasses.is_dataclass(hint):
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise ConfigError(f"设置 '{name}' 应为映射（键: 值）", line)
        return _build(typing.cast(type, hint), value, where, parsed, warnings)
    if hint is dt.date:
        day = as_date(value if isinstance(value, dt.date) else str(value))  # the front matter's reading
        if day is None:
            raise ConfigError(f"设置 '{name}' 应为日期 YYYY-MM-DD，实际为 {value!r}", line)
        return day
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is str and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, hint) or (hint is int and isinstance(value, bool)):
        raise ConfigError(f"设置 '{name}' 应为{_TYPE_NAMES.get(hint, hint.__name__)}，实际为 {value!r}", line)
    return value


def _build(
    cls: type, data: dict[str, Any], where: yamlsrc.KeyPath, parsed: yamlsrc.Parsed, warnings: list[ConfigError]
) -> Any:
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls) if "doc" in f.metadata}
    values: dict[str, Any] = {}
    for key, value in data.items():
        key = str(key)
        if key not in known:
            dotted = ".".join(str(p) for p in where + (key,))
            warnings.append(ConfigError(f"未知设置 '{dotted}'，已忽略", parsed.line_of(*where, key)))
            continue
        values[key] = _convert(value, hints[key], where + (key,), parsed, warnings)
    return cls(**values)


def _place_categories(
    nodes: list[Category],
    prefix: str,
    parsed: yamlsrc.Parsed,
    where: yamlsrc.KeyPath = ("categories",),
    hidden: bool = False,
) -> None:
    """Give each node its path and line; `hide_when_empty` holds for every node below one that sets it."""
    seen: set[str] = set()
    for i, node in enumerate(nodes):
        node.line = parsed.line_of(*where, i, "name")
        node.hide_when_empty = node.hide_when_empty or hidden
        if not node.name or "/" in node.name:
            raise ConfigError("分类名称不能为空，也不能含 '/'", parsed.line_of("categories"))
        if node.name in seen:
            raise ConfigError(f"分类 '{prefix}{node.name}' 重复", parsed.line_of("categories"))
        seen.add(node.name)
        unknown = [lv for lv in node.required_for if lv not in LEVELS]
        if unknown:
            raise ConfigError(
                f"分类 '{node.name}' 的 required_for 含未知层级 {unknown}，可选：{'、'.join(LEVELS)}",
                parsed.line_of("categories"),
            )
        node.path = prefix + node.name
        _place_categories(node.children, node.path + "/", parsed, (*where, i, "children"), node.hide_when_empty)


# The whole numbers a setting may take: a nonsense value (a deadline of a billion days, a page of
# none) is refused with its line rather than hanging or crashing a later stage.
RANGES: dict[tuple[str, ...], tuple[int, int]] = {
    ("page_size",): (1, 1000),
    **{
        ("deadlines", f.name): ((1, 120) if f.name.endswith("_months") else (0, 3660))
        for f in dataclasses.fields(Deadlines)
        if f.type in ("int", int)
    },
    ("limits", "file_mb"): (1, 10_240),
    ("limits", "field_chars"): (1, 10_000_000),
    ("limits", "cell_chars"): (1, 10_000_000),
    ("limits", "attachment_mb"): (1, 102_400),
    ("limits", "unpacked_mb"): (1, 102_400),
    ("inspection", "homepage_days"): (1, 3660),
    ("inspection", "blank_columns"): (1, 10_000),
    ("inspection", "stale_columns"): (1, 10_000),
    ("inspection", "news_days"): (1, 36_600),
    ("inspection", "notice_days"): (1, 36_600),
    ("inspection", "other_days"): (1, 36_600),
    ("inspection", "link_timeout"): (1, 600),
    ("inspection", "link_workers"): (1, 64),
    ("inspection", "link_cache_hours"): (0, 87_600),
}
FRESHNESS_RANGE = (1, 36_600)


def _check_ranges(config: SiteConfig, parsed: yamlsrc.Parsed) -> None:
    for path, (low, high) in RANGES.items():
        value = config
        for part in path:
            value = getattr(value, part)
        if not low <= typing.cast(int, value) <= high:
            raise ConfigError(
                f"设置 '{'.'.join(path)}' 应在 {low} 到 {high} 之间，实际为 {value}", parsed.line_of(*path)
            )
    stack = list(config.categories)
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        low, high = FRESHNESS_RANGE
        for name in ("freshness_days", "update_days"):
            days = getattr(node, name)
            if days is not None and not low <= days <= high:
                raise ConfigError(
                    f"分类 '{node.path}' 的 {name} 应在 {low} 到 {high} 之间（日），实际为 {days}",
                    parsed.line_of("categories"),
                )
    for doc_type, days in config.deadlines.publish_days_by_doc_type.items():
        if not 0 <= days <= 3660:
            raise ConfigError(
                f"设置 'deadlines.publish_days_by_doc_type.{doc_type}' 应在 0 到 3660 之间，实际为 {days}",
                parsed.line_of("deadlines", "publish_days_by_doc_type", doc_type),
            )
    _check_scoring(config, parsed)
    _check_siblings(config, parsed)


def _check_siblings(config: SiteConfig, parsed: yamlsrc.Parsed) -> None:
    """Each sibling has a name and a web address (http, https or relative to this site's root): the
    search page fetches its index from there, so no other scheme may reach the page."""
    seen: set[str] = set()
    for i, sibling in enumerate(config.search.siblings):
        where = ("search", "siblings", i)
        if not sibling.name.strip():
            raise ConfigError(
                f"search.siblings 第 {i + 1} 项缺少 name（兄弟站点的名称）", parsed.line_of(*where, "name")
            )
        url = sibling.url.strip()
        found = safeurl.scheme(url) if url else None
        web = found == "" or (found in safeurl.WEB_SCHEMES and safeurl.is_web(url))
        if not web:
            raise ConfigError(
                f"search.siblings 第 {i + 1} 项（{sibling.name}）的 url 应为 http:// 或 https:// 开头的地址，"
                f"或相对本站根目录的路径（如 ../jiaoyu/），实际为 {sibling.url!r}",
                parsed.line_of(*where, "url"),
            )
        if url in seen:
            raise ConfigError(
                f"search.siblings 第 {i + 1} 项（{sibling.name}）的 url 与前面的一项重复：{url}",
                parsed.line_of(*where, "url"),
            )
        seen.add(url)
        sibling.url = url


def _check_scoring(config: SiteConfig, parsed: yamlsrc.Parsed) -> None:
    """The 考评 table names only rules that exist, and deducts no negative points."""
    scoring = config.scoring
    for rule_id in scoring.vetoes:
        if rule_id not in RULES:
            raise ConfigError(f"scoring.vetoes 中的规则编号 '{rule_id}' 不存在", parsed.line_of("scoring", "vetoes"))
    for i, item in enumerate(scoring.items):
        if item.points < 0:
            raise ConfigError(f"考评项目“{item.content}”的分值不能为负数", parsed.line_of("scoring", "items", i))
        for j, deduction in enumerate(item.deductions):
            line = parsed.line_of("scoring", "items", i, "deductions", j)
            unknown = [rule_id for rule_id in deduction.rules if rule_id not in RULES]
            if unknown:
                raise ConfigError(f"考评项目“{item.content}”的扣分规则 {unknown} 不存在", line)
            if deduction.points < 0:
                raise ConfigError(f"考评项目“{item.content}”的扣分不能为负数", line)


SITE_YAML_MB = 10  # site.yaml is read before its own limits are known


def _read_site_yaml(path: Path) -> bytes:
    """The bytes of site.yaml: a regular file of at most SITE_YAML_MB (a FIFO is never read: it
    would hang; a huge file is refused before it fills the memory)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        why = {
            errno.EACCES: "没有权限",
            errno.EPERM: "没有权限",
            errno.ELOOP: "符号链接循环",
            errno.EIO: "磁盘读写错误",
        }
        raise ConfigError(
            f"无法读取（{why.get(exc.errno or 0, errno.errorcode.get(exc.errno or 0, '系统错误'))}）"
        ) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError("不是普通文件（管道、套接字或设备），无法读取")
        if info.st_size > SITE_YAML_MB * 1024 * 1024:
            raise ConfigError(f"文件超过 {SITE_YAML_MB} MB，无法读取：site.yaml 只写设置")
        return handle.read(SITE_YAML_MB * 1024 * 1024 + 1)


def load_config(site_dir: Path) -> tuple[SiteConfig, list[ConfigError]]:
    """Read <site>/site.yaml (absent: every default). Raises ConfigError when unusable."""
    path = site_dir / "site.yaml"
    data: Any = {}
    parsed = yamlsrc.Parsed({})
    if path.exists():
        raw = _read_site_yaml(path)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ConfigError("文件不是 UTF-8 编码：请用 UTF-8 编码另存", raw.count(b"\n", 0, exc.start) + 1) from None
        try:
            parsed = yamlsrc.parse(text, max_chars=SITE_YAML_MB * limits.MB)  # bounded by the file size
        except yamlsrc.YamlError as exc:
            raise ConfigError(f"YAML 语法错误：{exc.message}。{exc.fix}", exc.line) from None
        data = parsed.data if parsed.data is not None else {}
        if not isinstance(data, dict):
            raise ConfigError("顶层应为映射（键: 值）", 1)
    warnings: list[ConfigError] = []
    if isinstance(data.get("rules"), dict):  # YAML 1.1 reads a bare `off` as false
        data = dict(data, rules={k: "off" if v is False else v for k, v in data["rules"].items()})
    if not data.get("categories"):
        data = dict(data, categories=_default_categories())
    config: SiteConfig = _build(SiteConfig, data, (), parsed, warnings)
    config.root = site_dir
    config.parsed = parsed
    if config.base_url and not safeurl.is_web(config.base_url):
        # Feeds, the sitemap and catalogue.json print it outside any template: refused here, not switchable.
        raise ConfigError(
            f"base_url 应为以 http:// 或 https:// 开头的完整地址，实际为 {config.base_url!r}",
            parsed.line_of("base_url"),
        )
    _place_categories(config.categories, "", parsed)
    for rule_id, severity in config.rules.items():
        if rule_id not in RULES:
            raise ConfigError(f"rules 中的规则编号 '{rule_id}' 不存在", parsed.line_of("rules", rule_id))
        if severity not in SEVERITIES:
            raise ConfigError(
                f"规则 {rule_id} 的严重程度应为 block、warn 或 off，实际为 '{severity}'",
                parsed.line_of("rules", rule_id),
            )
    _check_ranges(config, parsed)
    limits.activate(config.limits)
    for name in ("report_deadline", "government_report_deadline"):
        value = getattr(config.deadlines, name)
        try:
            dt.date.fromisoformat(f"2000-{value}")
        except ValueError:
            raise ConfigError(
                f"deadlines.{name} 应为 月-日，例如 01-31，实际为 '{value}'", parsed.line_of("deadlines", name)
            ) from None
    return config, warnings
