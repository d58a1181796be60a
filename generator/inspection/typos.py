"""INS004 严重错别字 (国办秘函〔2019〕19号): a canonical name written with one character wrong.

The canonical names are the data file shipped with the product (`terms.txt`: the country, the
organs of the Party and the state, the 《条例》 and other law titles, the provinces), the
governments of the site's own places (`<市>人民政府`, from the bodies' names), the site's own
bodies and offices (department.yaml `name`, `office`) and the site's own list
(site.yaml `inspection.terms`: leaders' names and posts, or a real name that is one character
from another). A term of at least MIN_LENGTH characters written with one character changed,
added or dropped inside it — not its first or last: 国家档案馆 is no 国家档案局 (edit distance
1) — is a blocking finding naming the right form; what
is itself a canonical name never is. The public texts are scanned as the secrecy check reads them
(secrecy/texts.py): titles, 文号, summaries, keywords and bodies of what is published, and the
narratives of the annual reports.

A term is cut into two halves (where: `_cuts`); one wrong character leaves one half intact where it
belongs, with the term's other end character where it belongs too, and the text is not the term itself. The
places where that holds are found with one regular expression (a trie of the halves, each
followed by those conditions; read in C, a few looks at each character however long the list),
and only there is the distance measured — half a place a record in the bench corpus, where a
half alone stands some 40 times. That still reads every character of every published text (about
0.03 µs each), so what a record's texts gave
is kept (Memo) under the sha256 of the record file's bytes and the fingerprint of the names: a
warm check measures only what changed, and any change of the names measures everything again.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from .. import jsontext, wholefile
from ..findings import Finding
from ..model import Department, Record, ReportSource, Site
from ..secrecy.matches import Text, half_width
from ..secrecy.texts import published_texts

MIN_LENGTH = 5  # shorter names are one character from other real names too often (全国政协, 全国政法)
CONTEXT = 12  # characters each side of the excerpt
DATA = "terms.txt"
MEMO = Path(".cache") / "inspection" / "typos.json"
PLACE = re.compile(r"^(?P<place>[\u4e00-\u9fff]{1,8}?[省市县州区盟旗])")
GOVERNMENT = "人民政府"


@cache
def shipped() -> tuple[str, ...]:
    """The names of the data file shipped in the package."""
    text = resources.files(__package__).joinpath(DATA).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _bodies(dept: Department) -> Iterator[str]:
    for key in ("name", "office"):
        value = str(dept.data.get(key) or "").strip()
        if value:
            yield value
    name = str(dept.data.get("name") or "").strip()
    if GOVERNMENT in name:
        yield name[: name.index(GOVERNMENT) + len(GOVERNMENT)]
    elif (match := PLACE.match(name)) is not None:
        yield match["place"] + GOVERNMENT


def site_terms(site: Site) -> list[str]:
    names = list(shipped())
    for dept in site.departments.values():
        names += _bodies(dept)
    names += [term.strip() for term in site.config.inspection.terms if term.strip()]
    return list(dict.fromkeys(names))


@dataclass(frozen=True)
class Terms:
    canonical: frozenset[str]
    # a half → every half that begins the same text and ends no later (itself included), each with
    # the terms it is a half of: [(half, [(term, whether it is the term's left half)])]
    prefixes: dict[str, list[tuple[str, list[tuple[str, bool]]]]]
    longest: re.Pattern[str] | None  # matched at a place: the longest half that starts there
    near: re.Pattern[str] | None  # finds each place a near miss may start from (see _room_for_a_near_miss)


CJK_RUN = re.compile("[\u4e00-\u9fff\u3400-\u4dbf]+")


def _branches(words: dict[str, str]) -> list[tuple[str, str]]:
    """`words` as a trie, each word followed by its own pattern: for each first character, the
    regular expression of the words that begin with it (a word that begins a longer one is tried
    after it: the longest is matched first)."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {"": words[word]}

    def emit(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if "" in node:
            branches.append(node[""][""])
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return [(char, re.escape(char) + emit(child)) for char, child in sorted(root.items())]


def _trie(words: dict[str, str]) -> str:
    return "(?:" + "|".join(branch for _, branch in _branches(words)) + ")"


def _dispatched(branches: list[tuple[str, str]]) -> str:
    """The branches, each for its own first character, in groups that are tried only where the
    character here is one of theirs: the regex engine tries the alternatives of a group one by one
    (it has no jump table), so ~2√n tries at a place instead of n (87 first characters, in practice)."""
    size = max(1, math.isqrt(len(branches)))
    groups = [branches[start : start + size] for start in range(0, len(branches), size)]
    return (
        "(?:"
        + "|".join(
            f"[{re.escape(''.join(char for char, _ in group))}](?<=(?=(?:{'|'.join(branch for _, branch in group)})).)"
            for group in groups
        )
        + ")"
    )


def _room_for_a_near_miss(term: str, left: bool, half: str) -> str:
    """Zero-width, where `half` of `term` has just been read: whether a span around it could be a
    near miss of the term — it is not the term itself, its first and last characters are the
    term's and no line ends inside it (one_edit: all its characters are Chinese ones). _candidates
    checks these and more, so a place where this does not hold gives nothing there. (`.`, not the
    Chinese range: a character class is compiled anew each time it is written, slowly.)"""
    size = len(term)
    if left:  # the span starts with the half: the term's last character ends it
        last = re.escape(term[-1])
        ends = "|".join(f".{{{width - len(half) - 1}}}{last}" for width in (size, size + 1, size - 1))
        return f"(?!{re.escape(term[len(half) :])})(?={ends})"
    first, half_text = re.escape(term[0]), re.escape(half)  # the span ends with the half
    starts = "|".join(f"(?<={first}.{{{width - len(half) - 1}}}{half_text})" for width in (size, size + 1, size - 1))
    return f"(?<!{re.escape(term)})(?:{starts})"


def _cuts(terms: list[str]) -> dict[str, int]:
    """Where each term is cut into its two halves. Any cut that leaves two characters or more on each
    side finds the same near misses (one character wrong inside the term leaves one side whole), but
    the regex engine stops at every place a half could begin: at each character that begins a term
    (its left half) or a right half. So a term is cut, nearest its middle, where its right half begins
    with such a character already — one that begins a term, or failing that the fewest characters
    that begin the right halves of all the rest (the longer a term, the more cuts to choose from).
    The bench city's bodies: 21% of their characters began a half when every term was cut in the
    middle, 15% now. A term with three equal characters at an end keeps its middle cut: only
    there could a span inside the term as written be measured under one cut and not another."""
    cuts: dict[str, int] = {}
    choices: dict[str, list[int]] = {}
    for term in terms:
        middle = len(term) // 2
        ends_in_a_run = len(set(term[:3])) == 1 or len(set(term[-3:])) == 1
        options = [middle] if ends_in_a_run else range(2, len(term) - 1)
        choices[term] = sorted(options, key=lambda cut: (abs(cut - middle), cut))
    beginning = {term[0] for term in terms}
    pending = list(terms)
    while pending:
        rest = []
        for term in pending:
            cut = next((cut for cut in choices[term] if term[cut] in beginning), None)
            if cut is None:
                rest.append(term)
            else:
                cuts[term] = cut
        if rest:  # the character that begins a right half for most of the rest
            count: dict[str, int] = {}
            for term in rest:
                for char in {term[cut] for cut in choices[term]}:
                    count[char] = count.get(char, 0) + 1
            beginning.add(min(count, key=lambda char: (-count[char], char)))
        pending = rest
    return cuts


def build(names: Iterable[str]) -> Terms:
    canonical = frozenset(names)
    halves: dict[str, list[tuple[str, bool]]] = {}
    eligible = [term for term in sorted(canonical) if len(term) >= MIN_LENGTH and CJK_RUN.fullmatch(term)]
    cuts = _cuts(eligible)
    for term in eligible:
        cut = cuts[term]
        halves.setdefault(term[:cut], []).append((term, True))
        halves.setdefault(term[cut:], []).append((term, False))
    if not halves:
        return Terms(canonical, {}, None, None)
    prefixes = {half: [(h, halves[h]) for h in halves if half.startswith(h)] for half in halves}
    longest = re.compile("(" + _trie({half: "" for half in halves}) + ")")
    near = _branches(
        {
            half: "(?:" + "|".join(_room_for_a_near_miss(term, left, half) for term, left in owners) + ")"
            for half, owners in halves.items()
        }
    )
    # a set of first characters ahead lets the engine skip most of a text in C; each match takes
    # that one character, and the trie is read from it, looking back
    first = "".join(char for char, _ in near)
    return Terms(canonical, prefixes, longest, re.compile(f"[{re.escape(first)}](?<=(?={_dispatched(near)}).)"))


def one_edit(written: str, term: str) -> bool:
    """Whether `written` is `term` with one character inside it changed, added or dropped — never
    at either end: there it is another word (国家档案馆 beside 国家档案局, 农业农村工作 beside
    农业农村部, 市人力资源和社会保障局 beside the ministry), not a typo."""
    if written[0] != term[0] or written[-1] != term[-1] or written == term:
        return False
    if len(written) == len(term):
        if sum(a != b for a, b in zip(written, term)) != 1:
            return False
    elif abs(len(written) - len(term)) == 1:
        longer, shorter = (written, term) if len(written) > len(term) else (term, written)
        if not any(longer[:i] + longer[i + 1 :] == shorter for i in range(1, len(longer) - 1)):
            return False
    else:
        return False
    return CJK_RUN.fullmatch(written) is not None


def find(text: str, terms: Terms) -> Iterator[tuple[int, str, str]]:
    """(start, as written, canonical form) of each near miss in `text`, in order, once each: where
    near misses overlap (中华人民共合国 inside 中华人民共合国政府信息公开条例) the longest is kept, and
    of one span a near miss of two names, the name first in order."""
    found = sorted(_candidates(text, terms), key=lambda hit: (-len(hit[1]), hit[0], hit[2]))
    kept: list[tuple[int, str, str]] = []
    for start, written, term in found:
        if all(start + len(written) <= other or start >= other + len(seen) for other, seen, _ in kept):
            kept.append((start, written, term))
    yield from sorted(kept)


def _candidates(text: str, terms: Terms) -> Iterator[tuple[int, str, str]]:
    """Each near miss around a half found in `text`. The spans are tried end first: one_edit needs
    the term's first and last characters in place, and a half already holds one of them, so most
    spans are rejected by one character without cutting the text (a city's bodies: 60 million
    characters, and 国家, 政府信息 and 人民政府 at every turn)."""
    if terms.near is None or terms.longest is None:
        return
    seen: set[tuple[int, int, str]] = set()
    size_of_text = len(text)
    for place in terms.near.finditer(text):
        at = place.start()
        match = terms.longest.match(text, at)
        assert match is not None  # near found a half here
        for half, owners in terms.prefixes[match.group(1)]:
            end = at + len(half)
            for term, left in owners:
                size = len(term)
                if left:  # the text holds the term's left half at `at`: its first character is in place
                    if text.startswith(term, at):
                        continue  # the term itself is written here
                    last = term[-1]
                    spans = [
                        (at, stop)
                        for stop in (at + size, at + size + 1, at + size - 1)
                        if text[stop - 1 : stop] == last
                    ]
                else:  # the right half ends at `end`: the last character is in place
                    if text.startswith(term, end - size) and end >= size:
                        continue
                    first = term[0]
                    spans = [
                        (start, end)
                        for start in (end - size, end - size - 1, end - size + 1)
                        if start >= 0 and text[start] == first
                    ]
                for start, stop in spans:
                    if stop > size_of_text or (start, stop, term) in seen:
                        continue
                    written = text[start:stop]
                    if not one_edit(written, term) or term in written or written in terms.canonical:
                        continue
                    seen.add((start, stop, term))
                    yield start, written, term


def _excerpt(text: str, start: int, end: int) -> str:
    return text[max(0, start - CONTEXT) : end + CONTEXT].replace("\n", " ")


def _finding(file: str, dept: str, text: Text, start: int, written: str, term: str) -> Finding:
    return Finding(
        "INS004",
        file,
        text.line_at(start),
        f"{text.where}中“{written}”应为“{term}”（严重错别字）",
        f"把“{written}”改为“{term}”；确是另一个名称的，把“{written}”加入 site.yaml inspection.terms。",
        excerpt=_excerpt(text.text, start, start + len(written)),
        dept=dept,
    )


def _text_findings(file: str, dept: str, text: Text, terms: Terms) -> Iterator[Finding]:
    for start, written, term in find(text.text, terms):
        yield _finding(file, dept, text, start, written, term)


def record_findings(record: Record, terms: Terms, memo: Memo) -> list[Finding]:
    """The record's near misses, found again only when its file's bytes (its public texts, for a
    record not read from a file) or the names changed (`memo`). What is kept is where each lies in
    the texts: its line is read from the record now. A warm check reads no texts without a hit.
    A list, not a generator: one made for each of a city's records cost more than the look-up."""
    texts = None if record.digest else list(published_texts(record))
    key = Memo.file_key(record.digest) if texts is None else memo.key(texts)
    hits = memo.get(key)
    if hits is None:
        texts = texts or list(published_texts(record))
        hits = hits_in(texts, terms)
        memo.put(key, hits)
    if not hits:
        return []
    shown = texts or list(published_texts(record))
    return [_finding(record.file, record.dept, shown[i], start, written, term) for i, start, written, term in hits]


def hits_in(texts: list[Text], terms: Terms) -> list[Hit]:
    """Where a record's public texts hold near misses: (which text, where in it, as written, the name)."""
    return [
        (i, start, written, term) for i, text in enumerate(texts) for start, written, term in find(text.text, terms)
    ]


def found_by_file(record: Record, terms: Terms, texts: list[Text], memo: Memo) -> tuple[str, list[Hit]] | None:
    """(memo key, hits) of a record read from a file, for the check that spread its own work over the
    cores (generator.recordwork): its hits are then found where its file was read, and `check` takes
    them as the memo's. None for a record not read from a file, or one whose bytes `memo` (measured
    against the same names) holds the hits of: `check` finds them there. `texts`: its published_texts."""
    if not record.loaded or not record.digest:
        return None
    key = Memo.file_key(record.digest)
    if memo.holds(key):  # a file of known bytes read again: a fresh checkout, the cache restored
        return None
    return key, hits_in(texts, terms)


def _report_text(report: ReportSource) -> Text:
    body = half_width(report.body)

    def line_at(offset: int) -> int:
        return report.body_line + body.count("\n", 0, offset)

    return Text("年度报告正文", body, line_at, markdown=True)


Hit = tuple[int, int, str, str]  # which text, where in it, as written, the canonical form


def _hit(value: list[object]) -> Hit:
    index, start, written, term = value
    if not (type(index) is int and type(start) is int and isinstance(written, str) and isinstance(term, str)):
        raise ValueError("hit")
    return index, start, written, term


def fingerprint(names: list[str]) -> str:
    """What a near miss found is a function of, besides the texts: the names, this code, the data file."""
    code = Path(__file__).read_bytes() + resources.files(__package__).joinpath(DATA).read_bytes()
    return hashlib.sha256(code + "\x00".join(names).encode("utf-8")).hexdigest()


Found = dict[str, tuple[str, list[Hit]]]  # memo key → (fingerprint of the names, hits): found elsewhere


class Memo:
    """`<site>/.cache/inspection/typos.json`: the near misses found in a record's public texts, by
    the sha256 of its file's bytes (or of those texts, for a record not read from a file), under
    the fingerprint of the names they were measured against and of this code and data file. A
    result is a function of its key alone, so one kept is never stale: a change of department.yaml
    or site.yaml that changes the names changes the fingerprint, and every record is measured
    again. Safe to delete; a file that cannot be read is ignored and rewritten."""

    def __init__(self, root: Path, names: list[str]) -> None:
        self.path = root / MEMO
        self.fingerprint = fingerprint(names)
        self.kept: dict[str, list[Hit]] = {}
        self.used: dict[str, list[Hit]] = {}
        self.changed = False
        try:
            data = jsontext.loads(self.path.read_bytes())  # 200,000 records: 15 MB, read by each check
            if data.get("fingerprint") == self.fingerprint and isinstance(data.get("records"), dict):
                self.kept = {str(k): [_hit(hit) for hit in v] for k, v in data["records"].items()}
        except (OSError, ValueError, TypeError, AttributeError, IndexError):
            self.kept = {}

    @staticmethod
    def file_key(digest: str) -> str:
        """The key of a record by the sha256 of its file's bytes (its texts are a function of them)."""
        return f"file:{digest}"

    @staticmethod
    def key(texts: list[Text]) -> str:
        digest = hashlib.sha256()
        for text in texts:
            digest.update(text.where.encode("utf-8") + b"\x00" + text.text.encode("utf-8", "surrogatepass") + b"\x01")
        return digest.hexdigest()

    def holds(self, key: str) -> bool:
        return key in self.kept

    def get(self, key: str) -> list[Hit] | None:
        hits = self.kept.get(key)
        if hits is not None:
            self.used[key] = hits
        return hits

    def take(self, found: Found) -> None:
        """What was found elsewhere against the same names, as if it had been kept."""
        for key, (measured, hits) in found.items():
            if measured == self.fingerprint and key not in self.kept:
                self.kept[key] = hits
                self.changed = True

    def put(self, key: str, hits: list[Hit]) -> None:
        self.used[key] = hits
        self.changed = True

    def save(self) -> None:
        """Only what this check used; written only when something changed (never fails)."""
        if not self.changed and len(self.used) == len(self.kept):
            return
        with contextlib.suppress(OSError, ValueError):
            wholefile.write(self.path, jsontext.dumps({"fingerprint": self.fingerprint, "records": self.used}))


def check(site: Site, found: Found | None = None) -> list[Finding]:
    """`found`: what the check's workers found in the files they read (recordwork.fill); taken only
    when measured against the same names."""
    names = site_terms(site)
    terms = build(names)
    memo = Memo(site.root, names)
    memo.take(found or {})
    findings: list[Finding] = []
    for record in site.records:
        if record.loaded:
            findings.extend(record_findings(record, terms, memo))
    memo.save()
    for dept in site.departments.values():
        for report in dept.reports.values():
            if report.loaded:
                findings.extend(_text_findings(report.file, dept.slug, _report_text(report), terms))
    return findings
