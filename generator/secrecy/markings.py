"""Markings that must never be published: secrecy markings (SEC006), internal markings
(SEC007), distribution and publicity notes (SEC016: 此件不予公开/不公开/依申请公开/删减后公开/
脱密后公开, 免予公开, 不得翻印, 发至…级, 份号), the site's own sensitive terms (SEC009) and
process documents in a 主动公开 title (SEC017).

Markings are matched as markings, not as words: `机密★5年` and `密级：秘密` fire,
`商业秘密的保护` and `涉及国家秘密、个人隐私` do not.
"""

from __future__ import annotations

import re
from itertools import chain
from typing import Iterator

from .matches import Match

_SP = r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]*"
_OPENING, _CLOSE = "【〔[（(", r"[】〕\]）)]"
_PERIOD = r"(?:\d+" + _SP + r"(?:年|个月|月|天|日)|长期)"

_LEVEL = r"(?:绝密|机密|秘密|国家秘密)"
# 机密★5年, 秘密★1年, 绝密★长期; 密级：秘密; 【国家秘密】（国家秘密）. Written so that every alternative
# begins with one character (as many alternatives as words and brackets): the regex engine then
# skips in C to the places one of them stands, instead of trying the pattern at every character.
SECRECY_MARKING = re.compile(
    "|".join(
        [level + _SP + "★" + _SP + _PERIOD + "?" for level in ("绝密", "机密", "秘密", "国家秘密")]
        + ["密级" + _SP + r"[：:]" + _SP + _LEVEL]
        + [re.escape(bracket) + _SP + "国家秘密" + _SP + _CLOSE for bracket in _OPENING]
    )
)
# 国家秘密 alone on a line or in a table cell (a separate pattern: anchors slow the one above). Its
# anchors give the engine no character to skip to, so it is run only on the lines that hold the words.
STANDING_ALONE = re.compile(r"(?:^|(?<=[\t|]))" + _SP + "国家秘密" + _SP + r"(?=$|[\t|])", re.MULTILINE)

INTERNAL_MARKING = re.compile(r"内部资料|内部使用|注意保存|请勿外传|不得外传|密码电报|领导批示|批示[：:]|签发人[：:]")

# 份号: the six-digit copy number printed above the secrecy marking (GB/T 9704), or the word
# 份号 within a few characters of a marking.
_NEAR = 30
DISTRIBUTION_NOTE = re.compile(
    r"此件(?:不予公开|不公开|依申请公开|删减后公开|脱密后公开)|免予公开|不得翻印"
    r"|发至(?!各)[\u4e00-\u9fff]{1,3}级"
)
COPY_NUMBER_LINE = re.compile(r"^" + _SP + r"\d{6}" + _SP + r"\n" + _SP + r"(?=(?:绝密|机密|秘密))", re.MULTILINE)
# where a line begins with a secrecy level: the line above is the only one COPY_NUMBER_LINE can match
# (looked for from the line break, which the engine skips to quickly; the anchor ^ gives it nothing)
_LEVEL_LINE = re.compile(r"\n" + _SP + r"(?=(?:绝密|机密|秘密))")
COPY_NUMBER = re.compile("份号")

PROCESS_TITLE = re.compile(r"征求意见稿|讨论稿|送审稿|会议纪要|的请示|请示$")


def secrecy_markings(text: str) -> Iterator[Match]:
    if "★" not in text and "密级" not in text and "国家秘密" not in text:  # every marking holds one
        return
    found = list(SECRECY_MARKING.finditer(text))
    if "国家秘密" in text:
        found = sorted(found + list(_standing_alone(text)), key=lambda m: m.start())
    for m in found:
        raw = m.group().strip()
        start = m.start() + m.group().index(raw)
        yield Match("SEC006", start, start + len(raw), raw, raw, f"出现密级标志“{raw}”")


def _lines_holding(text: str, words: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of `text` that holds `words`, in order, the line break left out."""
    at = text.find(words)
    while at >= 0:
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        yield text.rfind("\n", 0, at) + 1, end
        at = text.find(words, end)


def _standing_alone(text: str) -> Iterator[re.Match[str]]:
    """What STANDING_ALONE finds in `text`: it matches within a line, and the search of a line
    (`pos`, `endpos`) still sees its anchors and the characters around it."""
    for start, end in _lines_holding(text, "国家秘密"):
        yield from STANDING_ALONE.finditer(text, start, end)


def _copy_number_lines(text: str) -> Iterator[re.Match[str]]:
    """What COPY_NUMBER_LINE finds in `text`: a match ends where a line begins with a secrecy level,
    and begins where the line above does."""
    for level in _LEVEL_LINE.finditer(text):
        found = COPY_NUMBER_LINE.match(text, text.rfind("\n", 0, level.start()) + 1)
        if found is not None:
            yield found


def internal_markings(text: str) -> Iterator[Match]:
    for m in INTERNAL_MARKING.finditer(text):
        yield Match("SEC007", m.start(), m.end(), m.group(), m.group(), f"出现内部标志“{m.group()}”")


def distribution_notes(text: str) -> Iterator[Match]:
    marked = "绝密" in text or "机密" in text or "秘密" in text  # what a copy number line must stand above
    copy_numbers = _copy_number_lines(text) if marked else iter(())
    for m in chain(DISTRIBUTION_NOTE.finditer(text), copy_numbers):
        raw = m.group().strip()
        start = m.start() + m.group().index(raw)
        label = f"份号 {raw}（位于密级标志之上）" if raw.isdigit() else raw
        yield Match("SEC016", start, start + len(raw), raw, raw, f"出现分发或公开属性附注“{label}”")
    for m in COPY_NUMBER.finditer(text) if "密" in text else ():
        near = text[max(0, m.start() - _NEAR) : m.end() + _NEAR]
        if SECRECY_MARKING.search(near):
            yield Match("SEC016", m.start(), m.end(), m.group(), m.group(), "密级标志旁出现份号")


def sensitive_terms(text: str, terms: list[str]) -> Iterator[Match]:
    for term in terms:
        if not term:
            continue
        start = text.find(term)
        while start >= 0:
            yield Match("SEC009", start, start + len(term), term, term, f"出现敏感词“{term}”")
            start = text.find(term, start + len(term))


def process_title(title: str) -> Iterator[Match]:
    for m in PROCESS_TITLE.finditer(title):
        yield Match(
            "SEC017",
            m.start(),
            m.end(),
            m.group(),
            m.group(),
            f"主动公开记录的标题含“{m.group().lstrip('的')}”，可能属于过程性信息",
        )
