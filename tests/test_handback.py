"""What a child process hands back through a pipe arrives whole, or is known not to have
(generator/handback.py): a child stopped and resumed while it writes (Ctrl+Z then `fg`, a
profiler sampling it) once handed back the first 64 KiB of a listing as if it were all of it."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator import apart, handback, output


@contextmanager
def stopped_and_resumed(pid: int, seconds: float = 1.0) -> Iterator[None]:
    """Stop and resume the process `pid` every few milliseconds for `seconds`, as job control
    does: each stop cuts a write to a full pipe short."""
    done = threading.Event()

    def poke() -> None:
        end = time.monotonic() + seconds
        while not done.is_set() and time.monotonic() < end:
            try:
                os.kill(pid, signal.SIGSTOP)
                time.sleep(0.002)
            except ProcessLookupError:
                return
            finally:
                try:
                    os.kill(pid, signal.SIGCONT)
                except ProcessLookupError:
                    pass
            time.sleep(0.002)

    thread = threading.Thread(target=poke)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def test_a_listing_stopped_and_resumed_while_it_answers_arrives_whole(tmp_path: Path) -> None:
    """The staging folder's listing (output.Listing) is several pipes' worth of names; its process
    stopped and resumed while it writes them, every name still arrives."""
    folder = tmp_path / "staging"
    for n in range(40):
        (folder / f"部门{n:02d}").mkdir(parents=True)
        for m in range(150):
            (folder / f"部门{n:02d}" / f"政府信息公开记录-{m:04d}.html").touch()
    listing = output.Listing(folder)
    assert listing.work.process is not None
    with stopped_and_resumed(listing.work.process.pid):
        time.sleep(0.5)  # listed by now, and blocked on the full pipe
        found = listing.files()
    assert found == output.files_under(folder, links=False)
    assert len(found) == 6_000


def test_a_listing_whose_answer_is_cut_short_is_not_taken(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An answer shorter than it says it is (its process killed while it wrote) is no listing: the
    caller lists the folder itself (None)."""
    monkeypatch.setattr(
        output, "LISTER", "import os\nos.write(1, (100).to_bytes(8, 'big') + b'index.html')\nos._exit(0)\n"
    )
    assert output.Listing(tmp_path).files() is None


def test_a_child_killed_while_it_hands_back_its_result_is_a_clear_error() -> None:
    """A forked child (apart.Beside) killed halfway through writing its result: the part that
    arrived is not unpickled (a traceback), the build says the child gave no result."""
    side = apart.Beside(lambda: "政府信息" * 1_000_000)
    assert side.pid is not None
    time.sleep(0.5)  # its result pickled, and blocked on the full pipe
    os.kill(side.pid, signal.SIGKILL)
    with pytest.raises(apart.ChildDied, match="SIGKILL"):
        side.result()


def test_a_child_stopped_and_resumed_while_it_hands_back_its_result_gives_all_of_it() -> None:
    side = apart.Beside(lambda: "政府信息" * 1_000_000)
    assert side.pid is not None
    with stopped_and_resumed(side.pid):
        time.sleep(0.3)
        assert side.result() == "政府信息" * 1_000_000


@pytest.mark.parametrize("cut", [0, 1, handback.HEAD - 1, handback.HEAD, handback.HEAD + 3])
def test_an_answer_is_received_only_whole(cut: int) -> None:
    reader, writer = os.pipe()
    handback.send(writer, b"0123456789")
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    received = handback.received(data)
    assert received is not None and bytes(received) == b"0123456789"
    assert handback.received(data[:cut]) is None
    assert handback.received(data + b"x") is None
