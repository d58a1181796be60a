"""Pages rendered on a cluster worker (generator/cluster.py).

A queued page (jobs.Job) holds the records it shows and a function that makes its body: far too
much, and not picklable, to send. So a worker is sent only each page's path and key. The first
time it is asked for pages of a build, it plans the site's pages itself, as the building process
did: it reads the site from the shared folder, checks it (a warm check: the building process has
just filled the check cache there), selects what is public and runs every page kind with a
renderer that queues every page and writes nothing. Then it renders the pages it was sent into
the staging folder, each after finding that its own plan gives the page the same key — a site
changed since the build began, or another version of disclosure on the worker, stops the build
instead of mixing two sites in one output.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .. import executors, heap, pagecache, progress
from ..errors import DisclosureError
from ..output import Output
from ..pagecache import PageCache
from .jobs import Job

if TYPE_CHECKING:  # pages.py imports this module to hand its queue to a cluster
    from .pages import Renderer


class PlanMismatch(DisclosureError):
    """A worker's plan of the site differs from the building process's; the message is in Chinese."""


class PlanOutput(Output):
    """The staging folder as a worker's planning sees it: nothing is reused or written while the
    pages are planned (the building process did that); `place` writes the pages it renders."""

    def reuse(self, rel: str, key: str, checked: bool = False) -> bool:
        return False

    def write_bytes(self, rel: str, data: bytes, key: str = "") -> None:
        return None


class Queue:
    """An executor that keeps the pages queued for it instead of rendering them."""

    remote = True
    jobs = 1

    def __init__(self) -> None:
        self.jobs_by_path: dict[str, Job] = {}

    def map(
        self, work: executors.Work[Any, Any], items: Sequence[Any], advance: progress.Advance = progress.nothing
    ) -> list[Any]:
        """Nothing rendered, so nothing done to tell `advance` of."""
        self.jobs_by_path.update((job.path, job) for job in items)  # a batch at a time (pages.BATCH)
        return []


def _plan(site: executors.SiteRef, stage: Path, previous: Path | None) -> tuple[Renderer, dict[str, Job]]:
    from .. import checking, publicity
    from . import render_site

    config = executors.site_config(site)
    checked = checking.check(config, site.today, 1)
    heap.release()  # a cluster worker lives on after this build: what the check set aside is collected again
    if checked.findings.blocking:
        raise PlanMismatch(
            f"Dask worker 检查站点 {site.root} 时发现阻断性问题，而发起生成的机器没有：站点在生成过程中被改动了。"
            "已中止，上一次的输出保持不变；请重新生成"
        )
    publication = publicity.select(checked.site, checking.body_facts(checked, 1))
    cache = PageCache(config.root, previous) if previous is not None else None
    queue = Queue()
    renderer = render_site(publication, PlanOutput(stage, cache), queue)
    return renderer, queue.jobs_by_path


def render_pages(
    stage: Path, previous: Path | None, site: executors.SiteRef, pages: list[tuple[str, str]]
) -> list[tuple[str, pagecache.Entry, bool]]:
    """Render the pages (path, key) into `stage`; what each wrote, as Renderer.render_job says."""
    renderer, planned = executors.memo(site, f"render:{stage}", lambda: _plan(site, stage, previous))
    done = []
    for path, key in pages:
        job = planned.get(path)
        if job is None or job.key != key:
            raise PlanMismatch(
                f"Dask worker 规划的页面 {path} 与发起生成的机器不同：站点在生成过程中被改动，或 worker 上的"
                "站点目录、disclosure 版本与本机不一致。已中止，上一次的输出保持不变；请重新生成"
            )
        # a unit run again after its worker was lost may find what that worker began: a file it
        # wrote, or one it linked from the previous output, which writing through would change
        job.target.unlink(missing_ok=True)
        done.append(renderer.render_job(job))
    return done
