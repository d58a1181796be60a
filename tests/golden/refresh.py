#!/usr/bin/env python3
"""The golden-output site: build tests/golden/site/ and compare (tests/test_golden.py) or refresh
tests/golden/expected/ after an intended change of the output:

    python3 tests/golden/refresh.py

then review `git diff tests/golden/expected/` and commit it with the change.

Every file of the build is kept byte for byte, except the search bundle under pagefind/: Pagefind
names its files by content hashes and ships its own scripts, so the bundle is kept as the list of
its files with the hashes blanked out (pagefind.files), and shards.json and the order files (ungzipped)
likewise.
"""

from __future__ import annotations

import gzip
import io
import re
import shutil
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent
SITE = GOLDEN / "site"
EXPECTED = GOLDEN / "expected"
LISTING = "pagefind.files"  # the search bundle's files, hashes blanked
HASH = re.compile(r"(?<=_)[0-9a-f]{7,}")
KEPT_JSON = re.compile(r"pagefind/(shards\.json|order/[^/]+\.pf_order)")  # kept with their hashes blanked


def build(scratch: Path) -> Path:
    """Build a copy of the golden site (the build writes its caches beside the site) into scratch/out."""
    sys.path.insert(0, str(GOLDEN.parent.parent))
    from generator import cli

    site, out = scratch / "site", scratch / "out"
    shutil.copytree(SITE, site)
    log = io.StringIO()
    with redirect_stdout(log), redirect_stderr(log):
        code = cli.main(["build", "--site", str(site), "--out", str(out)])
    if code != 0:
        raise RuntimeError(f"the golden site did not build (exit {code}):\n{log.getvalue()}")
    return out


def snapshot(out: Path) -> dict[str, bytes]:
    """What is compared: relative path → bytes."""
    files: dict[str, bytes] = {}
    bundle: list[str] = []
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(out).as_posix()
        if rel.startswith("pagefind/"):
            bundle.append(HASH.sub("…", rel))
            if KEPT_JSON.fullmatch(rel):
                data = path.read_bytes()
                text = (gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data).decode("utf-8")
                files[rel] = HASH.sub("…", text).encode()
            continue
        files[rel] = path.read_bytes()
    files[LISTING] = "".join(f"{name}\n" for name in sorted(bundle)).encode()
    return files


def expected() -> dict[str, bytes]:
    return {
        path.relative_to(EXPECTED).as_posix(): path.read_bytes()
        for path in sorted(EXPECTED.rglob("*"))
        if path.is_file()
    }


def write(files: dict[str, bytes]) -> None:
    shutil.rmtree(EXPECTED, ignore_errors=True)
    for rel, data in files.items():
        target = EXPECTED / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="golden-") as scratch:
        files = snapshot(build(Path(scratch)))
    before = expected()
    write(files)
    changed = sorted(rel for rel in set(files) | set(before) if files.get(rel) != before.get(rel))
    print(f"tests/golden/expected/: {len(files)} files, {len(changed)} changed")
    for rel in changed:
        print(f"  {'+' if rel not in before else '-' if rel not in files else '~'} {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
