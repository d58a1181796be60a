"""The check of a build runs in a child process, whose memory goes back to the system when it ends
(generator/apart.py): what it gives, and how it fails, are as if it had run in the build's process."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path
from typing import Callable

import pytest

from conftest import DEPT_USCC, record_text, run_cli
from generator import apart, checking, pipeline
from generator.errors import DisclosureError

MakeSite = Callable[..., Path]


def test_the_result_comes_back_from_the_child() -> None:
    pid, text = apart.in_child(lambda: (os.getpid(), "政府信息"))
    assert pid != os.getpid() and text == "政府信息"


def test_an_error_in_the_child_is_raised_again_with_its_traceback() -> None:
    def fails() -> None:
        raise DisclosureError("记录文件无法读取")

    with pytest.raises(DisclosureError, match="记录文件无法读取") as raised:
        apart.in_child(fails)
    assert isinstance(raised.value.__cause__, apart.ChildTraceback)
    assert "in fails" in str(raised.value.__cause__)

    def fails_oddly() -> None:
        raise OSError(28, "No space left on device", "/tmp/x")

    with pytest.raises(OSError) as oserror:  # the CLI says a full disk in Chinese: the error is the same
        apart.in_child(fails_oddly)
    assert oserror.value.errno == 28 and oserror.value.filename == "/tmp/x"


def test_a_child_that_dies_is_a_clear_error() -> None:
    with pytest.raises(apart.ChildDied, match="SIGKILL.*内存不足"):
        apart.in_child(lambda: os.kill(os.getpid(), signal.SIGKILL))


def test_a_build_checks_in_a_child_and_publishes_what_the_check_passed(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = record_text("第二条正文。", index_no=f"{DEPT_USCC}/2026-00002", title="关于第二项工作的意见（征求意见稿）")
    site = make_site({"content/d1/a.md": record_text("第一条正文。"), "content/d1/b.md": second})
    original = checking.check

    def check(*args: object, **kwargs: object) -> checking.CheckResult:
        (site / "check.pid").write_text(str(os.getpid()))
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "check", check)
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    assert int((site / "check.pid").read_text()) != os.getpid()
    assert "第二条正文。" in (site / "build/d1/2026-00002.html").read_text(encoding="utf-8")
    assert "SEC017" in result.err and "content/d1/b.md" in result.err  # a warning found by the child
    checked = run_cli("check", "--site", site)
    assert result.err.splitlines()[: len(checked.err.splitlines())] == checked.err.splitlines()


def test_a_build_that_renders_only_what_changed_checks_in_its_own_process(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full build checks in a child, whose memory goes back when it ends; a build with the previous
    output and its page cache renders little, and checks in its own process (no hand-back)."""
    site = make_site({"content/d1/a.md": record_text("第一条正文。")})
    original = checking.check
    checked_in: list[int] = []

    def check(*args: object, **kwargs: object) -> checking.CheckResult:
        (site / "check.pid").write_text(str(os.getpid()))
        return original(*args, **kwargs)  # type: ignore[arg-type]

    def build() -> int:
        result = run_cli("build", "--site", site)
        assert result.code == 0, result.err
        checked_in.append(int((site / "check.pid").read_text()))
        return checked_in[-1]

    monkeypatch.setattr(pipeline, "check", check)
    assert build() != os.getpid()  # the first build: no cache
    page = site / "build/d1/2026-00001.html"
    (site / "content/d1/a.md").write_text(record_text("改过的正文。"), encoding="utf-8")
    assert build() == os.getpid()
    assert "改过的正文。" in page.read_text(encoding="utf-8")
    shutil.rmtree(site / "build")  # the cache without the output it describes: a full build
    assert build() != os.getpid() and page.is_file()
    shutil.rmtree(site / ".cache")
    assert build() != os.getpid() and page.is_file()
