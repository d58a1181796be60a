"""The build output: written to a staging folder, swapped in only when complete.

A build that blocks or fails never touches the previous output; a build that succeeds
replaces it in one rename. Two pages claiming the same path are an error, not an
overwrite.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Iterator

MARKER = ".disclosure-build"


class OutputError(Exception):
    """The output folder cannot be used; the message is in Chinese."""


class Output:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: set[str] = set()
        self.copied: set[str] = set()  # attachments copied unchanged from the records

    def path(self, rel: str) -> Path:
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts:
            raise OutputError(f"输出路径 {rel} 越出了输出目录")
        if rel in self.written:
            raise OutputError(f"两个页面要写入同一路径 {rel}（URL 冲突）")
        self.written.add(rel)
        target = self.root / pure
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write_text(self, rel: str, text: str) -> None:
        self.path(rel).write_text(text, encoding="utf-8")

    def write_bytes(self, rel: str, data: bytes) -> None:
        self.path(rel).write_bytes(data)

    def copy(self, rel: str, source: Path) -> None:
        shutil.copyfile(source, self.path(rel))
        self.copied.add(rel)


def check_target(out: Path, site_root: Path) -> None:
    """Refuse an output folder whose replacement would destroy something that is not a build."""
    out, site_root = out.resolve(), site_root.resolve()
    if out == site_root or out in site_root.parents or site_root / "content" in (out, *out.parents):
        raise OutputError(f"输出目录 {out} 不能是站点目录、其上级目录或内容目录")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise OutputError(f"输出目录 {out} 已存在且不是 disclosure 生成的，为免误删，拒绝覆盖；请换一个 --out")


@contextmanager
def staging(out: Path) -> Iterator[Output]:
    """Yield an Output in a fresh folder beside `out`; on success swap it in, on error discard it."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = out.parent / f".{out.name}.staging-{os.getpid()}"
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    try:
        output = Output(stage)
        output.write_text(MARKER, "disclosure build output; replaced whole on every build\n")
        yield output
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    if out.exists():
        out.rename(old)
    stage.rename(out)
    shutil.rmtree(old, ignore_errors=True)
