"""argparse in Chinese: the command line's help, usage and errors as a clerk reads them.

argparse words its own messages (usage:, options, invalid choice …) through gettext; a
`ChineseParser` hands it Chinese ones while it parses, prints help or reports an error, and
leaves every other use of argparse in the process as it was. Subcommand parsers are made of
the same class (add_subparsers copies the parser's class).
"""

from __future__ import annotations

import argparse
import contextlib
import re
from typing import Any, Iterator, NoReturn, Sequence

MESSAGES = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的取值 %(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "invalid %(type)s value: %(value)r": "值无效（应为%(type)s）：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 中必须提供一个",
    "ignored explicit argument %r": "已忽略多余的值 %r",
    "unexpected option string: %s": "意外的选项：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}
PLURALS = {"expected %s argument": "需要 %s 个值", "conflicting option string: %s": "选项冲突：%s"}
SECTION_TITLE = re.compile(r"^([^\s:][^\n]*?):$", re.MULTILINE)  # "选项:" → "选项："
TYPE_NAMES = {"int": "整数", "float": "数字", "str": "文本"}


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return PLURALS.get(singular, singular if n == 1 else plural)


@contextlib.contextmanager
def _chinese() -> Iterator[None]:
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _gettext, _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class ChineseFormatter(argparse.HelpFormatter):
    """Help with the usage line and section titles in Chinese."""

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseParser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseFormatter)
        with _chinese():  # the -h option's help is worded here
            super().__init__(*args, **kwargs)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        with _chinese():
            return super().parse_known_args(args, namespace)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        with _chinese():  # "unrecognized arguments" is worded here
            return super().parse_args(args, namespace)

    def format_help(self) -> str:
        with _chinese():
            return SECTION_TITLE.sub(r"\1：", super().format_help())

    def format_usage(self) -> str:
        with _chinese():
            return super().format_usage()

    def error(self, message: str) -> NoReturn:
        with _chinese():
            super().error(message)

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        try:
            return super()._get_value(action, arg_string)  # type: ignore[misc]
        except argparse.ArgumentError as exc:
            name = getattr(action.type, "__name__", "")
            if name in TYPE_NAMES:  # "值无效（应为int）" → "值无效（应为整数）"
                raise argparse.ArgumentError(action, str(exc.message).replace(f"应为{name}", f"应为{TYPE_NAMES[name]}"))
            raise
