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

from . import limits, safeurl, yamlsrc
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


@dataclass
class Calendar:
    holidays: list[dt.date] = setting([], "工作日历补充：法定节假日（日历库尚未收录的年份）")
    workdays: list[dt.date] = setting([], "工作日历补充：调休上班的周末")


@dataclass
class Platform:
    name: str = setting("", "平台名称")
    url: str = setting("", "地址")


@dataclass
class Category:
    """A node of the catalogue taxonomy; records sit in leaves."""

    name: str = setting("", "分类名称")
    required_for: list[str] = setting([], "必须保持非空的部门层级（STL008）")
    freshness_days: int | None = setting(None, "更新时限（日，STL007）；不填表示不限")
    children: list["Category"] = setting([], "下级分类")
    path: str = ""  # filled in after loading: names joined with "/"

    def leaves(self) -> list["Category"]:
        if not self.children:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]


def _default_categories() -> list[dict[str, Any]]:
    every = list(LEVELS)
    governments = ["市级政府", "县级政府"]
    return [
        {"name": "政府信息公开制度"},
        {"name": "法定主动公开内容", "children": [
            {"name": "机构职能", "required_for": every, "freshness_days": 365},
            {"name": "政策文件", "freshness_days": 183, "children": [
                {"name": "规章"},
                {"name": "行政规范性文件", "required_for": governments},
                {"name": "其他文件"},
            ]},
            {"name": "政策解读", "freshness_days": 183},
            {"name": "规划计划", "required_for": governments, "freshness_days": 365},
            {"name": "财政信息", "required_for": every, "freshness_days": 365},
            {"name": "人事信息", "freshness_days": 365},
            {"name": "行政许可"},
            {"name": "执法结果"},
            {"name": "工作动态", "required_for": every, "freshness_days": 14},
            {"name": "通知公告", "freshness_days": 183},
        ]},
        {"name": "政府信息公开年报"},
    ]


DEFAULT_DOC_TYPES = ["规章", "行政规范性文件", "其他文件", "政策解读", "工作动态", "通知公告",
                     "执法结果", "人事信息", "规划计划", "工作制度", "年度报告", "财政信息"]


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
    sensitive_terms: list[str] = setting([], "敏感词表（SEC009）")
    limits: Limits = setting(None, "大小限制：文件、值、台账单元格、附件")
    root: Path = Path(".")  # the site folder; not a setting
    parsed: yamlsrc.Parsed | None = None  # site.yaml as parsed, for the lines of later findings; not a setting

    def __post_init__(self) -> None:
        self.footer = self.footer or Footer()
        self.deadlines = self.deadlines or Deadlines()
        self.calendar = self.calendar or Calendar()
        self.limits = self.limits or Limits()

    @property
    def leaf_categories(self) -> dict[str, Category]:
        return {leaf.path: leaf for top in self.categories for leaf in top.leaves()}


# --- the schema walker ---------------------------------------------------------------

_TYPE_NAMES = {str: "文本", int: "整数", bool: "true/false", float: "数字", dt.date: "日期 YYYY-MM-DD"}


def _convert(value: Any, hint: Any, where: yamlsrc.KeyPath, parsed: yamlsrc.Parsed,
             warnings: list[ConfigError]) -> Any:
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
        return {str(k): _convert(v, str, where + (str(k),), parsed, warnings) for k, v in value.items()}
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


def _build(cls: type, data: dict[str, Any], where: yamlsrc.KeyPath, parsed: yamlsrc.Parsed,
           warnings: list[ConfigError]) -> Any:
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


def _place_categories(nodes: list[Category], prefix: str, parsed: yamlsrc.Parsed) -> None:
    seen: set[str] = set()
    for i, node in enumerate(nodes):
        if not node.name or "/" in node.name:
            raise ConfigError("分类名称不能为空，也不能含 '/'", parsed.line_of("categories"))
        if node.name in seen:
            raise ConfigError(f"分类 '{prefix}{node.name}' 重复", parsed.line_of("categories"))
        seen.add(node.name)
        unknown = [lv for lv in node.required_for if lv not in LEVELS]
        if unknown:
            raise ConfigError(f"分类 '{node.name}' 的 required_for 含未知层级 {unknown}，"
                              f"可选：{'、'.join(LEVELS)}", parsed.line_of("categories"))
        node.path = prefix + node.name
        _place_categories(node.children, node.path + "/", parsed)


# The whole numbers a setting may take: a nonsense value (a deadline of a billion days, a page of
# none) is refused with its line rather than hanging or crashing a later stage.
RANGES: dict[tuple[str, ...], tuple[int, int]] = {
    ("page_size",): (1, 1000),
    **{("deadlines", f.name): ((1, 120) if f.name.endswith("_months") else (0, 3660))
       for f in dataclasses.fields(Deadlines) if f.type in ("int", int)},
    ("limits", "file_mb"): (1, 10_240),
    ("limits", "field_chars"): (1, 10_000_000),
    ("limits", "cell_chars"): (1, 10_000_000),
    ("limits", "attachment_mb"): (1, 102_400),
    ("limits", "unpacked_mb"): (1, 102_400),
}
FRESHNESS_RANGE = (1, 36_600)


def _check_ranges(config: SiteConfig, parsed: yamlsrc.Parsed) -> None:
    for path, (low, high) in RANGES.items():
        value = config
        for part in path:
            value = getattr(value, part)
        if not low <= typing.cast(int, value) <= high:
            raise ConfigError(f"设置 '{'.'.join(path)}' 应在 {low} 到 {high} 之间，实际为 {value}",
                              parsed.line_of(*path))
    stack = list(config.categories)
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        low, high = FRESHNESS_RANGE
        if node.freshness_days is not None and not low <= node.freshness_days <= high:
            raise ConfigError(f"分类 '{node.path}' 的 freshness_days 应在 {low} 到 {high} 之间（日），"
                              f"实际为 {node.freshness_days}", parsed.line_of("categories"))


SITE_YAML_MB = 10  # site.yaml is read before its own limits are known


def _read_site_yaml(path: Path) -> bytes:
    """The bytes of site.yaml: a regular file of at most SITE_YAML_MB (a FIFO is never read: it
    would hang; a huge file is refused before it fills the memory)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        why = {errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.ELOOP: "符号链接循环", errno.EIO: "磁盘读写错误"}
        raise ConfigError(f"无法读取（{why.get(exc.errno or 0, errno.errorcode.get(exc.errno or 0, '系统错误'))}）") from None
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
        raise ConfigError(f"base_url 应为以 http:// 或 https:// 开头的完整地址，实际为 {config.base_url!r}",
                          parsed.line_of("base_url"))
    _place_categories(config.categories, "", parsed)
    for rule_id, severity in config.rules.items():
        if rule_id not in RULES:
            raise ConfigError(f"rules 中的规则编号 '{rule_id}' 不存在", parsed.line_of("rules", rule_id))
        if severity not in SEVERITIES:
            raise ConfigError(f"规则 {rule_id} 的严重程度应为 block、warn 或 off，实际为 '{severity}'",
                              parsed.line_of("rules", rule_id))
    _check_ranges(config, parsed)
    limits.activate(config.limits)
    for name in ("report_deadline", "government_report_deadline"):
        value = getattr(config.deadlines, name)
        try:
            dt.date.fromisoformat(f"2000-{value}")
        except ValueError:
            raise ConfigError(f"deadlines.{name} 应为 月-日，例如 01-31，实际为 '{value}'",
                              parsed.line_of("deadlines", name)) from None
    return config, warnings
