"""The last net: scan the rendered output for secrecy markings (SEC006) and personal data
(SEC008) before it replaces the previous build. Whatever the templates, search index or
feeds did with the text, a hit here aborts the build.

Every file is read by its content (outputs.py), in the same views the source check uses
(normalize.py), so a number split by tags, zero-width spaces or grouping is still one number.
A file that cannot be read is refused (SEC015), except the attachments copied unchanged from
records, which were read at the source. Matches that a reviewer signed off at the source, or
that the site publishes on purpose (a mobile number in a department's public contact
fields or the footer's contact), are allowed by their exact value.
"""

from __future__ import annotations

from functools import partial
from itertools import chain
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from .. import progress
from ..findings import Finding
from ..output import files_under, in_tree_order
from ..executors import Executor, SiteRef, Work, of
from .cleanlines import CleanLines
from .markings import secrecy_markings
from .matches import Match
from .outputs import Readable, Unreadable, is_text, lines_read_alone, read, read_text
from .personal import personal_data
from .scan import Hit, scan

KNOWN_CLEAN = CleanLines()  # this process's: the scan's workers each keep their own


class LeakFound(Exception):
    """The rendered output holds what must not be published; the build is abandoned."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"{len(findings)} 处泄密风险")
        self.findings = findings


def _matches(text: str) -> Iterator[Match]:
    return chain(secrecy_markings(text), personal_data(text))


def hits(text: str, clean: CleanLines = KNOWN_CLEAN) -> list[Hit]:
    """scan(text), without scanning again the lines `clean` knows (cleanlines.py: a hit lies in one line)."""
    unknown = clean.unknown(text)
    if not unknown:
        return []
    if not scan("\n".join(unknown), _matches):
        clean.learn(unknown)
        return []
    return scan(text, _matches)  # for the findings, each with its line and excerpt as written


Spans = Sequence[tuple[int, int]]  # byte ranges of a file, [start, end), in order
NEWLINE = ord("\n")


def scan_file(path: Path, rel: str, allowed: set[str], copied: bool = False, spans: Spans = ()) -> list[Finding]:
    """The findings in the output file `path` (named `rel` in them). `spans`: byte ranges of it
    copied from a file scanned before with the same allow list (Output.spans); only the rest is
    scanned, unless there is a finding, which is then made from the whole file."""
    if spans:
        data = path.read_bytes()
        rest = _outside(data, spans)
        del data  # read again below if need be: a 160 MB file is not held while its text is
        if rest is not None and not _findings(read_text(rel, rest), allowed, copied):
            return []
    return _findings(read(rel, path.read_bytes()), allowed, copied)


def _outside(data: bytes, spans: Spans) -> bytes | None:
    """The lines of `data` outside `spans`, or None where that would not scan as the whole does.

    Every rule of the scan matches within one line (cleanlines.py), so leaving out whole lines
    leaves out exactly their hits: a span counts from a line's start to the end of its last whole
    line. Not so where a tag or a comment the view without tags removes runs over a line break,
    in the file or in what is left of it (outputs.lines_read_alone): then, as for a file that is
    not a text of its own (a container), the whole is scanned."""
    if not is_text(data) or not lines_read_alone(data):
        return None
    pieces, pos = [], 0
    for start, end in spans:
        if start < pos or end > len(data) or (start and data[start - 1] != NEWLINE):
            return None
        end = data.rfind(b"\n", start, end) + 1
        if end > start:
            pieces.append(data[pos:start])
            pos = end
    pieces.append(data[pos:])
    rest = b"".join(pieces)
    return rest if lines_read_alone(rest) else None


def _findings(parts: Iterable[Readable | Unreadable], allowed: set[str], copied: bool) -> list[Finding]:
    found: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for part in parts:
        if isinstance(part, Unreadable):
            if not copied:
                found.append(
                    Finding(
                        "SEC015",
                        part.name,
                        1,
                        f"生成的输出文件无法审查：{part.reason}，已中止生成",
                        "检查模板或插件为何生成了这个文件；输出中只能有文本、图片和字体文件。",
                    )
                )
            continue
        texts = part.texts
        if part.whole is not None:  # blocks of a long text: read whole again only for a hit's line and excerpt
            if not any(hit.allow_key not in allowed for block in texts for hit in hits(block)):
                continue
            texts = part.whole()
        for text in texts:
            for hit in hits(text):
                key = (hit.rule, hit.allow_key)
                if hit.allow_key in allowed or key in seen:
                    continue
                seen.add(key)
                found.append(
                    Finding(
                        hit.rule,
                        part.name,
                        text.count("\n", 0, hit.start) + 1,
                        f"生成的输出中{hit.message}，已中止生成，上一次的输出保持不变",
                        excerpt=hit.excerpt,
                    )
                )
            del text  # let go before the next copy of the file's text is made (outputs.read)
    return found


def scan_output(
    root: Path,
    label: str,
    allowed: set[str],
    copied: Iterable[str] = (),
    trusted: Iterable[str] = (),
    workers: int | Executor = 1,
    listed: Iterable[str] | None = None,
    spans: Mapping[str, Spans] | None = None,
) -> list[Finding]:
    """Findings for every marking or personal datum in the files under `root`; `label` names
    the output folder in the findings' file paths; `copied` are output paths of attachments
    copied unchanged from the records (read at the source, so an unreadable one is no finding);
    `trusted` are files the previous output held byte for byte, scanned by the build that made them.
    The files are read on `workers` processes (or a cluster's workers, from the shared folder).
    `listed`: the files under `root`, in any order, when the caller knows them; each is read in
    files_under's order either way (so are the findings). `spans`: the byte ranges of files
    written anew that were copied from the previous output's (scan_file)."""
    copies, skip, parts = set(copied), set(trusted), spans or {}
    if listed is None:
        paths = [rel for rel in files_under(root) if rel not in skip]
    else:
        paths = sorted(set(listed).difference(skip), key=in_tree_order)

    def scan_one(rel: str) -> list[Finding]:
        return scan_file(root / rel, f"{label}/{rel}", allowed, rel in copies, parts.get(rel, ()))

    def shipped(rel: str) -> tuple[str, bool, Spans]:
        return rel, rel in copies, parts.get(rel, ())

    work = Work(scan_one, partial(scan_files, root, label, frozenset(allowed)), shipped)
    with progress.bar("审查输出文件", len(paths)) as advance:
        return [finding for found in of(workers).map(work, paths, advance) for finding in found]


def scan_files(
    root: Path, label: str, allowed: frozenset[str], site: SiteRef, files: list[tuple[str, bool, Spans]]
) -> list[list[Finding]]:
    """scan_file for each (path under `root`, copied, spans) of `files`: a cluster worker's unit."""
    wanted = set(allowed)
    return [scan_file(root / rel, f"{label}/{rel}", wanted, copied, spans) for rel, copied, spans in files]


def guard(
    root: Path,
    label: str,
    allowed: set[str],
    copied: Iterable[str] = (),
    trusted: Iterable[str] = (),
    workers: int | Executor = 1,
    listed: Iterable[str] | None = None,
    spans: Mapping[str, Spans] | None = None,
) -> None:
    """Raise LeakFound when the output under `root` holds a marking or personal datum."""
    leaks = scan_output(root, label, allowed, copied, trusted, workers, listed, spans)
    if leaks:
        raise LeakFound(leaks)
