"""The command line speaks Chinese: help, usage lines and argparse's own errors."""

from __future__ import annotations

import re

import pytest

from generator import cli

# argparse's English words, as they would show through
ARGPARSE_ENGLISH = re.compile(
    r"usage:|options|positional arguments|show this help|error:|invalid choice|choose from|required|"
    r"unrecognized|expected|invalid int value|argument"
)


@pytest.mark.parametrize(
    "args, words",
    [
        (["bogus"], "无效的取值 'bogus'"),
        (["check", "--format", "xml"], "无效的取值 'xml'"),
        (["serve", "--port", "abc"], "值无效（应为整数）"),
        (["report", "--site", "."], "缺少必需的参数：--dept, --year"),
        (["check", "--nope"], "无法识别的参数：--nope"),
        ([], "缺少必需的参数：COMMAND"),
        (["build", "--jobs"], "需要一个值"),
    ],
)
def test_usage_errors_are_chinese_and_exit_2(capsys: pytest.CaptureFixture[str], args: list[str], words: str) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(args)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：disclosure"), err
    assert "错误：" in err and words in err, err
    assert not ARGPARSE_ENGLISH.search(err), err


@pytest.mark.parametrize("command", [[], ["build"], ["check"], ["serve"], ["report"], ["new"], ["import"]])
def test_help_is_chinese(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main([*command, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：disclosure") and "显示本帮助并退出" in out and "选项：" in out, out
    assert not ARGPARSE_ENGLISH.search(out), out


def test_other_uses_of_argparse_keep_their_own_words() -> None:
    import argparse

    cli.parser().format_help()
    assert argparse.ArgumentParser(prog="x").format_usage().startswith("usage: x")
