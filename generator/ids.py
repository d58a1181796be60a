"""Identifiers: 统一社会信用代码 (GB 32100) and 索引号 (<uscc>/<year>-<serial>)."""

from __future__ import annotations

import re

from stdnum.cn import uscc as _uscc

# GB 32100-2015: registration authority, organisation type, 6-digit region, 9-character
# organisation code, check character. python-stdnum's validate() insists on digits in the
# first eight places and so rejects valid codes of bodies registered by letter-coded
# authorities (e.g. A, N, Y); only its check-character arithmetic is used here.
USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
INDEX_NO = re.compile(r"^(?P<uscc>[0-9A-Z]{18})/(?P<year>\d{4})-(?P<serial>\d{5,})$")


def uscc_valid(code: str) -> bool:
    code = code.strip().upper()
    return bool(USCC_SHAPE.match(code)) and _uscc.calc_check_digit(code[:17]) == code[17]


def parse_index_no(value: str) -> re.Match[str] | None:
    return INDEX_NO.match(value.strip())
