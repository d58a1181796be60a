"""The product as it was at one commit, in a folder of its own, for A/B runs of two versions.

    python3 bench/freeze.py GIT_REF DEST

Writes the commit's tree into DEST with `git archive` (nothing in .git changes) and links
DEST/generator/layouts to DEST/layouts, as pyproject's package-dir maps them. Run it with
`env PYTHONPATH=DEST python3 -m generator …` from outside the repository (Python puts the current
folder first on its path). Without the link, `generator.layouts` is found
through the editable install of the working tree, and the frozen code renders the working
tree's templates: an A/B run across a change of layouts/ then compares nothing (it happened,
bench/RESULTS.md, 2026-12-07 evening). Prints the short commit.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def freeze(ref: str, dest: Path) -> str:
    """The tree of `ref` in `dest` (emptied first), its templates its own; the short commit."""
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", ref], check=True, capture_output=True, text=True
    ).stdout.strip()
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    (dest / "generator" / "layouts").symlink_to("../layouts")
    return commit


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    dest = Path(sys.argv[2]).resolve()
    commit = freeze(sys.argv[1], dest)
    print(f"{commit} in {dest}: env PYTHONPATH={dest} python3 -m generator …")
    return 0


if __name__ == "__main__":
    sys.exit(main())
