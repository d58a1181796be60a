"""The search relevance set: real queries and the records each must find, and how a result is judged.

    python3 bench/search_relevance.py BUILD [--out bench/search_relevance.json]

reads a built site (its record pages: a 依申请公开 record's metadata-only page is never searched) and writes
the set: the queries citizens were seen to type (issue 15), and queries drawn from the site's own
texts — 文号 (the records' own and those their text cites), 索引号, pieces of titles, phrases found
only in the document text, and two-word queries, a sample of each kind. For each query the records that must be found are
those whose text contains every query word as written: after NFKC and lower case, with every run
of characters that are no letter or digit read as one space (so 〔2019〕 and [2019] are the same).
A record's text is what its page shows of it: title, 文号, 索引号 and the document text — read here
from the HTML with regular expressions, independently of the indexer's own reading
(generator/search/docs.py). bench/search_quality.py runs the set in Chromium.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import unicodedata
from pathlib import Path

ISSUE_QUERIES = ("网站群", "三同步", "领导批示", "应急演练", "玉政办发", "玉政办发〔2019〕20号", "阿尔山", "考评")
DOC_NO = re.compile(r"[\u4e00-\u9fff]{2,8}〔\d{4}〕\d{1,4}号")
CJK = re.compile(r"[\u4e00-\u9fff]+")
RECORD_PAGE = re.compile(r"\d{4}-\d{5,}\.html")


def normalize(text: str) -> str:
    out: list[str] = []
    for char in unicodedata.normalize("NFKC", text).lower():
        if unicodedata.category(char)[0] in "LN":
            out.append(char)
        elif out and out[-1] != " ":
            out.append(" ")
    return "".join(out).strip()


def query_words(query: str) -> list[str]:
    return list(dict.fromkeys(w for w in (normalize(part) for part in query.split()) if w))


def _cell(page: str, name: str) -> str:
    match = re.search(rf"<th scope=\"row\">{name}</th>\s*<td[^>]*>(.*?)</td>", page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


def record_text(page: str) -> dict[str, str]:
    """title, 文号, 索引号 and the document text of a record page or metadata-only page."""
    article = re.search(r"<article\b[^>]*>(.*?)</article>", page, re.S)
    body = article.group(1) if article else ""
    title = re.search(r"<h1>(.*?)</h1>", body, re.S)
    body = re.sub(r"<table class=\"metadata\">.*?</table>", " ", body, flags=re.S)
    body = re.sub(r"<h1>.*?</h1>", " ", body, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    doc_no = _cell(page, "文号")
    return {
        "title": html.unescape(title.group(1)).strip() if title else "",
        "doc_no": "" if doc_no == "无" else doc_no,
        "index_no": _cell(page, "索引号"),
        "text": " ".join(text.split()),
    }


def site_records(build: Path) -> dict[str, dict[str, str]]:
    """URL (site-relative, as search results give it) → text of every page search should find."""
    found = {}
    for path in sorted(build.glob("*/*.html")):
        if RECORD_PAGE.fullmatch(path.name):  # <year>-<serial>.html, named by the 索引号
            found["/" + path.relative_to(build).as_posix()] = record_text(path.read_text(encoding="utf-8"))
    return found


def body_words(records: dict[str, dict[str, str]], rng: random.Random, count: int) -> dict[str, set[str]]:
    """Pieces of 2–4 characters cut from the Chinese runs of `count` random records' document texts
    — phrases as the documents write them — each with the record URLs whose text has it (the
    fragments no longer carry the indexer's own cutting of the text, which this read before)."""
    found: dict[str, set[str]] = {}
    for url in rng.sample(sorted(records), min(count, len(records))):
        runs = [run for run in CJK.findall(records[url]["text"]) if len(run) >= 4]
        for run in rng.sample(runs, min(3, len(runs))):
            length = rng.randint(2, 4)
            start = rng.randint(0, len(run) - length)
            found.setdefault(run[start : start + length], set())
    texts = {url: normalize(record["text"]) for url, record in records.items()}
    for word, urls in found.items():
        urls.update(url for url, text in texts.items() if word in text)
    return found


def haystack(record: dict[str, str]) -> str:
    return normalize("\n".join((record["title"], record["doc_no"], record["index_no"], record["text"])))


def contains(record: dict[str, str], words: list[str], cache: dict[int, str] = {}) -> bool:  # noqa: B006 - memo
    key = id(record)
    if key not in cache:
        cache[key] = haystack(record)
    return all(word in cache[key] for word in words)


def expected(records: dict[str, dict[str, str]], query: str) -> list[str]:
    words = query_words(query)
    return sorted(url for url, record in records.items() if contains(record, words))


def make_set(build: Path, seed: int = 15, size: int = 140) -> list[dict[str, object]]:
    records = site_records(build)
    rng = random.Random(seed)
    chosen: dict[str, str] = {}

    def add(query: str, kind: str) -> None:
        if query and query not in chosen and expected(records, query):
            chosen[query] = kind

    for query in ISSUE_QUERIES:
        add(query, "issue")
    items = list(records.items())
    for _, record in rng.sample(items, min(30, len(items))):
        add(record["doc_no"], "文号")
    cited = sorted({number for _, record in items for number in DOC_NO.findall(record["text"])})
    for number in rng.sample(cited, min(10, len(cited))):
        add(number, "文号 cited")
    for _, record in rng.sample(items, min(20, len(items))):
        add(record["index_no"], "索引号")
    titles = " ".join(r["title"] for r in records.values())
    for _, record in rng.sample(items, min(30, len(items))):
        runs = [run for run in CJK.findall(record["title"]) if len(run) >= 4]
        if runs:
            run = rng.choice(runs)
            length = rng.randint(3, min(8, len(run)))
            start = rng.randint(0, len(run) - length)
            add(run[start : start + length], "title piece")
        add(record["title"], "title")
    # a phrase of the text that some record holding it does not have in its title; on a small site
    # also in no title at all, and in at most ten records
    small = len(records) <= 1000
    vocabulary = sorted(
        (word, urls)
        for word, urls in body_words(records, rng, 200).items()
        if any(word not in normalize(records[url]["title"]) for url in urls)
        and (not small or (word not in titles and len(urls) <= 10))
    )
    for word, _ in rng.sample(vocabulary, min(35, len(vocabulary))):
        add(word, "body only")
    by_record: dict[str, list[str]] = {}
    for word, urls in vocabulary:
        for url in urls:
            by_record.setdefault(url, []).append(word)
    for url in rng.sample(sorted(by_record), min(12, len(by_record))):
        if len(by_record[url]) >= 2:
            add(" ".join(rng.sample(by_record[url], 2)), "two words")
    return [{"query": q, "kind": k, "expect": expected(records, q)} for q, k in list(chosen.items())[:size]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build", type=Path)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("search_relevance.json"))
    args = parser.parse_args()
    queries = make_set(args.build)
    args.out.write_text(json.dumps(queries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    kinds: dict[str, int] = {}
    for item in queries:
        kinds[str(item["kind"])] = kinds.get(str(item["kind"]), 0) + 1
    print(f"{len(queries)} queries → {args.out}: {kinds}")


if __name__ == "__main__":
    main()
