"""Whether two versions of the YAML reader read a site's front matter alike, and how fast.

    python3 bench/yaml_same.py SITE OLD_TREE NEW_TREE [--max-bytes N]

OLD_TREE and NEW_TREE each hold a `generator/` package (e.g. `git archive REV generator | tar -x -C
DIR`). Each is imported in a child process of its own, which parses the front matter of every
regular record file (`*.md`) and every `*.yaml` under SITE with its `yamlsrc.parse` and writes, per file,
a digest of what it gave: the data pickled (so the types and which values are one object count),
its repr, the line of every key, or the error's message, line, column and fix. The two lists are
compared file by file; the parse time (summed, this process's clock) is printed for each.
`--max-bytes`: leave out files larger than N bytes (a tree of test sites holds a few made to be huge).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import stat
import sys
import time
from pathlib import Path

import twotrees


def digests(site: Path, out: Path, max_bytes: int | None) -> None:
    """In the child: one line per YAML document under `site` (name, digest, ok/err); the time on stderr."""
    from generator import yamlsrc

    total, count = 0.0, 0
    with out.open("w", encoding="utf-8") as lines:
        for folder, subfolders, files in os.walk(site):
            subfolders.sort()
            for name in sorted(files):
                if not name.endswith((".md", ".yaml")):
                    continue
                status = os.lstat(Path(folder, name))
                if not stat.S_ISREG(status.st_mode) or (max_bytes is not None and status.st_size > max_bytes):
                    continue  # a FIFO (test sites hold some) would never end; a link is read where it lies
                text = Path(folder, name).read_text("utf-8", errors="replace")
                if name.endswith(".md"):
                    if not text.startswith("---\n") or "\n---\n" not in text[3:]:
                        continue
                    text = text[4 : text.index("\n---\n", 3)]
                started = time.perf_counter()
                try:
                    parsed = yamlsrc.parse(text, line_offset=1)
                    got: tuple[object, ...] = (
                        "ok",
                        pickle.dumps(parsed.data),
                        repr(parsed.data),
                        repr(sorted(parsed.lines.items(), key=repr)),
                    )
                except yamlsrc.YamlError as exc:
                    got = ("err", exc.message, exc.line, exc.column, exc.fix)
                total += time.perf_counter() - started
                count += 1
                lines.write(f"{folder}/{name} {hashlib.sha256(repr(got).encode()).hexdigest()} {got[0]}\n")
    print(f"{yamlsrc.__file__} {count} {total:.2f}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--max-bytes", type=int, help="leave out files larger than this")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        digests(args.site, args.child, args.max_bytes)
        return
    results = twotrees.run_both(
        __file__,
        [str(args.site), str(args.old), str(args.new)]
        + ([] if args.max_bytes is None else ["--max-bytes", str(args.max_bytes)]),
        args.old,
        args.new,
    )
    for label, (_, (module, count, seconds)) in results.items():
        each = max(int(count), 1) / 1e6
        print(
            f"{label} ({module}): {count} documents, parse {float(seconds):.2f} s ({float(seconds) / each:.0f} µs each)"
        )
    twotrees.print_alike(results["old"][0], results["new"][0])


if __name__ == "__main__":
    main()
