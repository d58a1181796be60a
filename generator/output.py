"""The build output: written to a staging folder, swapped in only when complete.

A build that blocks or fails never touches the previous output; a build that succeeds
replaces it in one step (an exchange of the two folders). Two pages claiming the same path
are an error, not an overwrite.

The output replaced is kept beside the new one as its spare (`.<out>.spare-TOKEN`) when the two
differ in few files: every other file of the two is one file (a hard link). A build that replaced
no output (a cold build), or one that differs in most files, links the new output's files as the
spare instead (linked_spare). The next build
stages the spare again, brings those few files up to date with the output, and so begins
with every page of the previous build already in place: an unchanged page costs a look-up,
not a link, and a build that changes one record touches a handful of files. Whatever the
spare holds is the previous output's own file, so it is never written through: a page
written anew replaces it with a new file (Output.path), and the served output stays as it is.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import glob
import os
import posixpath
import secrets
import shutil
import stat
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from . import progress
from .errors import DisclosureError
from .meanwhile import APART, Meanwhile
from .pagecache import DIGEST, KEY, Entry, PageCache, Spare, digest_of, digester, entry

MARKER = ".disclosure-build"
LOCK = Path(".cache") / "build.lock"  # under the site: one build of a site at a time (build_lock)
STAGING, OLD = ".staging-", ".old-"  # `.<out>.staging-PID`: a build's folder; `.<out>.old-PID`: an output set aside
SPARE = ".spare-"  # `.<out>.spare-TOKEN`: the output before the current one, staged again by the next build
SPARE_SHARE = 2  # a spare behind in more than 1/SPARE_SHARE of the files is not kept: linking anew costs as much
AT_FDCWD, RENAME_EXCHANGE = -100, 2  # <fcntl.h>, <linux/fs.h>
PROGRESS_EVERY = 5000  # files linked between two advances of the bar
LINK_FOUND = 3  # LISTER's exit code for a symbolic link in the folder
# Lists a staging folder (files_under, links=False) in a fresh process (Listing): the folder in
# argv; the files in tree order, NUL between them.
LISTER = f"""from pathlib import Path
from generator.output import SymbolicLink, files_under
try:
    found = files_under(Path(sys.argv[1]), links=False)
except SymbolicLink as exc:
    sys.stderr.write(str(exc))
    sys.exit({LINK_FOUND})
answer("\\0".join(found).encode("utf-8", "surrogateescape"))
"""


class OutputError(DisclosureError):
    """The output folder cannot be used; the message is in Chinese."""


# What the machine, not the product, is short of: said in Chinese with the file, exit 2 (not an
# internal error). Anything else stays a bug to report.
ENVIRONMENT_ERRORS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EFBIG: "文件超过文件系统允许的大小",
    errno.EACCES: "没有权限",
    errno.EPERM: "操作不被允许（权限不足）",
    errno.EROFS: "文件系统是只读的",
    errno.EMFILE: "同时打开的文件过多",
    errno.ENFILE: "系统同时打开的文件过多",
    errno.EIO: "磁盘读写错误",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.ELOOP: "符号链接循环",
}
ENVIRONMENT_FIX = {
    errno.ENOSPC: "请清理磁盘或换一个空间足够的输出目录（--out）后重试",
    errno.EDQUOT: "请清理磁盘或换一个空间足够的输出目录（--out）后重试",
    errno.EACCES: "请检查该文件或目录的权限（运行 disclosure 的用户须能写入站点的 .cache/ 和输出目录），"
    "或换一个输出目录（--out）",
    errno.EPERM: "请检查该文件或目录的权限，或换一个输出目录（--out）",
    errno.EROFS: "请换一个可写的输出目录（--out），或把站点复制到可写的位置",
}


def describe_os_error(exc: OSError) -> str | None:
    """The Chinese message for an OSError the environment causes (disk full, no permission …),
    naming the file; None for any other (a bug)."""
    what = ENVIRONMENT_ERRORS.get(exc.errno or -1)
    if what is None:
        return None
    where = f"：{exc.filename}" if exc.filename else ""
    fix = ENVIRONMENT_FIX.get(exc.errno or -1, "请检查磁盘和文件系统后重试")
    return f"{what}{where}。{fix}；上一次的输出保持不变。"


class BuildLocked(OutputError):
    """Another build of the same site holds its lock (the CLI exits 2)."""


class Output:
    """A staging folder being filled. With a page cache, a file whose bytes (or whose inputs'
    key) are those of the previous output is linked from it rather than written again — or,
    staged from the spare, is already there (`held`)."""

    def __init__(self, root: Path, cache: PageCache | None = None, held: set[str] | None = None) -> None:
        self.root = root
        self.cache = cache
        self.written: set[str] = set()
        self.copied: set[str] = set()  # attachments and search bundles copied unchanged from their sources
        self.files: dict[str, Entry] = {}  # every file placed, for the next build's cache
        self.reused: set[str] = set()  # files linked from the previous output, bytes unchanged
        self.fresh: set[str] = set()  # files written with new bytes: where the previous output differs
        # byte ranges of a file written anew that were copied from the previous output's file at the same
        # path (the site-wide exports' unchanged rows: render/exportrows.py), scanned when that was
        self.spans: dict[str, list[tuple[int, int]]] = {}
        self.folders: set[str] = set()  # folders made in the staging folder
        # the files the staging folder holds before anything is placed (a spare brought up to date):
        # each the previous output's own file. Placed as they are by `reuse`; replaced by a new file
        # when written (path); those no page placed are removed by drop_held
        self.held: set[str] = held or set()
        self.from_spare = held is not None
        # held files placed on the page cache's word, not looked at one by one (650,000 at 200,000
        # records took seconds): one walk of the folder (survey) finds each, or places it again
        self.taken: set[str] = set()
        self.found: list[str] | None = None  # what the staging folder held (survey)
        self.listing: Listing | None = None  # the folder being listed in another process (list_meanwhile)
        # the spare's files removed to make way for a folder, or with a folder a file takes the place
        # of (_clear_way): the survey may have listed them, and the place may be a folder or a file now
        self.cleared: set[str] = set()
        self.found_set: set[str] = set()
        self.spare: Spare | None = None  # the output replaced, when kept as the spare (staging)

    def _claim(self, rel: str) -> None:
        _inside(rel)
        if rel in self.written:
            raise OutputError(f"两个页面要写入同一路径 {rel}（URL 冲突）")
        self.written.add(rel)

    def path(self, rel: str) -> Path:
        self._claim(rel)
        if self.held:
            self._clear_way(rel)
        folder = os.path.dirname(rel)
        if folder not in self.folders:  # made once: pages share few folders
            os.makedirs(os.path.join(self.root, folder), exist_ok=True)
            self.folders.add(folder)
        return self.root / rel

    def _clear_way(self, rel: str) -> None:
        """Remove what the spare holds where `rel` is to be written: its file at `rel` (one with the
        served output's: written through, that would change too), a file where a folder of `rel`
        goes, or a folder of files that are gone."""
        if rel in self.held:
            self.held.discard(rel)
            (self.root / rel).unlink(missing_ok=True)  # a spare's file removed meanwhile: nothing to clear
            return
        parts = rel.split("/")
        for depth in range(1, len(parts)):
            above = "/".join(parts[:depth])
            if above in self.held:
                self.held.discard(above)
                self.cleared.add(above)
                (self.root / above).unlink(missing_ok=True)
        target = self.root / rel
        if target.is_dir() and not target.is_symlink():
            inside = [f"{rel}/{inner}" for inner in files_under(target)]
            if any(inner not in self.held for inner in inside):
                raise OutputError(f"两个页面要写入同一路径 {rel}（URL 冲突：它也是另一个页面的目录）")
            self.held.difference_update(inside)
            self.cleared.update(inside)
            shutil.rmtree(target)

    def reusable(self, rel: str, key: str) -> bool:
        """Whether `reuse` would place the previous build's `rel` for `key` (nothing is placed)."""
        if self.cache is None or rel in self.written:
            return False
        if rel in self.held:
            return self._held_entry(rel, key) is not None
        return self.cache.reusable(rel, key=key) is not None

    def _held_entry(self, rel: str, key: str) -> Entry | None:
        """The page cache's entry for `rel`, which the staging folder holds, when its key is `key`."""
        entry = self.cache.entries.get(rel) if self.cache is not None else None
        return entry if entry is not None and entry[KEY] == key else None

    def reuse(self, rel: str, key: str, checked: bool = False) -> bool:
        """Place the previous build's `rel` if its inputs' key is `key`; False: render it.
        `checked`: `reusable` has just said so, and the file is not looked at again. A file the
        staging folder holds (the spare's) is taken on the page cache's word (survey looks)."""
        if self.cache is None:
            return False
        if rel in self.held:
            entry = self._held_entry(rel, key)
            if entry is None:
                return False
            self._claim(rel)
            self.held.discard(rel)
            self.taken.add(rel)
            self.record(rel, entry, reused=True)
            return True
        previous = self.cache.previous / rel if checked else self.cache.reusable(rel, key=key)
        if previous is None:
            return False
        _link(previous, self.path(rel))
        self.record(rel, self.cache.entries[rel], reused=True)
        return True

    def place_held(self, paths: Sequence[str]) -> set[str]:
        """Place, as they are, those of `paths` the staging folder holds (the spare's), each on the
        page cache's entry: what `reuse` does for each, for files whose key the caller knows to be
        the cached one (a group of pages whose key is unchanged, a search bundle's files `reusable`
        found). The paths placed; the others are the caller's to place one by one (all of them when
        a path is given twice: placing it one by one says so). A city's 400,000 pages, and 250,000
        files of its search bundles, are placed by a few set operations."""
        if not self.held or self.cache is None:
            return set()
        wanted = set(paths)
        if len(wanted) != len(paths):
            return set()
        placed = self.held & wanted
        for rel in placed:
            _inside(rel)
        clash = self.written & placed
        if clash:
            raise OutputError(f"两个页面要写入同一路径 {min(clash)}（URL 冲突）")
        self.written |= placed
        self.held -= placed
        self.taken |= placed
        self.reused |= placed
        entries = self.cache.entries
        self.files.update({rel: entries[rel] for rel in placed})
        return placed

    def list_meanwhile(self) -> None:
        """Staged from the spare of at least APART files: begin listing the staging folder in another
        process (Listing), for `survey`. Call it once the spare is brought up to date, before any
        page is placed: what the build places, writes anew or clears away after that, it knows
        itself (drop_held)."""
        if self.from_spare and self.listing is None and self.found is None and len(self.held) >= APART:
            self.listing = Listing(self.root)

    def stop_listing(self) -> None:
        """The build stops: the listing begun (list_meanwhile) is not waited for."""
        if self.listing is not None:
            self.listing.stop()
            self.listing = None

    def survey(self) -> None:
        """When staged from the spare, once every page is placed and before the search index reads
        them: what the staging folder holds (files_under; listed meanwhile in another process, if
        begun: list_meanwhile), and place again from the served output each file taken on the page
        cache's word that is not there (_take_again)."""
        if not self.from_spare or self.found is not None:
            return
        listing, self.listing = self.listing, None
        try:
            found = listing.files() if listing is not None else None
            self.found = files_under(self.root, links=False) if found is None else found
        except SymbolicLink as exc:
            raise OutputError(f"暂存目录中有不是本次生成放入的符号链接（{exc}），已中止；请重新运行生成") from None
        self.found_set = set(self.found)
        self._take_missing()

    def _take_missing(self) -> None:
        for rel in sorted(self.taken.difference(self.found_set)):
            self._take_again(rel)
        self.taken = set()

    def drop_held(self) -> set[str] | None:
        """When staged from the spare: remove every file no page of this build placed (pages that
        are gone, and anything else the survey found there) with the folders left empty, so the
        staging folder is exactly this build's: the files then under it, the ones it placed (in no
        order: ordering a city's 660,000 took 0.35 s, and the output scan orders the few it reads).
        None: nothing to remove."""
        if not self.from_spare:
            return None
        self.survey()
        assert self.found is not None
        found = self.found_set
        self._take_missing()  # the search bundles taken since the survey
        gone = found - self.files.keys()  # 660,000 files at 200k records: set operations, not a call each
        for rel in gone - self.cleared if self.cleared else gone:
            (self.root / rel).unlink(missing_ok=True)
        _remove_empty(self.root, {posixpath.dirname(rel) for rel in gone})
        self.held, self.from_spare, self.found, self.found_set = set(), False, None, set()
        return set(self.files)  # what the survey found and is placed, and what was placed since

    def _take_again(self, rel: str) -> None:
        """Place a file the spare should have held but did not (removed from it by hand) from the
        previous output, where that still has the same file; else stop: the next build, without the
        spare, renders it again."""
        assert self.cache is not None
        previous = self.cache.reusable(rel, digest=self.files[rel][DIGEST])
        try:
            if previous is None:
                raise FileNotFoundError(rel)
            os.makedirs(os.path.dirname(self.root / rel), exist_ok=True)
            _link(previous, self.root / rel)
        except OSError:
            raise OutputError(
                f"备用输出目录中缺少 {rel}，上一次的输出中也没有同样的文件，已中止；请重新运行生成（不再使用备用目录）"
            ) from None

    def behind(self) -> set[str]:
        """The files in which the previous output differs from this one: written anew, or gone."""
        previous = self.cache.entries.keys() if self.cache is not None else set()
        return self.fresh | (previous - self.files.keys())

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
        return entry(key, digest, len(data)), previous is not None

    def place_pieces(
        self, rel: str, target: Path, pieces: Iterable[bytes | memoryview], key: str = ""
    ) -> tuple[Entry, bool]:
        """`place` for a file written a piece at a time (the site-wide exports of a city's
        200,000 records), so that it is never whole in memory."""
        digest, size = digester(), 0
        with open(target, "wb") as file:
            for piece in pieces:
                digest.update(piece)
                file.write(piece)
                size += len(piece)
        made = entry(key, digest.hexdigest(), size)
        previous = self.cache.reusable(rel, digest=made[DIGEST]) if self.cache else None
        if previous is not None:
            target.unlink()
            _link(previous, target)
        return made, previous is not None

    def record(self, rel: str, entry: Entry, reused: bool) -> None:
        self.files[rel] = entry
        (self.reused if reused else self.fresh).add(rel)

    def write_bytes(self, rel: str, data: bytes, key: str = "") -> None:
        self.record(rel, *self.place(rel, self.path(rel), data, key))

    def write_text(self, rel: str, text: str, key: str = "") -> None:
        self.write_bytes(rel, text.encode("utf-8"), key)

    def write_pieces(self, rel: str, pieces: Iterable[str], key: str = "") -> None:
        """Write the UTF-8 text made of `pieces`, one after another (place_pieces)."""
        self.write_bytes_pieces(rel, (piece.encode("utf-8") for piece in pieces), key)

    def write_bytes_pieces(self, rel: str, pieces: Iterable[bytes | memoryview], key: str = "") -> None:
        """Write the bytes of `pieces`, one after another (place_pieces): an export's rows copied from the previous file."""
        self.record(rel, *self.place_pieces(rel, self.path(rel), pieces, key))

    def copy(self, rel: str, source: str | Path, status: tuple[int, int, int] | None = None) -> None:
        """Copy a file (an attachment) unchanged; linked from the previous output without being
        read when its size, modification time and inode are those it was copied with. `status`:
        those three, when the caller has just read them (a search bundle's verified manifest).
        `source` may be text: a city's search bundles are 250,000 files, most never read (`take`
        places those the output holds)."""
        if status is None:
            now = os.stat(source)
            status = (now.st_size, now.st_mtime_ns, now.st_ino)
        key = copy_key(status)
        if not self.reuse(rel, key):
            self.write_bytes(rel, Path(source).read_bytes(), key)
        self.copied.add(rel)

    def take(self, found: list[tuple[str, str]]) -> None:
        """Place each copy (rel, key) of `found` as the previous build placed it: `reusable` has just
        found each (a search bundle's 700 files: `copy` for each would make its key again)."""
        rels = [rel for rel, _ in found]
        placed = self.place_held(rels)
        for rel, key in found:
            if rel not in placed:
                self.reuse(rel, key, checked=True)
        self.copied.update(rels)


def _inside(rel: str) -> None:
    """Refuse an output path that would leave the output folder."""
    if rel.startswith("/") or "/../" in f"/{rel}/":  # a part "..": 660,000 paths are not split
        raise OutputError(f"输出路径 {rel} 越出了输出目录")


def copy_key(status: tuple[int, int, int]) -> str:
    """The key of a file copied unchanged (Output.copy): its source's size, modification time and inode."""
    return "file:{}:{}:{}".format(*status)


def _remove_empty(root: Path, folders: Iterable[str]) -> None:
    """Remove each of `folders` (under `root`) that is empty, and each folder above it left empty."""
    for folder in sorted(folders, key=lambda rel: rel.count("/"), reverse=True):
        while folder:
            try:
                os.rmdir(root / folder)
            except OSError:  # not empty (or gone already)
                break
            folder = posixpath.dirname(folder)


def _link(previous: str | Path, target: Path) -> None:
    try:
        os.link(previous, target)
    except OSError:  # another file system, or links not supported: a copy does the same
        shutil.copyfile(previous, target)


class Listing:
    """files_under(root, links=False) in a fresh process (LISTER), begun at once and read when
    wanted: the staging folder of a city (660,000 files) is listed on another core while this one
    renders (meanwhile.py)."""

    def __init__(self, root: Path) -> None:
        self.work = Meanwhile(LISTER, str(root))

    def files(self) -> list[str] | None:
        """The files, in files_under's order; SymbolicLink at a symbolic link; None when the listing
        failed otherwise (a folder the build cleared away while it was listed): the caller lists the
        folder itself."""
        result = self.work.result()
        if result is None:
            return None
        code, out, err = result
        if code == LINK_FOUND:
            raise SymbolicLink(err.decode("utf-8", "replace"))
        if code != 0 or out is None:  # failed, or its answer did not arrive whole
            return None
        return str(out, "utf-8", "surrogateescape").split("\0") if out else []

    def stop(self) -> None:
        self.work.stop()


class SymbolicLink(OSError):
    """files_under(links=False) found a symbolic link."""


def files_under(root: Path, links: bool = True) -> list[str]:
    """Every file under `root` (POSIX paths relative to it, in the order of their parts), as
    Path.rglob finds them — a folder linked to is not entered — from one scandir a folder: a city's
    output is 660,000 files, its search bundles 250,000. `links=False`: SymbolicLink at any symbolic link."""
    found: list[str] = []
    folders = [""]
    while folders:
        folder = folders.pop()
        with os.scandir(root / folder) as entries:
            for entry in entries:
                rel = f"{folder}/{entry.name}" if folder else entry.name
                if not links and entry.is_symlink():
                    raise SymbolicLink(f"{root / rel} is a symbolic link")
                if entry.is_dir() and not entry.is_symlink():
                    folders.append(rel)
                elif entry.is_file():
                    found.append(rel)
    found.sort(key=in_tree_order)
    return found


def in_tree_order(rel: str) -> str:
    """The sort key of a relative POSIX path that orders paths as their lists of parts would (a
    folder's "a" before "a-b"): "/" made the one character below every other, which no file name
    holds. A plain text, compared in C: ordering a city's 660,000 files by their parts took 0.8 s."""
    return rel.replace("/", "\0")


def check_target(out: Path, site_root: Path) -> None:
    """Refuse an output folder whose replacement would destroy something that is not a build."""
    out, site_root = out.resolve(), site_root.resolve()
    if out == site_root or out in site_root.parents or site_root / "content" in (out, *out.parents):
        raise OutputError(f"输出目录 {out} 不能是站点目录、其上级目录或内容目录")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise OutputError(f"输出目录 {out} 已存在且不是 disclosure 生成的，为免误删，拒绝覆盖；请换一个 --out")


@contextmanager
def staging(out: Path, cache: PageCache | None = None, trash: Path | None = None) -> Iterator[Output]:
    """Yield an Output in a folder beside `out`; on success swap it in, on error discard it.
    With `cache` (of `out`), unchanged files are linked from `out` instead of written — or the
    folder is the spare brought up to date (stage_spare), and they are there already.

    The swap is one exchange of the two folders (swap_in): a build killed at any moment leaves
    `out` either the previous output or the new one, whole, and the page cache of the one in place
    (PageCache.save and adopt on either side of the swap). What a killed build leaves beside it
    (`.<out>.staging-PID`, `.<out>.old-PID`) is removed by the next build (sweep). `trash`: where
    a replaced output not kept as the spare is moved to be removed in the background (see discard)."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = out.parent / f".{out.name}{STAGING}{os.getpid()}"
    _remove(stage)
    held = stage_spare(out, stage, cache, trash)
    output = Output(stage, cache, held)
    try:
        output.list_meanwhile()  # a city's 660,000 files, listed on another core while this one renders
        output.write_text(MARKER, "disclosure build output; replaced whole on every build\n")
        yield output
        output.drop_held()
    except BaseException:
        output.stop_listing()
        discard(stage, trash)
        raise
    behind = output.behind()
    # kept only where the cache described the output replaced, and the two differ in few files
    keep = cache is not None and bool(cache.entries) and out.is_dir() and len(behind) * SPARE_SHARE <= len(output.files)
    # else the new output's files are linked as the spare, before the swap: a build stopped meanwhile
    # leaves the served output and its page cache as they were, and what it made is swept
    linked = linked_spare(stage, out, output.files, trash) if cache is not None and not keep else None
    spare = _new_spare(out) if keep else None
    # the replaced output becomes the spare folder as it is (its inode): where it cannot (no
    # exchange), the spare named is not there, and the next build stages without one
    output.spare = Spare(spare.name, os.lstat(out).st_ino, frozenset(behind)) if spare is not None else linked
    # the new page cache, before the swap: a build stopped after it finds the cache of the output in place
    saved = cache is not None and cache.save(output.files, output.spare, os.lstat(stage).st_ino)
    swap_in(stage, out, trash, spare)
    if saved and cache is not None:
        cache.adopt()


def _new_spare(out: Path) -> Path:
    """A name beside `out` for a spare, made for it alone (`.<out>.spare-TOKEN`)."""
    return out.parent / f".{out.name}{SPARE}{secrets.token_hex(8)}"


def linked_spare(stage: Path, out: Path, files: Iterable[str], trash: Path | None = None) -> Spare | None:
    """A spare beside `out` made by linking each of the `files` of `stage` (every file the build
    placed, about to be swapped in as `out`), for a build that keeps none: a cold build has no output
    to keep, and one that changed most files keeps none (SPARE_SHARE). Without it the next build — a
    clerk's first edit after them — links every file of the output anew into its staging folder:
    about 11 s at 200,000 records (660,000 files, one `link` call each: `cp -al` is no quicker). Here
    the same links are made once, at the end of the long build, so that every edit build begins with
    its pages in place. None, with nothing left behind, where a file cannot be linked (links not
    supported, too many links, the disk full). The page cache names the spare only once the build
    is done: a folder left by a build stopped meanwhile is discarded by the next (stage_spare)."""
    spare = _new_spare(out)
    names = list(files)
    try:
        spare.mkdir()
        inode = os.lstat(spare).st_ino
        source, target = os.fspath(stage), os.fspath(spare)
        for folder in sorted({posixpath.dirname(rel) for rel in names} - {""}):  # each after its parent
            os.makedirs(f"{target}/{folder}", exist_ok=True)
        with progress.bar("保留备用输出目录", len(names)) as advance:
            for done, rel in enumerate(names, 1):
                os.link(f"{source}/{rel}", f"{target}/{rel}")
                if done % PROGRESS_EVERY == 0:
                    advance(PROGRESS_EVERY)
    except OSError:
        if spare.exists():
            discard(spare, trash)
        return None
    return Spare(spare.name, inode, frozenset())


def stage_spare(out: Path, stage: Path, cache: PageCache | None, trash: Path | None) -> set[str] | None:
    """Make `stage`: the spare kept beside `out`, brought up to date with it, when `cache` describes
    that spare — the files it then holds, each `out`'s own (a hard link); otherwise an empty folder
    (None). Every other spare beside `out` (a killed build's, another release's, a copy) is discarded."""
    record = cache.spare if cache is not None and cache.entries else None
    chosen = None
    for path in out.parent.glob(f".{glob.escape(out.name)}{SPARE}*"):
        status = os.lstat(path)
        if record is not None and cache is not None and path.name == record.name and stat.S_ISDIR(status.st_mode):
            if status.st_ino == record.inode or _restored(path, out, cache, record):
                chosen = path
                continue
        discard(path, trash)
    if chosen is None or record is None or cache is None:
        stage.mkdir()
        return None
    chosen.rename(stage)
    try:
        # first what is gone or changed since the spare was the output, then the output's files
        # in their place: a file may have become a folder, or a folder a file
        for rel in record.behind:
            (stage / rel).unlink(missing_ok=True)
        _remove_empty(stage, {posixpath.dirname(rel) for rel in record.behind})
        held = set(cache.entries)
        for rel in record.behind:
            previous = cache.reusable(rel)  # None also where the file is gone from the output
            if previous is None:
                held.discard(rel)
                continue
            os.makedirs(os.path.dirname(stage / rel), exist_ok=True)
            _link(previous, stage / rel)
    except OSError:  # not as recorded: begin from an empty folder
        discard(stage, trash)
        stage.mkdir()
        return None
    return held


def _restored(spare: Path, out: Path, cache: PageCache, record: Spare) -> bool:
    """Whether `spare`, named as the page cache's spare but another folder (restored with the output
    from an archive, as a CI cache restores them), holds the output's own files all the same: each
    file the spare is not behind in is, in both, one regular file (device and inode). A copy, or an
    archive that did not keep the hard links, is not the spare. Two lstat calls a file, where staging
    without the spare links each file anew (one link call, several times their cost)."""
    spare_folder, out_folder = os.fspath(spare), os.fspath(out)
    try:
        for rel in cache.entries.keys() - record.behind:
            kept, served = os.lstat(f"{spare_folder}/{rel}"), os.lstat(f"{out_folder}/{rel}")
            if (kept.st_ino, kept.st_dev) != (served.st_ino, served.st_dev) or not stat.S_ISREG(kept.st_mode):
                return False
    except OSError:
        return False
    return True


def _renameat2() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28 and later
    except (OSError, AttributeError):
        return None
    function.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    function.restype = ctypes.c_int
    return function


def exchange(a: Path, b: Path) -> bool:
    """Swap the folders `a` and `b` in one step (Linux renameat2 RENAME_EXCHANGE); False where the
    system or the file system cannot."""
    function = _renameat2()
    if function is None:
        return False
    if function(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
        return False  # an old kernel or a file system without the flag: the caller falls back
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def swap_in(stage: Path, out: Path, trash: Path | None = None, spare: Path | None = None) -> None:
    """Put the complete folder `stage` at `out`. An existing `out` is exchanged with it in one step
    and the old output, now at `stage`, moved to `spare` or removed; without the exchange, two
    renames (a build killed between them leaves `out` missing and the old output at
    `.<out>.old-PID`, which the next build's sweep puts back)."""
    if not out.exists():
        stage.rename(out)
    elif exchange(stage, out):
        if spare is not None:
            stage.rename(spare)
        else:
            discard(stage, trash)
    else:
        old = out.parent / f".{out.name}{OLD}{os.getpid()}"
        _remove(old)
        out.rename(old)
        stage.rename(out)
        _remove(old)


def sweep(out: Path, trash: Path | None = None) -> list[Path]:
    """Remove the folders killed builds left beside `out` — every `.<out>.staging-*` and
    `.<out>.old-*`: call it only while holding the site's build lock, which no other build of it
    holds. An output set aside by a build killed between two renames is first put back when
    `out` is missing. With `trash`, they are removed in the background (discard): a city's staging
    folder holds 650,000 files. Returns what was removed."""
    out = out.resolve()
    try:
        beside = list(out.parent.iterdir())
    except OSError:
        return []
    staged = [path for path in beside if path.name.startswith(f".{out.name}{STAGING}")]
    old = [path for path in beside if path.name.startswith(f".{out.name}{OLD}")]
    if not out.exists() and not out.is_symlink():
        complete = [path for path in old if path.is_dir() and not path.is_symlink() and (path / MARKER).is_file()]
        if complete:
            newest = max(complete, key=lambda path: path.stat().st_mtime)
            newest.rename(out)
            old.remove(newest)
    for path in staged + old:
        discard(path, trash)
    return staged + old


REMOVER = (
    "import os, shutil, sys\nos.nice(10)\nfor path in sys.argv[1:]:\n    shutil.rmtree(path, ignore_errors=True)\n"
)


def discard(path: Path, trash: Path | None) -> None:
    """Remove the folder `path`, a replaced output: moved into `trash` (a folder of the site's
    .cache/) in one rename and removed there by a background process, so a build that changed a
    few pages does not wait for tens of thousands of files to be unlinked. Where it cannot be
    moved (another file system) or no trash is given, it is removed here and now."""
    if trash is None:
        _remove(path)
        return
    try:
        trash.mkdir(parents=True, exist_ok=True)
        path.rename(trash / f"{path.name.lstrip('.')}-{time.time_ns()}")
    except OSError:
        _remove(path)
        return
    empty_trash(trash)


def empty_trash(trash: Path) -> None:
    """Remove everything in `trash` in a detached, low-priority process (never waited for; a
    second one racing it is harmless)."""
    try:
        left = [str(entry) for entry in trash.iterdir()]
    except OSError:
        return
    if not left:
        return
    try:
        subprocess.Popen(
            [sys.executable, "-c", REMOVER, *left],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
    except OSError:
        for entry in left:
            _remove(Path(entry))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def pid_running(pid: int) -> bool:
    """Whether process `pid` exists (of any user)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


_held: list[int] = []  # the lock file descriptors this process holds


def _close_in_child() -> None:
    # A forked worker (workers.fork_map) inherits the lock's descriptor; were the build killed, a
    # worker still finishing its pages would keep the site locked. Closing its copy leaves the
    # parent's lock in place (flock is released only when every copy is closed or unlocked).
    for fd in _held:
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


@contextmanager
def build_lock(site_root: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold `<site>/.cache/build.lock` (flock, advisory) for the block: one build of a site at a
    time. Another build holding it: BuildLocked at once, or after `wait` seconds of trying. The
    kernel releases the lock when the holder exits however it ends, even by SIGKILL."""
    path = site_root / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BuildLocked(
                        f"另一个 disclosure build 正在生成此站点（{_holder(fd)}），请稍后再试（锁文件 {path}）"
                    ) from None
                time.sleep(0.1)
        # the holder's pid, for the message of a build turned away: overwritten in place, never
        # truncated, and left after release (whoever was refused reads the pid that held it)
        os.pwrite(fd, f"{os.getpid():<15}\n".encode(), 0)
        os.ftruncate(fd, 16)
        _held.append(fd)
        try:
            yield
        finally:
            _held.remove(fd)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    """The pid the lock's holder wrote (just after locking: a first holder may not have yet)."""
    for _ in range(10):
        text = os.pread(fd, 32, 0).decode("ascii", errors="replace").strip()
        if text.isdigit():
            return f"进程 {text}"
        time.sleep(0.02)
    return "进程号未知"
