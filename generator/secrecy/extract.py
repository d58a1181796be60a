"""What an attachment holds, as the secrecy check needs it: every text in the file
(hidden or not), the hidden parts (SEC014) and the identifying metadata (SEC012).
The guards of untrusted Office files are in generator/officefiles.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..officefiles import Unreadable, broken, check_zip, parse_xml

__all__ = ["Extract", "Unreadable", "broken", "check_zip", "parse_xml"]


@dataclass
class Extract:
    text: str = ""  # all text the file holds, visible or hidden
    hidden: list[str] = field(default_factory=list)  # SEC014: what is hidden, in Chinese
    metadata: list[tuple[str, str]] = field(default_factory=list)  # SEC012: (label, value)

    @property
    def readable(self) -> bool:
        return bool(self.text.strip())
