"""Pagefind's CPU time for one shard under each index language, and whether the word index differs.

    python3 bench/index_language.py --site SITE [--shard N] [--runs 3] [--languages zh und]

SITE is a built site (e.g. one of `bench/scale.py --keep`). Writes the pages the indexer is given for
the N-th shard of its plan (generator/search/bundle.py does the same: docs.page of each record page's
text), then runs the Pagefind binary the build uses on them with `--force-language` for each language
in turn, RUNS rounds, and prints each run's wall, user and system time and the median user time of
each language. Then compares the bundles of the last round: the word index chunks (index/*.pf_index,
ungzipped) as a set, and the fragments' fields besides the text Pagefind keeps (bundle.put_texts
replaces it) and its word count.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--shard", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--languages", nargs="+", default=["zh", "und"])
    args = parser.parse_args()

    from generator import load, publicity
    from generator.config import load_config
    from generator.search import bundle, docs, shards

    site = args.site.resolve()
    config, _ = load_config(site)
    shard = shards.plan(publicity.select(load.load_site(config)[0]))[args.shard]
    work = Path(tempfile.mkdtemp(prefix="index-language-"))
    pages = work / "site"
    for item in shard.docs:
        body = docs.text((site / "build" / item.path).read_text(encoding="utf-8")) if item.full else ""
        target = pages / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(docs.page(item, docs.shown(item, body)), encoding="utf-8")
    print(f"shard {shard.name}: {len(shard.docs)} pages; Pagefind {bundle._binary()}")

    users: dict[str, list[float]] = {language: [] for language in args.languages}
    for run in range(1, args.runs + 1):
        for language in args.languages:
            out = work / language
            shutil.rmtree(out, ignore_errors=True)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            command = [str(bundle._binary()), "--site", str(pages), "--output-path", str(out)]
            subprocess.run([*command, "--force-language", language, "--quiet"], check=True, capture_output=True)
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
            users[language].append(user)
            print(f"run {run} {language:4} wall {wall:5.2f} s  user {user:5.2f} s  sys {system:5.2f} s")
    for language, times in users.items():
        print(f"{language:4} median user {statistics.median(times):.2f} s")

    first, *others = args.languages
    for language in others:
        same_index = _chunks(work / first) == _chunks(work / language)
        differ = _fragment_fields(work / first) ^ _fragment_fields(work / language)
        print(
            f"{first} against {language}: word index chunks identical: {same_index}; fragment fields that differ "
            f"besides the text and word count: {len(differ)}"
        )
    shutil.rmtree(work)


def _chunks(bundle: Path) -> list[str]:
    return sorted(hashlib.sha256(gzip.decompress(p.read_bytes())).hexdigest() for p in bundle.glob("index/*.pf_index"))


def _fragment_fields(bundle: Path) -> set[str]:
    found = set()
    for path in bundle.glob("fragment/*.pf_fragment"):
        fragment = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd") :])
        del fragment["content"], fragment["word_count"]
        found.add(json.dumps(fragment, ensure_ascii=False, sort_keys=True))
    return found


if __name__ == "__main__":
    main()
