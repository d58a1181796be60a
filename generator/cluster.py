"""`disclosure build --cluster ADDRESS`: the build's work units on a Dask distributed cluster.

This process stays the build: it checks, plans the pages, indexes, scans and swaps the output
in, exactly as without a cluster. Only the units (executors.Work) go to the cluster's workers, in
batches, each worker reading the site from the same path as this machine (a shared folder, say
NFS) and writing pages into the staging folder beside the output on that path. A unit that was
running on a worker that is lost is run again on another (Dask reschedules it; `retries` also
re-runs one that failed with an error). When the cluster cannot finish — no worker left, the
scheduler gone, a unit that keeps killing its worker — the build stops with ClusterError and the
staging folder is removed: the previous output is untouched.

Dask is the optional extra `disclosure[cluster]`; it is imported only here, only with --cluster.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import CancelledError
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any, Iterator, Sequence, TypeVar

from . import pagecache
from .errors import DisclosureError
from .executors import SiteRef, Work
from .progress import Advance, nothing

if TYPE_CHECKING:
    from distributed import Client

T = TypeVar("T")
R = TypeVar("R")

CONNECT_TIMEOUT = 15  # seconds to reach the scheduler
RETRIES = 3  # a unit that fails with an error is tried this many more times
BATCHES_PER_THREAD = 4  # small batches even out units of different cost and lose little with a worker
NO_WORKER_GRACE = 60.0  # seconds without any worker before the build gives up
POLL = 1.0  # seconds between looks at the cluster's workers while units run
TICK = 0.02
KEPT = "上一次的输出保持不变"


class ClusterError(DisclosureError):
    """The cluster cannot be reached or cannot finish the build; the message is in Chinese."""


def _site_there(root: str) -> bool:
    import os

    return os.path.isfile(os.path.join(root, "site.yaml"))


def _product() -> str:
    return pagecache.product()


class DaskCluster:
    """Work units on the Dask cluster of `client`, for the site `site`."""

    remote = True

    def __init__(self, client: Client, address: str, site: SiteRef) -> None:
        self.client = client
        self.address = address
        self.site = site

    @property
    def jobs(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def map(self, work: Work[T, R], items: Sequence[T], advance: Advance = nothing) -> list[R]:
        if not items:
            return []
        shipped = [work.ship(item) for item in items]
        count = min(len(shipped), self.jobs * BATCHES_PER_THREAD)
        size = -(-len(shipped) // count)
        batches = [shipped[start : start + size] for start in range(0, len(shipped), size)]
        futures = self.client.map(partial(work.remote, self.site), batches, retries=RETRIES, pure=False)
        try:
            parts = self._gather(futures, [len(batch) for batch in batches], advance)
        finally:
            self.client.cancel(futures)
        return [result for part in parts for result in part]

    def _gather(self, futures: list[Any], sizes: list[int], advance: Advance) -> list[Any]:
        """The futures' results, once all are done; `advance` told the size of each batch done."""
        from distributed import KilledWorker
        from distributed.comm.core import CommClosedError

        alone_since: float | None = None
        looked = time.monotonic()
        waiting = dict(enumerate(futures))
        try:
            while waiting:
                for place in [place for place, future in waiting.items() if future.done()]:
                    del waiting[place]
                    advance(sizes[place])
                if not waiting:
                    break
                time.sleep(TICK)
                if time.monotonic() - looked < POLL:
                    continue
                looked = time.monotonic()
                if self.client.nthreads():
                    alone_since = None
                elif alone_since is None:
                    alone_since = looked
                elif looked - alone_since > NO_WORKER_GRACE:
                    raise ClusterError(
                        f"Dask 集群 {self.address} 已有 {NO_WORKER_GRACE:.0f} 秒没有任何 worker，"
                        f"生成无法完成，已中止；{KEPT}。请启动 worker（dask worker {self.address}）后重试"
                    ) from None
            return list(self.client.gather(futures))
        except KilledWorker as exc:
            raise ClusterError(
                f"Dask 集群未能完成生成：一个工作单元使运行它的 worker 接连退出（{exc}），已中止；{KEPT}。"
                "请查看 worker 的日志（内存不足时 worker 会被终止），必要时给 worker 更多内存后重试"
            ) from None
        except (CommClosedError, CancelledError, OSError) as exc:
            if isinstance(exc, OSError) and not isinstance(exc, CommClosedError) and exc.errno is not None:
                raise  # a worker's own trouble with a file (disk full …): said as on this machine
            raise ClusterError(
                f"与 Dask 调度器 {self.address} 的连接中断，生成未能完成（{type(exc).__name__}），已中止；{KEPT}"
            ) from None


@contextmanager
def connect(address: str, site: SiteRef) -> Iterator[DaskCluster]:
    """A client of the scheduler at `address`, checked to see the site where this machine does
    and to run the same disclosure; ClusterError (in Chinese) when that cannot be."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(
            "--cluster 需要 Dask：请安装可选依赖 pip install 'disclosure[cluster]'"
            f"（即 dask[distributed]），或去掉 --cluster 在本机生成；{KEPT}"
        ) from None
    # Dask logs its own tracebacks when a scheduler goes away; the build says what happened (ClusterError)
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise ClusterError(
            f"无法连接 Dask 调度器 {address}：{exc}。请确认调度器已启动（dask scheduler）、地址和端口正确"
            f"（如 tcp://10.0.0.5:8786）且本机能访问；{KEPT}"
        ) from None
    try:
        _verify(client, address, site)
        yield DaskCluster(client, address, site)
    finally:
        client.close()


def _verify(client: Client, address: str, site: SiteRef) -> None:
    """Every worker connected now sees the site's folder and runs this very code."""
    found = client.run(_site_there, str(site.root))
    missing = sorted(worker for worker, there in found.items() if not there)
    if missing:
        raise ClusterError(
            f"Dask 集群 {address} 的 worker {'、'.join(missing)} 上找不到站点目录 {site.root}（site.yaml）："
            "--cluster 要求每个 worker 以与本机相同的路径访问站点目录（例如同一 NFS 挂载点），"
            f"输出目录也须在该共享路径上；{KEPT}"
        )
    mine = pagecache.product()
    other = sorted(worker for worker, product in client.run(_product).items() if product != mine)
    if other:
        raise ClusterError(
            f"Dask 集群 {address} 的 worker {'、'.join(other)} 运行的 disclosure 与本机不同（版本或代码不一致）："
            f"请在每台机器上安装同一版本后重试；{KEPT}"
        )


def worker_address() -> str:
    """The address of the Dask worker running the calling unit (on a worker only)."""
    from distributed import get_worker

    return str(get_worker().address)
