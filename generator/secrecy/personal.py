"""Personal data (SEC008), found by validation rather than by shape alone.

- a resident ID number: 18 characters whose ISO 7064 MOD 11-2 check holds and whose
  birth date is a real date not in the future (the region is not required: python-stdnum's
  region table is incomplete);
- a bank card number: 16–19 digits passing Luhn, not shaped like an ID number;
- a mobile number: 11 digits with a current 1[3-9] prefix, standing alone.

Every candidate must stand alone (no letter or digit touching it), so numbers inside
longer runs, 统一社会信用代码 (letters, or a valid GB 32100 check) and index numbers never
fire; masked forms (`530***********1234`, `138****5678`) contain no digit run to match.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterator

from stdnum import luhn
from stdnum.cn import ric
from stdnum.exceptions import ValidationError
from stdnum.iso7064 import mod_11_2

from .. import ids
from .matches import Match, mask

# Each pattern begins with the character it needs first (a digit; + or 1), so the regex engine skips
# to one in C; that no letter or digit stands just before it is then checked looking back from there
# (`\d(?<!X\d)` is `(?<!X)\d`, only quicker to search).
_TOUCHING, _ALONE_AFTER = "[0-9A-Za-z*]", r"(?![0-9A-Za-z*/])"
RESIDENT_ID = re.compile(rf"\d(?<!{_TOUCHING}\d)\d{{16}}[\dXx]" + _ALONE_AFTER)
BANK_CARD = re.compile(
    rf"\d(?<!{_TOUCHING}\d)(?:\d{{15,18}}|\d{{3}}(?:[ -]\d{{4}}){{3}}(?:[ -]?\d{{1,3}})?)" + _ALONE_AFTER
)
MOBILE = re.compile(
    rf"(?:\+(?<!{_TOUCHING}\+)86[ -]?1|1(?<!{_TOUCHING}1))[3-9]\d(?:\d{{8}}|-\d{{4}}-\d{{4}}| \d{{4}} \d{{4}})"
    + _ALONE_AFTER
)
EARLIEST_BIRTH = dt.date(1900, 1, 1)
# every pattern above holds one; written with one leading run of three digits it is six times quicker
# to rule out (the texts scanned are folded: every digit is ASCII), and with that run begun by a single
# [0-9] twice as quick again: the engine then skips to a digit in C (a repeat first, [0-9]{3}, it tries
# at every character: 18 µs a record's body, against 8)
CANDIDATE = re.compile(r"[0-9][0-9]{2}(?:[0-9]{8}|[ -][0-9]{4}[ -][0-9]{4}|[0-9][ -][0-9]{4}[ -][0-9]{4})")


def birth_date(number: str) -> dt.date | None:
    try:
        return ric.get_birth_date(number)
    except (ValidationError, ValueError):
        return None


def is_resident_id(number: str) -> bool:
    number = number.upper()
    born = birth_date(number)
    if born is None or not EARLIEST_BIRTH <= born <= dt.date.today():
        return False
    return mod_11_2.is_valid(number) and not ids.uscc_valid(number)


def is_bank_card(number: str) -> bool:
    digits = re.sub(r"[ -]", "", number)
    if len(digits) == 18 and (birth_date(digits) is not None or ids.uscc_valid(digits)):
        return False  # an ID number whose check failed, or an organisation's 统一社会信用代码
    return luhn.is_valid(digits)


def personal_data(text: str) -> Iterator[Match]:
    if not CANDIDATE.search(text):
        return
    taken: list[tuple[int, int]] = []
    for m in RESIDENT_ID.finditer(text):
        if is_resident_id(m.group()):
            taken.append(m.span())
            yield Match(
                "SEC008", m.start(), m.end(), m.group(), mask(m.group()), "出现有效的居民身份证号码", "resident_id"
            )
    for m in BANK_CARD.finditer(text):
        if is_bank_card(m.group()) and not _overlaps(m.span(), taken):
            taken.append(m.span())
            yield Match(
                "SEC008", m.start(), m.end(), m.group(), mask(m.group()), "出现通过 Luhn 校验的银行卡号", "bank_card"
            )
    for m in MOBILE.finditer(text):
        if not _overlaps(m.span(), taken):
            yield Match("SEC008", m.start(), m.end(), m.group(), mask(m.group()), "出现手机号码", "mobile")


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)
