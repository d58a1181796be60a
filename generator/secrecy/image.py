"""Image attachments with Pillow: no text anyone can check (SEC015), and EXIF that
identifies a person or a place (SEC012)."""

from __future__ import annotations

from pathlib import Path

from PIL import ExifTags, Image

from .extract import Extract

PEOPLE = {ExifTags.Base.Artist: "作者", ExifTags.Base.XPAuthor: "作者"}


def read_image(path: Path) -> Extract:
    found = Extract()
    with Image.open(path) as image:
        exif = image.getexif()
    if exif.get_ifd(ExifTags.IFD.GPSInfo):
        found.metadata.append(("GPS 位置", "图片含拍摄地点坐标"))
    for tag, label in PEOPLE.items():
        value = exif.get(tag)
        if isinstance(value, bytes):
            value = value.decode("utf-16-le", errors="ignore").rstrip("\x00")
        if value and str(value).strip():
            found.metadata.append((label, str(value).strip()))
    return found
