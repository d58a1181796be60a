"""The ColumnType meta tag (栏目类型) of every page, from one vocabulary.

The national monitoring of government websites reads `<meta name="ColumnType">` on every page
(国办发〔2017〕47号《政府网站发展指引》, 网页元数据). The product draws the value only from
COLUMN_TYPES — the website functions of the 指引 (概况信息, 机构职能, 政务动态, 政策文件, 政策解读,
数据发布, 办事服务, 互动交流 …) and the standard columns of a 政府信息公开 专栏 — so the check
(INS006) can hold every page to it: each kind of page has its type here, and each taxonomy node
has one by its own `column_type` in site.yaml, else by its name, else by its nearest ancestor's,
else 信息公开目录. Correct the vocabulary here, in one place, if the official list changes.
"""

from __future__ import annotations

from collections.abc import Iterable

COLUMN_TYPES = (
    "首页",
    "概况信息",
    "机构职能",
    "负责人信息",
    "政务动态",
    "通知公告",
    "政策文件",
    "政策解读",
    "回应关切",
    "数据发布",
    "规划计划",
    "财政信息",
    "人事信息",
    "执法信息",
    "办事服务",
    "互动交流",
    "专题专栏",
    "信息公开指南",
    "信息公开制度",
    "信息公开目录",
    "信息公开年报",
    "依申请公开",
    "站内搜索",
)

# Each kind of page the site renders (generator/render/) → its type.
PAGES = {
    "home": "首页",
    "department": "概况信息",
    "catalogue": "信息公开目录",
    "guide": "信息公开指南",
    "regulations": "信息公开制度",
    "reports": "信息公开年报",
    "apply": "依申请公开",
    "search": "站内搜索",
}

# A taxonomy node's name → its type (the default taxonomy, and common column names).
CATEGORY_NAMES = {
    "政府信息公开制度": "信息公开制度",
    "法定主动公开内容": "信息公开目录",
    "机构职能": "机构职能",
    "领导信息": "负责人信息",
    "政策文件": "政策文件",
    "规章": "政策文件",
    "行政规范性文件": "政策文件",
    "其他文件": "政策文件",
    "政策解读": "政策解读",
    "回应关切": "回应关切",
    "规划计划": "规划计划",
    "财政信息": "财政信息",
    "财政预决算": "财政信息",
    "人事信息": "人事信息",
    "行政许可": "办事服务",
    "执法结果": "执法信息",
    "工作动态": "政务动态",
    "要闻": "政务动态",
    "通知公告": "通知公告",
    "统计数据": "数据发布",
    "政府信息公开年报": "信息公开年报",
}
DEFAULT = "信息公开目录"


def of_path(path: str, own: dict[str, str]) -> str:
    """The type of the taxonomy node at `path` (names joined with "/"): `own` holds the types a
    site gives its nodes (path → type); the node's own, else by its name, else its ancestors'."""
    parts = path.split("/") if path else []
    for depth in range(len(parts), 0, -1):
        here = "/".join(parts[:depth])
        if own.get(here):
            return own[here]
        if parts[depth - 1] in CATEGORY_NAMES:
            return CATEGORY_NAMES[parts[depth - 1]]
    return DEFAULT


def unknown(values: Iterable[str]) -> list[str]:
    """The values that are no type of the vocabulary."""
    return [value for value in values if value not in COLUMN_TYPES]
