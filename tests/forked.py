"""`disclosure …` as a process of its own without paying Python's start each time.

`python -m generator` spends about a second (more on a busy 2-core machine) importing before it
does anything, which is most of what a test that starts dozens of builds waits for. Here a fork
server imports generator.cli once; each command is a fork of it that runs `sys.exit(cli.main(args))`
— what `python -m generator` runs — in the repository's folder, its stdout and stderr in files.
It is a process of its own like a subprocess: it takes and drops locks the same way, a SIGKILL
ends it at any moment, and its exit code is the command's.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event
from pathlib import Path

from conftest import REPO

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["generator.cli", "forked"])


def _command(args: list[str], environ: dict[str, str], out: str, err: str, go: Event | None) -> None:
    os.environ.clear()
    os.environ.update(environ)  # the test's environment now, not the fork server's at its start
    os.chdir(REPO)
    for fd, name in ((1, out), (2, err)):
        target = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, fd)
        os.close(target)
    if go is not None:
        go.wait()
    from generator import cli

    code = cli.main(args)
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(code)


class Command:
    """A running `disclosure` command (the part of subprocess.Popen the tests use)."""

    def __init__(self, args: list[str | Path], go: Event | None = None) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="disclosure-cmd-")
        self._out = os.path.join(self._folder.name, "out")
        self._err = os.path.join(self._folder.name, "err")
        Path(self._out).touch()  # empty when the command is killed before it writes
        Path(self._err).touch()
        self._go = go  # alive until the child has it: its semaphore is unlinked when collected
        self._process: BaseProcess = _CONTEXT.Process(
            target=_command, args=([str(a) for a in args], dict(os.environ), self._out, self._err, go)
        )
        self._process.start()
        self._code: int | None = None

    @property
    def returncode(self) -> int | None:
        return self._code

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def kill(self) -> None:
        self._process.kill()

    def communicate(self, timeout: float) -> tuple[str, str]:
        """Wait for the end (TimeoutError after `timeout` s, the command killed); its stdout and stderr."""
        self._process.join(timeout)
        if self._process.exitcode is None:
            self._process.kill()
            self._process.join()
            raise TimeoutError(f"disclosure still running after {timeout} s")
        self._code = self._process.exitcode
        try:
            return (
                Path(self._out).read_text(encoding="utf-8", errors="replace"),
                Path(self._err).read_text(encoding="utf-8", errors="replace"),
            )
        finally:
            self._process.close()
            self._folder.cleanup()


def start(*args: str | Path) -> Command:
    """`python -m generator ARGS`, started now."""
    return Command(list(args))


def start_together(commands: list[list[str | Path]]) -> list[Command]:
    """The commands started as one: each, forked and ready, waits until all are started, then all go."""
    go = _CONTEXT.Event()
    started = [Command(args, go) for args in commands]
    go.set()
    return started
