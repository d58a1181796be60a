"""The files a site keeps for itself (`.cache/`), written whole and then renamed over the old one.

A build stopped midway, or a disk that fills, then leaves the previous file or none, never half
of one: what is half written is `NAME.PID.tmp` beside it, removed when writing fails (and by the
caches that tidy their folders). The caller decides what a failure means: most caches let the
next build work without them, so they catch OSError around these.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def writing(path: Path, into: Path | None = None) -> Iterator[BinaryIO]:
    """A file to write `path` into, piece by piece; renamed to `into` (else `path`) once the block
    ends, and removed if it raises. The folder is made when missing."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as sink:
            yield sink
        partial.replace(into if into is not None else path)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise


def write(path: Path, data: bytes, into: Path | None = None) -> None:
    """`data` as the whole of `path` (or of `into`): `writing` with one piece."""
    with writing(path, into) as sink:
        sink.write(data)
