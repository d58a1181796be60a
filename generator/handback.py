"""Bytes a child process hands back to its parent through a pipe: whole, or known not to be.

A write to a pipe takes only part of what it is given when the writing process is stopped and
resumed meanwhile (Ctrl+Z then `fg`, a profiler that samples it), and Python's buffered standard
output can then drop the rest without an error: the listing of a city's staging folder
(output.Listing) arrived as its first 2,814 of 662,615 files, and the build stopped on a file it
said the spare lacked. So the child writes the length first and then every byte, writing again
after each partial write (`send`), and the parent takes the answer only when that many bytes
arrived (`received`); otherwise it does the work itself, or says the child gave no result.
"""

from __future__ import annotations

import os

HEAD = 8  # bytes of the length before the answer, big-endian


def send(fd: int, data: bytes) -> None:
    """Write the length of `data`, then `data`, to the file descriptor `fd`, all of it."""
    _write_all(fd, len(data).to_bytes(HEAD, "big"))
    _write_all(fd, data)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)  # the rest after a partial write, without copying it
    while view:
        view = view[os.write(fd, view) :]


def received(data: bytes) -> memoryview | None:
    """The answer `send` wrote, when `data` (all the pipe gave) is that answer whole; else None.
    A view, not a copy: a full build's check hands back hundreds of megabytes."""
    if len(data) < HEAD or int.from_bytes(data[:HEAD], "big") != len(data) - HEAD:
        return None
    return memoryview(data)[HEAD:]
