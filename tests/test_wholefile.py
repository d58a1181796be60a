"""The site's own files (.cache) are replaced whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import wholefile


def test_a_write_that_fails_midway_leaves_the_previous_file_and_nothing_beside_it(tmp_path: Path) -> None:
    kept = tmp_path / "cache" / "index.json"
    wholefile.write(kept, b'{"pages": 1}')
    with pytest.raises(OSError), wholefile.writing(kept) as sink:
        sink.write(b'{"pages": 2, "fi')
        raise OSError(28, "No space left on device")
    assert kept.read_bytes() == b'{"pages": 1}'
    assert sorted(path.name for path in kept.parent.iterdir()) == ["index.json"]


def test_a_file_written_for_another_name_takes_that_name_once_whole(tmp_path: Path) -> None:
    written, into = tmp_path / "index.json", tmp_path / "index.next.json"
    with wholefile.writing(written, into=into) as sink:
        sink.write(b"first ")
        assert not into.exists()  # nothing under the final name until the block ends
        sink.write(b"second")
    assert into.read_bytes() == b"first second"
    assert not written.exists()
    assert [path.name for path in tmp_path.iterdir()] == ["index.next.json"]
