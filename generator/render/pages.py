"""The jinja2 environment and the page writer shared by every page kind.

Templates come from the site's own `layouts/` first, then the defaults shipped with the
package, so a site overrides any template by giving a file of the same name.
Autoescape is on for every template; StrictUndefined turns a typo into an error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
import stat
import traceback
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Sequence
from functools import partial
from importlib import resources
from operator import attrgetter
from pathlib import Path
from types import CodeType
from typing import Any, Callable

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.bccache import Bucket
from jinja2.loaders import split_template_path
from markupsafe import Markup

from .. import executors, heap, pagecache, progress, safeurl, urls
from ..output import Output, OutputError
from ..publicity import Publication, PublicRecord, listed_form
from ..search import terms
from .jobs import Job

LAYOUTS = "layouts"
BATCH = 10_000  # queued pages rendered together: the queue of a 200,000-record site is not held whole
ASIDE = 2_000  # pages keyed between two heap.set_aside: the cycles of pages rendered here (--jobs 1) are freed as often
_MADE_FROM = attrgetter("made_from")  # a published record's form in a key (Renderer.forms)
_LISTED_AS = attrgetter("listed_as")  # what a listing shows of it (Renderer.rows)


def default_layouts() -> Path:
    return Path(str(resources.files("generator.layouts")))


class LayoutError(OutputError):
    """A template in the site's layouts/ that must not be read; the message is in Chinese."""


def site_layout_file(layouts: Path, path: Path) -> bool:
    """Whether the site may read `path`, a file below its `layouts` folder: False when it is not
    there; LayoutError, before anything is read, when its real location leaves the real layouts
    folder (a symbolic link to a host file or to content/) or it is a FIFO, socket or device."""
    if not os.path.lexists(path):
        return False
    root, real = layouts.resolve(), path.resolve()
    rel = f"{LAYOUTS}/{path.relative_to(layouts).as_posix()}"
    if not real.is_relative_to(root):
        raise LayoutError(
            f"{rel} 是指向 {LAYOUTS}/ 目录之外的符号链接，已拒绝读取；请删除该链接，把文件本身放入 {LAYOUTS}/"
        )
    try:
        mode = os.stat(real).st_mode
    except OSError:
        return False  # a dangling link inside layouts/: not there
    if stat.S_ISDIR(mode):
        return False
    if not stat.S_ISREG(mode):
        raise LayoutError(f"{rel} 不是普通文件（管道、套接字或设备），已拒绝读取")
    return True


class SiteLayouts(FileSystemLoader):
    """The site's own layouts/: a template is read only when it is a regular file whose real
    location is inside the real layouts/ folder. A symbolic link leaving it (or a FIFO, socket,
    device) stops the build with LayoutError before anything is read — no silent fallback to
    the default template, which would hide the mistake."""

    def get_source(self, environment: Environment, template: str) -> Any:
        pieces = split_template_path(template)
        for searchpath in self.searchpath:
            site_layout_file(Path(searchpath), Path(searchpath, *pieces))
        return super().get_source(environment, template)


def _date(value: dt.date | dt.datetime | None, fmt: str = "%Y-%m-%d") -> str:
    if not value:
        return ""
    if fmt == "%Y-%m-%d" and value.year >= 1000:  # strftime's text, 4x quicker (below 1000 it pads by platform)
        return f"{value.year}-{value.month:02d}-{value.day:02d}"
    return value.strftime(fmt)


class Compiled(BytecodeCache):
    """The layouts compiled once in a process, by their source: `serve` builds again in the same
    process after every save, and compiling the templates a build uses took 0.1–0.15 s of a 0.4 s
    rebuild of the demo on a slow machine. A template whose file changed is compiled again (Jinja
    compares the checksum of its source). Kept in memory only, as code objects: no cache of this
    product runs what it reads from a file. For the one set of options `Renderer` compiles with."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[str, CodeType]] = {}  # bucket key (name, file) → (source checksum, code)

    def load_bytecode(self, bucket: Bucket) -> None:
        kept = self.kept.get(bucket.key)
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self.kept[bucket.key] = (bucket.checksum, bucket.code)


COMPILED = Compiled()


class Shared:
    """A part that many pages show alike — a listing's navigation, some 160 links on each of its
    pages — rendered once per key and folder: its links are relative, and a relative URL depends on
    the page only by its folder. In a template, `{% call shared(key, page_path) %}…{% endcall %}`,
    where `key` decides everything the block shows (a listing's first page: its navigation) and no
    link in it points into the page itself. The last KEEP are kept: a listing's pages are rendered
    one after another."""

    KEEP = 32

    def __init__(self) -> None:
        self.kept: OrderedDict[tuple[Hashable, str], Markup] = OrderedDict()

    def __call__(self, key: Hashable, page_path: str, caller: Callable[[], Markup]) -> Markup:
        slot = (key, posixpath.dirname(page_path))
        html = self.kept.get(slot)
        if html is None:
            html = self.kept[slot] = caller()
            if len(self.kept) > self.KEEP:
                self.kept.popitem(last=False)
        else:
            self.kept.move_to_end(slot)
        return html


class Renderer:
    """Renders pages into `output`. With `workers` above 1 (or a cluster: executors.py), pages are
    queued by `page` and rendered by `finish` on that many cores (or the cluster's workers), BATCH
    at a time; with 1, each is rendered when asked for."""

    def __init__(
        self,
        publication: Publication,
        output: Output,
        workers: int | executors.Executor = 1,
        advance: progress.Advance = progress.nothing,
    ) -> None:
        """`advance`: told the count of pages done (placed, kept or rendered) as they are."""
        self.publication = publication
        self.output = output
        self.advance = advance
        self.told = 0  # pages told of so far: every page planned, but those queued and not yet rendered
        self.executor = executors.of(workers)
        self.here = not self.executor.remote and self.executor.jobs <= 1  # pages rendered in this process
        self.queue: list[Job] = []
        config = publication.config
        loaders = [SiteLayouts(str(config.root / LAYOUTS)), FileSystemLoader(str(default_layouts()))]
        self.env = Environment(
            loader=ChoiceLoader(loaders),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # a build reads each template once: no look at its file for every page
            bytecode_cache=COMPILED,
        )
        self.env.filters["date"] = _date
        self.env.filters["href"] = safeurl.href  # a URL from settings, "" unless its scheme is allowed
        self.env.globals["shared"] = Shared()
        self.env.globals.update(site=config, departments=publication.departments, paths=urls, search_meta=terms.meta)
        self.pages: list[str] = []
        self.groups: dict[str, str] = {}  # a group of pages → the key of all their inputs (reuse_group)
        self.metadata_pages: pagecache.MetadataPages | None = None  # what they placed (metadata_pages.py)
        self.base_key: str | None = None
        self.memo = pagecache.Memo()  # the publication does not change while pages are rendered

    def key(self, path: str, template: str, inputs: Any) -> str:
        """The key of a page: its own inputs, and what every page reads (settings, departments,
        templates, the product's code)."""
        if self.base_key is None:
            config = self.publication.config
            self.base_key = pagecache.fingerprint(
                pagecache.product(),
                layouts_fingerprint(config.root / LAYOUTS),
                pagecache.settings(config),
                self.publication.departments,
            )
        return pagecache.fingerprint(self.base_key, path, template, inputs, memo=self.memo)

    def form(self, value: Any) -> str:
        """The hash of `value`, as a page's key would hash it: what many pages show alike, hashed once."""
        return pagecache.fingerprint(value, memo=self.memo)

    def forms(self, records: list[PublicRecord]) -> bytes:
        """The 32 bytes (pagecache.FORM_SIZE) each of the publication's `records` stands for in a
        key, joined in order: a page's rows are keyed by a slice of these, not walked one by one. A
        record read from a file has them at hand (the hash of what it was made from; 6 million rows
        at 200,000 records, taken without a call each); one made in memory is hashed once (the memo)."""
        return _joined(records, _MADE_FROM, partial(pagecache.form, memo=self.memo))

    def rows(self, records: list[PublicRecord]) -> bytes:
        """The hash of the public metadata (publicity.listed_form) of each of `records`, joined in
        order: what a listing or an export shows of them, without their bodies. A record made in
        memory without one is hashed here."""
        return _joined(records, _LISTED_AS, listed_form)

    def page(
        self,
        path: str,
        template: str,
        inputs: Any = None,
        context: Callable[[], dict[str, Any]] | None = None,
        **values: Any,
    ) -> None:
        """Render `template` to output path `path`; `url(target)` in it gives relative links.

        The page is rendered only when its key changed since the last build: by default the key
        covers the context `values`; a page whose context is costly to make (a record's body as
        HTML) gives the `inputs` it is made from and a `context` function instead."""
        key = self.key(path, template, values if inputs is None else inputs)
        self.planned((path,))
        if self.output.reuse(path, key):
            return
        job = Job(path, self.output.path(path), template, key, values, context)
        if self.here:
            self.output.record(*self.render_job(job))
        else:
            self.queue.append(job)
            if len(self.queue) >= BATCH:
                self.finish()

    def reuse_group(self, group: str, paths: Sequence[str], inputs: Any) -> set[str]:
        """The pages of a group — a listing, a department's record pages — that are still to be
        given to `page`: none when the key of everything the group's pages are made from (`inputs`,
        with their template; what every page reads is in every key) is the one the last build had,
        and each page is placed as that build wrote it, by the key it had then (the same inputs give
        the same keys); else every page, or those that could not be placed. A city has 200,000
        listing pages and 200,000 record pages, and an edit changes a few groups: the others' pages
        are not keyed one by one."""
        key = self.groups[group] = self.key(group, "", inputs)
        cache = self.output.cache
        if cache is None or cache.groups.get(group) != key:
            return set(paths)
        placed = self.output.place_held(paths)  # staged from the spare: the group's pages are there
        self.planned(placed)
        left = set()
        for path in paths:
            if path in placed:
                continue
            entry = cache.entries.get(path)
            if entry is not None and self.output.reuse(path, entry[pagecache.KEY]):
                self.planned((path,))
            else:
                left.add(path)
        return left

    def planned(self, paths: Iterable[str]) -> None:
        """Pages placed (or to be rendered) by this build."""
        before = len(self.pages) // ASIDE
        self.pages.extend(paths)
        if len(self.pages) // ASIDE != before:
            # the keys and forms kept so far are not walked again; only pages rendered here make cycles (heap.py)
            heap.set_aside(collect=self.here)
        self._tell()

    def _tell(self, rendering: int = 0) -> None:
        """Tell `advance` of the pages done since it was last told: `rendering` of the queue's so far."""
        done = len(self.pages) - len(self.queue) + rendering
        if done > self.told:
            self.advance(done - self.told)
            self.told = done

    def _compile(self, job: Job) -> None:
        """The job's template compiled (LayoutError, as rendering it would raise, if it does not compile)."""
        try:
            self.env.get_template(job.template)
        except TemplateError as exc:
            raise LayoutError(_template_fault(exc, job.path, self.publication.config.root)) from None

    def render_job(self, job: Job) -> tuple[str, pagecache.Entry, bool]:
        """Render one page into its reserved file (in this process or a worker)."""
        values = {**job.values, **job.context()} if job.context is not None else job.values

        def url(target: str) -> str:
            return urls.relative(job.path, target)

        try:
            html = self.env.get_template(job.template).render(url=url, page_path=job.path, **values)
        except TemplateError as exc:  # the site's own layouts/ (or a mistake of ours): said in Chinese, exit 2
            raise LayoutError(_template_fault(exc, job.path, self.publication.config.root)) from None
        entry, reused = self.output.place(job.path, job.target, html.encode("utf-8"), job.key)
        return job.path, entry, reused

    def finish(self) -> None:
        """Render the queued pages on all workers and record what they wrote."""
        from .remote import render_pages  # a cluster worker plans the same pages and renders these

        if not self.executor.remote:  # compiled here once (COMPILED), not again in each forked worker
            first: dict[str, Job] = {}  # each template with the first page that uses it
            for job in self.queue:
                first.setdefault(job.template, job)
            for job in first.values():
                self._compile(job)
        previous = self.output.cache.previous if self.output.cache else None
        work = executors.Work(self.render_job, partial(render_pages, self.output.root, previous), _planned)
        rendered = 0

        def advance(count: int) -> None:
            nonlocal rendered
            rendered += count
            self._tell(rendered)

        for done in self.executor.map(work, self.queue, advance):
            self.output.record(*done)
        self.queue = []
        self._tell()


def _joined(
    records: list[PublicRecord], taken: Callable[[PublicRecord], bytes], made: Callable[[PublicRecord], bytes]
) -> bytes:
    """Each record's hash as `taken` finds it on the record, joined in order (one C call for a
    listing of 200,000); `made` hashes a record that has none (one made in memory)."""
    joined = b"".join(map(taken, records))
    if len(joined) == pagecache.FORM_SIZE * len(records):
        return joined
    return b"".join([taken(record) or made(record) for record in records])


def _template_fault(exc: TemplateError, page: str, site_root: Path) -> str:
    """Where a template failed (its file and line, as jinja2 tells them) and why, for the clerk."""
    where = [
        (frame.filename, frame.lineno)
        for frame in traceback.extract_tb(exc.__traceback__)
        if frame.filename.endswith(".html") and frame.lineno
    ]
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        where.append((exc.filename, exc.lineno))
    place = ""
    if where:
        file = Path(where[-1][0])
        shown = file.relative_to(site_root).as_posix() if file.is_relative_to(site_root) else f"默认模板 {file.name}"
        place = f"{shown} 第 {where[-1][1]} 行"
    missing = "：模板用了此页面没有的变量或字段（目录列表中的记录只有公开元数据，没有正文）"
    return (
        f"生成 {page} 时模板出错（{place or '模板'}）{missing if isinstance(exc, UndefinedError) else ''}："
        f"{exc.message or type(exc).__name__}；请修改站点 {LAYOUTS}/ 中的模板，或删除它改用默认模板"
    )


def _planned(job: Job) -> tuple[str, str]:
    """A queued page as a cluster worker is sent it: its path and key (the worker plans the rest)."""
    return job.path, job.key


def layouts_fingerprint(site_layouts: Path) -> str:
    """Every template and static file a build may read: the site's layouts/, then the defaults."""
    digest = hashlib.sha256()
    for base in (site_layouts, default_layouts()):
        for here, dirs, files in os.walk(base, followlinks=False):
            dirs.sort()
            for name in sorted(files):
                path = Path(here, name)
                if site_layout_file(base, path):  # a link leaving layouts/ stops the build unread
                    digest.update(f"{base == site_layouts}:{path.relative_to(base).as_posix()}".encode() + b"\0")
                    digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
