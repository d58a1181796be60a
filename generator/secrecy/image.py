"""Image attachments with Pillow: no text anyone can check (SEC015), EXIF that identifies a
person or a place (SEC012), and the text an image file carries unseen — EXIF descriptions,
titles, comments and keywords, PNG text chunks, a JPEG or GIF comment, XMP — which is scanned
like an attachment's properties."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from PIL import ExifTags, Image

from .extract import Extract, tagless

PEOPLE = {ExifTags.Base.Artist: "作者", ExifTags.Base.XPAuthor: "作者"}
# The EXIF tags that hold text, by the name a finding gives them (XP… are Windows' 属性 → 详细信息).
TEXTS = {
    ExifTags.Base.ImageDescription: "图片说明",
    ExifTags.Base.Artist: "作者",
    ExifTags.Base.Copyright: "版权",
    ExifTags.Base.XPTitle: "标题",
    ExifTags.Base.XPSubject: "主题",
    ExifTags.Base.XPComment: "备注",
    ExifTags.Base.XPKeywords: "标记",
    ExifTags.Base.XPAuthor: "作者",
}
USER_COMMENT = ExifTags.Base.UserComment  # in the Exif IFD, after an 8-byte character-code header


def _exif_text(value: object) -> str:
    """An EXIF value as text: the XP… tags are UTF-16 (little-endian) bytes, the rest ASCII or UTF-8."""
    if isinstance(value, bytes):
        value = value.decode("utf-16-le", errors="ignore").rstrip("\x00")
    return " ".join(str(value).split()) if value else ""


def _user_comment(value: object) -> str:
    if not isinstance(value, bytes) or len(value) < 8:
        return _exif_text(value)
    code, text = value[:8], value[8:]
    encoding = "utf-16-le" if code.startswith(b"UNICODE") else "utf-8"
    return " ".join(text.decode(encoding, errors="ignore").replace("\x00", " ").split())


def _info_text(value: object) -> str:
    """A text chunk, a comment or XMP as one line (extract.tagless)."""
    return tagless(value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value))


def read_image(source: Path | IO[bytes]) -> Extract:
    found = Extract()
    with Image.open(source) as image:
        exif = image.getexif()
        # as read with the header: PNG text chunks (tEXt, zTXt, iTXt) come as texts, a comment
        # and XMP as bytes (`image.text` would decode the whole picture for chunks after it)
        info = dict(image.info)
    if exif.get_ifd(ExifTags.IFD.GPSInfo):
        found.metadata.append(("GPS 位置", "图片含拍摄地点坐标"))
    for tag, label in PEOPLE.items():
        value = _exif_text(exif.get(tag))
        if value:
            found.metadata.append((label, value))
    texts = [(label, _exif_text(exif.get(tag))) for tag, label in TEXTS.items()]
    texts.append(("用户注释", _user_comment(exif.get_ifd(ExifTags.IFD.Exif).get(USER_COMMENT))))
    named = {"comment": "注释", "xmp": "XMP 元数据"}
    texts.extend(
        (named.get(str(key), f"文字块 {key}"), _info_text(value))
        for key, value in info.items()
        if str(key) in named or isinstance(value, str)
    )
    found.add_properties([(label, text) for label, text in texts if text])
    return found
