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

from .pagecache import Entry, PageCache, digest_of

MARKER = ".disclosure-build"


class OutputError(Exception):
    """The output folder cannot be used; the message is in Chinese."""


class Output:
    """A staging folder being filled. With a page cache, a file whose bytes (or whose inputs'
    key) are those of the previous output is linked from it rather than written again."""

    def __init__(self, root: Path, cache: PageCache | None = None) -> None:
        self.root = root
        self.cache = cache
        self.written: set[str] = set()
        self.copied: set[str] = set()  # attachments and search bundles copied unchanged from their sources
        self.files: dict[str, Entry] = {}  # every file placed, for the next build's cache
        self.reused: set[str] = set()  # files linked from the previous output, bytes unchanged

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

    def reuse(self, rel: str, key: str) -> bool:
        """Place the previous build's `rel` if its inputs' key is `key`; False: render it."""
        previous = self.cache.reusable(rel, key=key) if self.cache else None
        if previous is None or self.cache is None:
            return False
        _link(previous, self.path(rel))
        self.record(rel, self.cache.entries[rel], reused=True)
        return True

    def place(self, rel: str, target: Path, data: bytes, key: str = "") -> tuple[Entry, bool]:
        """Write `data` as `rel` at `target` — linked from the previous output when its bytes are
        the same. Touches no state of this object, so a worker process may call it; the caller
        records the result (record)."""
        digest = digest_of(data)
        previous = self.cache.reusable(rel, digest=digest) if self.cache else None
        if previous is not None:
            _link(previous, target)
        else:
            target.write_bytes(data)
        return Entry(key, digest, len(data)), previous is not None

    def record(self, rel: str, entry: Entry, reused: bool) -> None:
        self.files[rel] = entry
        if reused:
            self.reused.add(rel)

    def write_bytes(self, rel: str, data: bytes, key: str = "") -> None:
        self.record(rel, *self.place(rel, self.path(rel), data, key))

    def write_text(self, rel: str, text: str, key: str = "") -> None:
        self.write_bytes(rel, text.encode("utf-8"), key)

    def copy(self, rel: str, source: Path) -> None:
        self.write_bytes(rel, source.read_bytes())
        self.copied.add(rel)


def _link(previous: Path, target: Path) -> None:
    try:
        os.link(previous, target)
    except OSError:  # another file system, or links not supported: a copy does the same
        shutil.copyfile(previous, target)


def check_target(out: Path, site_root: Path) -> None:
    """Refuse an output folder whose replacement would destroy something that is not a build."""
    out, site_root = out.resolve(), site_root.resolve()
    if out == site_root or out in site_root.parents or site_root / "content" in (out, *out.parents):
        raise OutputError(f"输出目录 {out} 不能是站点目录、其上级目录或内容目录")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise OutputError(f"输出目录 {out} 已存在且不是 disclosure 生成的，为免误删，拒绝覆盖；请换一个 --out")


@contextmanager
def staging(out: Path, cache: PageCache | None = None) -> Iterator[Output]:
    """Yield an Output in a fresh folder beside `out`; on success swap it in, on error discard it.
    With `cache` (of `out`), unchanged files are linked from `out` instead of written."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = out.parent / f".{out.name}.staging-{os.getpid()}"
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    try:
        output = Output(stage, cache)
        output.write_text(MARKER, "disclosure build output; replaced whole on every build\n")
        yield output
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    if out.exists():
        out.rename(old)
    stage.rename(out)
    shutil.rmtree(old, ignore_errors=True)
