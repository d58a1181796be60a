"""Whether two versions of the product read the same facts of a site's record bodies, and how fast.

    python3 bench/facts_same.py SITE OLD_TREE NEW_TREE

OLD_TREE and NEW_TREE each hold a `generator/` package (e.g. `git archive REV generator | tar -x -C
DIR`). Each is imported in a child process of its own, which reads every record file (`*.md` with
front matter) under SITE/content, splits off its body as the check does, and writes, per file, what
`markdown.body_facts` gives (the first sentence, the length, the link targets). The two lists are
compared file by file; the time of `body_facts` (summed, this process's clock) is printed for each.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def facts(site: Path, out: Path) -> None:
    """In the child: one line per record body under `site` (name, facts); the time on stderr."""
    from generator import markdown
    from generator.load import decode, split_front_matter

    total, count = 0.0, 0
    with out.open("w", encoding="utf-8") as lines:
        for folder, subfolders, files in os.walk(site / "content"):
            subfolders.sort()
            for name in sorted(files):
                if not name.endswith(".md"):
                    continue
                text = decode(Path(folder, name).read_bytes(), name, [])
                split = None if text is None else split_front_matter(text)
                if split is None:
                    continue
                started = time.perf_counter()
                found = markdown.body_facts(split[1])
                total += time.perf_counter() - started
                count += 1
                lines.write(f"{folder}/{name} {found!r}\n")
    print(f"{markdown.__file__} {count} {total:.2f}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        facts(args.site, args.child)
        return
    results: dict[str, tuple[list[str], int, float, str]] = {}
    with tempfile.TemporaryDirectory() as work:
        for label, tree in (("old", args.old), ("new", args.new)):
            out = Path(work) / label
            run = subprocess.run(
                [sys.executable, __file__, str(args.site), str(args.old), str(args.new), "--child", str(out)],
                env={**os.environ, "PYTHONPATH": str(tree.resolve())},
                capture_output=True,
                text=True,
                check=True,
            )
            module, count, seconds = run.stderr.split()[-3:]
            results[label] = (out.read_text("utf-8").splitlines(), int(count), float(seconds), module)
    old, new = results["old"][0], results["new"][0]
    differ = [a.split()[0] for a, b in zip(old, new) if a != b]
    for label, (_, count, seconds, module) in results.items():
        print(f"{label} ({module}): {count} bodies, {seconds:.2f} s ({seconds / max(count, 1) * 1e6:.0f} µs each)")
    print(
        f"read alike: {len(old) - len(differ)} of {len(old)}"
        + ("" if len(old) == len(new) else " (lists differ in length)")
    )
    for name in differ[:20]:
        print(f"differs: {name}")


if __name__ == "__main__":
    main()
