"""Identifiers: 统一社会信用代码 (GB 32100) and 索引号 (<uscc>/<year>-<serial>)."""

from __future__ import annotations

import re
from functools import lru_cache

from stdnum.cn import uscc as _uscc

# GB 32100-2015: registration authority, organisation type, 6-digit region, 9-character
# organisation code, check character. python-stdnum's validate() insists on digits in the
# first eight places and so rejects valid codes of bodies registered by letter-coded
# authorities (e.g. A, N, Y); only its check-character arithmetic is used here.
USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
# ASCII digits only: \d would also take full-width (２０２６) and Arabic-Indic (٢٠٢٦) digits. At most
# SERIAL_MAX digits: the serial names the record's page, and a file name has room for only so many.
SERIAL_MAX = 10
INDEX_NO = re.compile(r"^(?P<uscc>[0-9A-Z]{18})/(?P<year>[0-9]{4})-(?P<serial>[0-9]{5,%d})$" % SERIAL_MAX, re.ASCII)


@lru_cache(maxsize=4096)  # a department's every 索引号 repeats its code
def uscc_valid(code: str) -> bool:
    code = code.strip().upper()
    return bool(USCC_SHAPE.match(code)) and _uscc.calc_check_digit(code[:17]) == code[17]


def parse_index_no(value: str) -> re.Match[str] | None:
    return INDEX_NO.match(value.strip())


def non_ascii_digit(value: str) -> str | None:
    """The first digit in `value` that is not 0–9 (full-width ３, Arabic-Indic ٣ …), else None."""
    if value.isascii():  # nearly every 索引号: its only digits are 0–9
        return None
    return next((c for c in value if c.isdigit() and not ("0" <= c <= "9")), None)


def index_key(match: re.Match[str]) -> str:
    """What makes two index numbers the same: 统一社会信用代码, year and the serial as a number,
    so 2026-00901 and 2026-0000901 are one number written twice."""
    return f"{match['uscc']}/{int(match['year']):04d}-{int(match['serial'])}"
