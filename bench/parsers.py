"""What the pure-Python parsers cost: YAML front matter and Markdown bodies of a site's records.

    python3 bench/parsers.py SITE [--limit N]

Reads every record file under SITE/content (as the check does: decode, split the front matter)
and times, in this one process, each parsing step the product runs on a record at a cold build:

  - YAML: `yamlsrc.parse` of the front matter as the product runs it (a flat front matter, one
    `key: value` a line, read by `yamlflat`; any other through libyaml), the same with `yamlflat`
    left out (libyaml's C parser and composer, then our walk, in Python, that keeps each key's
    line and makes the data as PyYAML's constructor would), and libyaml's compose step alone;
  - Markdown (markdown-it-py, pure Python): `markdown.scan` (links and raw HTML, check),
    `markdown.body_facts` (first sentence, check), `markdown.render` (the record page).

If markdown-it-pyrs (a Rust port of markdown-it; `pip install markdown-it-pyrs`) is installed,
it also renders every body with the nearest configuration it offers (the CommonMark rules and
tables, without raw HTML) and counts the bodies whose HTML is byte-identical to markdown-it-py's
with the same rules (without our redaction rule and link rewriting, which markdown-it-pyrs
cannot run: it takes no rules written in Python).

Prints a Markdown table: seconds over all records and microseconds per record.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

import yaml
from markdown_it import MarkdownIt

from generator import limits, markdown, yamlflat, yamlsrc
from generator.load import decode, split_front_matter


def records(site: Path, limit: int | None) -> list[tuple[str, str]]:
    """(front matter, body) of each record file, in path order."""
    out: list[tuple[str, str]] = []
    for path in sorted((site / "content").rglob("*.md")):
        text = decode(path.read_bytes(), str(path), [])
        split = None if text is None else split_front_matter(text)
        if split is not None:
            out.append((split[0], split[1]))
        if limit is not None and len(out) >= limit:
            break
    return out


def timed(step: Callable[[str], object], texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        step(text)
    return time.perf_counter() - start


def compose(text: str) -> object:
    loader = yaml.CSafeLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def libyaml(text: str) -> object:
    """`yamlsrc.parse` with the flat reader left out: every text through libyaml and the walk."""
    flat, yamlflat.parse = yamlflat.parse, lambda *args: None
    try:
        return yamlsrc.parse(text)
    finally:
        yamlflat.parse = flat


def pyrs_parser() -> Callable[[str], str] | None:
    try:
        import markdown_it_pyrs  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    md = markdown_it_pyrs.MarkdownIt("zero")
    # markdown-it's "commonmark" preset without html_block/html_inline, plus tables
    rules = "blockquote code fence heading hr lheading list paragraph reference autolink backticks emphasis entity"
    md.enable_many((rules + " escape image link newline table").split())
    return md.render


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--limit", type=int, help="only the first N record files")
    args = parser.parse_args()
    recs = records(args.site, args.limit)
    fronts = [front for front, _ in recs]
    bodies = [body for _, body in recs]
    n = len(recs)
    if not n:
        parser.error(f"no record with front matter under {args.site / 'content'}")
    print(f"{n:,} records, {sum(map(len, bodies)):,} body characters", file=sys.stderr)
    field_chars = limits.active().field_chars
    flat = sum(yamlflat.parse(front, yamlsrc._plain, field_chars) is not None for front in fronts)

    rows: list[tuple[str, float]] = [
        (
            "YAML: `yamlsrc.parse` (flat front matter read directly, the rest through libyaml)",
            timed(yamlsrc.parse, fronts),
        ),
        ("YAML: `yamlsrc.parse` without `yamlflat` (libyaml + the walk: lines, faults, data)", timed(libyaml, fronts)),
        ("YAML: libyaml compose alone (C)", timed(compose, fronts)),
        ("Markdown: `scan`, links and raw HTML (check)", timed(markdown.scan, bodies)),
        ("Markdown: `body_facts`, first sentence (check)", timed(markdown.body_facts, bodies)),
        ("Markdown: `render`, the record page (render)", timed(lambda b: markdown.render(b, str), bodies)),
    ]
    plain = MarkdownIt("commonmark", {"html": False}).enable("table")
    rows.append(("markdown-it-py, CommonMark + tables, no raw HTML", timed(plain.render, bodies)))
    rust = pyrs_parser()
    same, example = 0, ""
    if rust is not None:
        rows.append(("markdown-it-pyrs, the same rules", timed(rust, bodies)))
        for body in bodies:
            ours, theirs = plain.render(body), rust(body)
            same += ours == theirs
            if ours != theirs and not example:
                pair = next((a, b) for a, b in zip(ours.splitlines() + [""], theirs.splitlines() + [""]) if a != b)
                example = f"{pair[0]!r} (markdown-it-py) against {pair[1]!r} (markdown-it-pyrs)"

    print("| step | seconds | µs per record |")
    print("|---|---|---|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.2f} | {seconds / n * 1e6:,.0f} |")
    print(f"\n{flat:,} of {n:,} front matters are flat (read without libyaml).")
    if rust is None:
        print("\nmarkdown-it-pyrs is not installed: not compared.")
    else:
        print(f"\nmarkdown-it-pyrs gave markdown-it-py's HTML byte for byte on {same:,} of {n:,} bodies.")
        if example:
            print(f"First difference: {example}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
