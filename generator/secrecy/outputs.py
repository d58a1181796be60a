"""What a published file says: every output file read by its content, not by its name.

HTML, XML, JSON, CSV, JavaScript and text are read twice: as written (attribute values,
scripts) and as a reader sees them, with inline tags closed up (`139<b>1234</b>5678` is one
number) and block tags as line breaks. gzip files (Pagefind's index, meta, filter and
fragment files included) are decompressed, zip containers (.docx, .xlsx) opened member by
member; a Word paragraph reads as the text of its runs joined. Images and fonts are known
not to carry text; anything else that is not UTF-8 text cannot be vouched for.
"""

from __future__ import annotations

import gzip
import html
import io
import re
import zipfile
from dataclasses import dataclass
from functools import partial
from itertools import chain
from typing import Callable, Iterable, Iterator

MAX_INFLATED = 256 * 1024 * 1024  # a decompressed file larger than this is refused, not read
MAX_DEPTH = 3  # containers inside containers
BLOCK = 1 << 20  # characters: a longer text (a site-wide export) is read in blocks of whole lines
IMAGE_OR_FONT = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"\x00\x00\x01\x00",  # PNG JPEG GIF ICO
    b"BM",
    b"II*\x00",
    b"MM\x00*",
    b"wOFF",
    b"wOF2",
    b"\x00\x01\x00\x00",
    b"OTTO",
    b"true",  # BMP TIFF fonts
)
GZIP, ZIP = b"\x1f\x8b", (b"PK\x03\x04", b"PK\x05\x06")
WASM = b"\x00asm"  # the search runtime's WebAssembly: read as text like the rest
PAGEFIND = b"pagefind_dcd"  # Pagefind's data files, after gzip
INLINE_TAGS = {
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "cite",
    "code",
    "data",
    "del",
    "dfn",
    "em",
    "font",
    "i",
    "ins",
    "kbd",
    "mark",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
    "var",
    "wbr",
    "r",
    "t",
    "rpr",
    "rfont",
    "sz",
    "color",
    "family",
    "scheme",
    "vertalign",
    "strike",  # spreadsheet runs
}
_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)[^>]*>|<!--.*?-->|<!\[CDATA\[|\]\]>|<![^>]*>|<\?[^>]*\?>", re.DOTALL)
_WORD_PARAGRAPH = re.compile(r"<w:p[\s>].*?</w:p>|<w:p/>", re.DOTALL)
_WORD_TEXT = re.compile(r"<w:(?:t|delText|instrText)(?:\s[^>]*)?>([^<]*)</w:(?:t|delText|instrText)>")


@dataclass
class Readable:
    """`texts` are made one at a time, as they are scanned: a site-wide export is 100 MB and more.
    A text longer than BLOCK comes in blocks of whole lines, each with only a few megabytes of
    copies; a scan's hit lies in one line (cleanlines.py), so the blocks are clean exactly when
    the whole is. Then `whole` gives the texts whole, for a hit's line and excerpt."""

    name: str  # the file, or file!member inside a container
    texts: Iterable[str]
    whole: Callable[[], Iterable[str]] | None = None  # set when `texts` are blocks


@dataclass
class Unreadable:
    name: str
    reason: str  # in Chinese


class _Closing(dict[str | None, str]):
    """A tag's name as written (None: a comment, CDATA, a declaration) → what the tag becomes:
    nothing for an inline tag, a line break for any other. A page repeats few names."""

    def __missing__(self, name: str | None) -> str:
        kind = "" if (name or "").rsplit(":", 1)[-1].lower() in INLINE_TAGS else "\n"
        if len(self) < 4096:
            self[name] = kind
        return kind


_CLOSING = _Closing()


def _untagged(markup: str) -> str:
    # split, not sub with a function: a page has hundreds of tags, and this makes no call per tag
    pieces = _TAG.split(markup)  # text, then each tag's two groups and the text after it
    texts = pieces[::3]
    between = map(_CLOSING.__getitem__, pieces[2::3])
    return html.unescape("".join(chain.from_iterable(zip(texts, between))) + texts[-1])


def _word_text(xml: str) -> str:
    paragraphs = (_WORD_TEXT.findall(p) for p in _WORD_PARAGRAPH.findall(xml))
    return html.unescape("\n".join("".join(runs) for runs in paragraphs))


def _texts_of(text: str) -> Iterator[str]:
    yield html.unescape(text)
    if "<" in text:  # made once the unescaped text is scanned (and let go: published.scan_file)
        yield _word_text(text) if "<w:p" in text else _untagged(text)


def _blocks_of(text: str, size: int) -> Iterator[str]:
    """The texts of _texts_of (not a Word part's), each in blocks of whole lines. A block ends
    with a line break, and no entity holds one, so each unescapes as it does in the whole text.
    The untagged text leaves out its lines that hold no tag: they read as written, scanned before."""
    yield from map(html.unescape, _in_lines(_slices(text, 0, len(text), size), size))
    if "<" in text:
        yield from map(html.unescape, _in_lines(_untagged_pieces(text, size), size))


def _untagged_pieces(markup: str, size: int) -> Iterator[str]:
    """What _untagged joins before it unescapes, less the whole lines between two tags. The tags
    are found in the whole text (a tag or a comment may span lines), so the pieces are the same
    wherever the blocks are cut."""
    pos = 0
    for tag in _TAG.finditer(markup):
        yield from _edges(markup, pos, tag.start(), size)
        yield _CLOSING[tag.group(2)]
        pos = tag.end()
    yield from _edges(markup, pos, len(markup), size)


def _edges(text: str, start: int, end: int, size: int) -> Iterator[str]:
    """text[start:end] without the whole lines inside it: up to its first line break, and after its last."""
    first, last = text.find("\n", start, end), text.rfind("\n", start, end)
    if first == last:  # no whole line inside
        yield from _slices(text, start, end, size)
    else:
        yield from _slices(text, start, first + 1, size)
        yield from _slices(text, last + 1, end, size)


def _slices(text: str, start: int, end: int, size: int) -> Iterator[str]:
    while end - start > size:
        yield text[start : start + size]
        start += size
    yield text[start:end]


def _in_lines(pieces: Iterable[str], size: int) -> Iterator[str]:
    """The text of `pieces` joined, cut after a line break once a block holds `size` characters
    (a line longer than that stays whole)."""
    held: list[str] = []
    length = 0
    for piece in pieces:
        held.append(piece)
        length += len(piece)
        if length >= size and "\n" in piece:
            block = "".join(held)
            cut = block.rindex("\n") + 1
            yield block[:cut]
            held, length = [block[cut:]], len(block) - cut
    yield "".join(held)


def _inflate(data: bytes) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
        inflated = stream.read(MAX_INFLATED + 1)
    if len(inflated) > MAX_INFLATED:
        raise ValueError("解压后超过大小上限")
    return inflated


def read(name: str, data: bytes, depth: int = 0) -> Iterator[Readable | Unreadable]:
    """Every text in `data` (a file of the output, or a member of one), or why it cannot be read."""
    if depth > MAX_DEPTH:
        yield Unreadable(name, "压缩层数过多")
        return
    if data.startswith(GZIP):
        try:
            inflated = _inflate(data)
        except (OSError, EOFError, ValueError) as exc:
            yield Unreadable(name, f"gzip 文件无法解压（{exc}）")
            return
        yield from read(name, inflated, depth + 1)
    elif data.startswith(ZIP):
        yield from _read_zip(name, data, depth)
    elif _image_or_font(data):
        return
    elif data.startswith((PAGEFIND, WASM)):
        yield Readable(name, [data.decode("utf-8", errors="replace")])
    else:
        yield from read_text(name, data)


_TAG_BYTES = re.compile(_TAG.pattern.encode("ascii"), re.DOTALL)  # the same spans: each byte it names is ASCII


def lines_read_alone(data: bytes) -> bool:
    """Whether each line of the text `data` reads in every view as it does alone: no tag or comment
    the view without tags removes runs over a line break (a '<' in a title, as in 《关于印发<…>的通知》,
    starts none), and it is no Word part, whose paragraphs are read joined."""
    if b"<" not in data:
        return True
    return b"<w:p" not in data and not any(b"\n" in tag.group() for tag in _TAG_BYTES.finditer(data))


def is_text(data: bytes) -> bool:
    """Whether `read` takes `data` as a text of its own (not a container, an image or a font)."""
    return not data.startswith((GZIP, *ZIP, PAGEFIND, WASM)) and not _image_or_font(data)


def _image_or_font(data: bytes) -> bool:
    return data.startswith(IMAGE_OR_FONT) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def read_text(name: str, data: bytes) -> Iterator[Readable | Unreadable]:
    """The text `data` (is_text), or why it cannot be read."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        yield Unreadable(name, "不是可审查的文本、图片或字体文件")
        return
    del data  # the bytes go before the text's copies are made (the caller holds none: scan_file)
    if len(text) > BLOCK and "<w:p" not in text:
        yield Readable(name, _blocks_of(text, BLOCK), partial(_texts_of, text))
    else:
        yield Readable(name, _texts_of(text))


def _read_zip(name: str, data: bytes, depth: int) -> Iterator[Readable | Unreadable]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = 0
            for info in archive.infolist():
                if info.is_dir():
                    continue
                total += info.file_size
                if total > MAX_INFLATED:
                    yield Unreadable(name, "zip 解压后超过大小上限")
                    return
                yield from read(f"{name}!{info.filename}", archive.read(info), depth + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        yield Unreadable(name, f"zip 容器无法打开（{exc}）")
