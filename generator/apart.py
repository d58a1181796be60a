"""Work done in a process of its own, so that its memory goes back to the system when it ends.

A build checks the site before it renders it. The check's peak is most of a build's memory (at
200,000 records, gigabytes of parsed front matter, findings and cache entries), and a process
does not hand freed memory back: what the check freed stays the building process's, scattered
among what it keeps, for the rest of the build. So `in_child` runs the check (and the selection of
what is published) in a forked child, which sends back only what the build needs, pickled, and
ends; the building process then holds the publication and little else. Both ends pause the
cycle collector while the result is pickled and unpickled (heap.paused): at 200,000 records it
walked the growing heap again and again, four times the unpickling itself.

A build that renders only what changed makes little after its check, so what the check leaves
raises no later peak, and the hand-back cost it more time than the check's memory is worth: it
checks in its own process (pipeline.build).

A check in the building process (or `disclosure check`) of a city has its second core idle while
one runs the stages one after another: `Beside` begins work in a forked child and lets this
process go on with other work until it takes the result (checking.py: staleness and inspection
beside validation and the secrecy check).

An error in the child is raised here again, with the child's traceback as its cause; a child
that dies without a word (killed, or out of memory) is a ChildDied. Where there is no fork, the
work runs in this process.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import signal
import sys
import traceback
from typing import Callable, Generic, TypeVar

from . import handback, heap, workers
from .errors import DisclosureError

T = TypeVar("T")


class ChildDied(DisclosureError):
    """The child process ended without sending a result."""


class ChildTraceback(Exception):
    """The traceback of an error raised in the child (the cause of the error raised again here)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def in_child(work: Callable[[], T]) -> T:
    """`work()`, run in a forked child; its result (or its error) travels back pickled."""
    if not hasattr(os, "fork"):
        return work()
    return Beside(functools.partial(_collecting, work)).result()


def _collecting(work: Callable[[], T]) -> T:
    heap.child_started()  # the child collects the cycles it makes, whatever this process's collector was doing
    return work()


class Beside(Generic[T]):
    """`work()` begun in a forked child while this process goes on with other work; `result()`
    waits for it. The child reads what this process held when it was forked, and nothing this
    process does after. Its cycle collector is as this process's was: paused (heap.paused), as a
    check's is, it stays paused (with it running, the staleness lint of 200,000 records took twice
    as long, 4.9 s). `stop` ends a child whose result is no longer wanted (an error in between,
    Ctrl+C)."""

    def __init__(self, work: Callable[[], T]) -> None:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        read_end, write_end = os.pipe()
        heap.before_fork()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_end)
            workers.end_with_parent(parent)  # a build killed meanwhile does not leave its child running
            _serve(work, write_end)
        os.close(write_end)
        self.pid: int | None = pid
        self._read_end = read_end

    def result(self) -> T:
        """What `work()` returned; its error raised again here; ChildDied if it ended without a word."""
        if self.pid is None:
            raise ChildDied("子进程已被停止")
        read_end, self._read_end = self._read_end, -1  # closed with the file read below
        try:
            with os.fdopen(read_end, "rb") as pipe:
                data = pipe.read()
        except BaseException:
            self.stop()
            raise
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        message = handback.received(data)
        if message is None:  # nothing, or cut short: the child was killed while it wrote
            raise ChildDied(_death(status))
        with heap.paused():  # millions of long-lived objects arrive: collecting while they do found nothing, 4× slower
            kind, value, trace = pickle.loads(message)
        if kind == "error":
            raise value from ChildTraceback(trace)
        return value  # type: ignore[no-any-return]

    def stop(self) -> None:
        """End the child unless its result was taken (Ctrl+C, or an error while it ran)."""
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        if self._read_end >= 0:
            with contextlib.suppress(OSError):
                os.close(self._read_end)
            self._read_end = -1
        try:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        except OSError:
            pass


def _serve(work: Callable[[], object], write_end: int) -> None:
    code = 0
    try:
        try:
            result = work()
            with heap.paused():  # pickling makes no garbage worth collecting, only memo entries
                message = pickle.dumps(("ok", result, ""), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # noqa: BLE001 (every error goes back to the parent)
            trace = traceback.format_exc()
            try:
                message = pickle.dumps(("error", exc, trace), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # an error that cannot be pickled: its text
                message = pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}"), trace))
        handback.send(write_end, message)
        os.close(write_end)
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
    except BaseException:  # noqa: BLE001 (the parent says the child died)
        code = 1
    finally:
        os._exit(code)


def _death(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        hint = "，多半是内存不足被系统终止" if number == signal.SIGKILL else ""
        how = f"被信号 {number}（{signal.Signals(number).name}）终止{hint}"
    else:
        how = f"以退出码 {os.WEXITSTATUS(status)} 结束"
    return f"检查站点的子进程{how}，没有返回结果；上一次的输出保持不变。请检查机器的内存后重试。"
