"""Whether two versions of the product read the same facts of a site's record bodies, and how fast.

    python3 bench/facts_same.py SITE OLD_TREE NEW_TREE [--render]

OLD_TREE and NEW_TREE each hold a `generator/` package (e.g. `git archive REV generator | tar -x -C
DIR`). Each is imported in a child process of its own, which reads every record file (`*.md` with
front matter) under SITE/content, splits off its body as the check does, and writes, per file, what
`markdown.body_facts` gives (the first sentence, the length, the link targets). The two lists are
compared file by file; the time of `body_facts` (summed, this process's clock) is printed for each.
`--render`: each body's HTML too (`markdown.render`, links kept as written; its SHA-256 compared,
its time summed apart).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

import twotrees


def facts(site: Path, out: Path, html: bool) -> None:
    """In the child: one line per record body under `site` (name, facts, digest of its HTML when
    `html`); the times on stderr."""
    from generator import markdown
    from generator.load import decode, split_front_matter

    total, rendering, count = 0.0, 0.0, 0
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
                digest = ""
                if html:
                    started = time.perf_counter()
                    page = markdown.render(split[1], str)
                    rendering += time.perf_counter() - started
                    digest = hashlib.sha256(page.encode()).hexdigest()
                lines.write(f"{folder}/{name} {found!r} {digest}\n")
    print(f"{markdown.__file__} {count} {total:.2f} {rendering:.2f}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--render", action="store_true", help="compare each body's HTML too")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        facts(args.site, args.child, args.render)
        return
    results = twotrees.run_both(
        __file__,
        [str(args.site), str(args.old), str(args.new)] + (["--render"] if args.render else []),
        args.old,
        args.new,
    )
    for label, (_, (module, count, seconds, rendering)) in results.items():
        each = max(int(count), 1) / 1e6
        print(
            f"{label} ({module}): {count} bodies, facts {float(seconds):.2f} s ({float(seconds) / each:.0f} µs each)",
            end="",
        )
        print(f", HTML {float(rendering):.2f} s ({float(rendering) / each:.0f} µs each)" if args.render else "")
    twotrees.print_alike(results["old"][0], results["new"][0])


if __name__ == "__main__":
    main()
