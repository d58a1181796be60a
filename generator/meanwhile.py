"""Work done in a fresh Python process while this one goes on.

An edit build of a city keeps one core busy and leaves the other idle. What can be done beside it
is work whose inputs are on disk and whose answer is quick to hand back, and that takes the other
process no longer than this one has to wait: listing the staging folder while the pages are
rendered (output.Listing), and indexing the changed search shards while the other pages are
(index.Early). Reading the status of 200,000 record files while the check cache loads was tried,
and took the other process longer than the loading. A fresh process, not a fork: this one may
hold gigabytes by then, which a forked child would copy page by page as this one goes on writing
to them (the check's later stages, which read those gigabytes, are forked: apart.Beside).

The script runs with this package importable (the same code as this process: its folder comes
first on sys.path) and the caller's arguments in sys.argv[1:]; its answer, if any, it gives by
calling `answer(data)` once, which sends the bytes whole (handback.py), and `result` takes it only
when it arrived whole. It is always waited for (`result`) or stopped (`stop`), never left behind.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from . import handback

PACKAGE_FOLDER = str(Path(__file__).resolve().parent.parent)  # the folder holding this package
# before the script: this package first on sys.path, the caller's arguments as sys.argv[1:], and
# `answer` to hand its answer back on standard output
PRELUDE = (
    "import sys\nsys.path.insert(0, sys.argv.pop(1))\n"
    "from generator.handback import send\n"
    "def answer(data):\n    send(sys.stdout.fileno(), data)\n"
)
APART = 20_000  # the fewest files worth a process of their own: below, the process starts slower than the work


class Meanwhile:
    """`script` (Python source) begun at once in a fresh process with `args`."""

    def __init__(self, script: str, *args: str) -> None:
        try:
            self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-c", PRELUDE + script, PACKAGE_FOLDER, *args],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError:  # no process to be had: the caller does the work itself
            self.process = None

    def result(self) -> tuple[int, memoryview | None, bytes] | None:
        """Once it has ended: its exit code, its answer (None: it gave none, or not whole) and its
        standard error; None when it could not be begun."""
        if self.process is None:
            return None
        out, err = self.process.communicate()
        code = self.process.returncode
        self.process = None
        return code, handback.received(out), err

    def stop(self) -> None:
        """Not wanted any more: stopped if it is still running."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.communicate()
            self.process = None
