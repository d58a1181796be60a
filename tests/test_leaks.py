"""The leak guarantee: canaries planted in every place non-public text can hide, for every
公开属性, never appear in any file of the build output — searched raw, inside gzip files
and inside zip containers (.docx, .xlsx). Public canaries must appear, so the search works."""

from __future__ import annotations

import gzip
import io
import re
import zipfile
from pathlib import Path
from typing import Callable, Iterator

from conftest import DEPT_USCC, record_text, run_cli
from office_files import docx_bytes, pdf_bytes, xlsx_bytes

MakeSite = Callable[..., Path]
REVIEW = "{drafter: 李QZXDRAFTER, opinion: 主动公开, checker: 王QZXCHECKER, approver: 赵QZXAPPROVER, approved_on: 2026-11-03}"
SIGNOFF = (
    "[{rule: SEC007, fingerprint: 0123456789abcdef, reviewers: [王芳, 赵刚], date: 2026-11-20, reason: QZXSIGNOFF}]"
)

# Canaries that must appear (the positive controls) and those that must never appear.
PUBLIC = ("QZXPUBLICBODY", "QZXPUBLICATTACH", "QZXREQUESTTITLE", "QZXREDACTEDBODY", "QZXDECLASSBODY")


def _files(name: str, tag: str) -> dict[str, bytes]:
    folder = f"content/d1/{name}.files/"
    return {
        folder + f"{tag}FILE.docx": docx_bytes(f"{tag}DOCX"),
        folder + "b.xlsx": xlsx_bytes([["编号", f"{tag}XLSX"]]),
        folder + "c.pdf": pdf_bytes(f"{tag}PDF"),
    }


def _attachments(tag: str) -> str:
    return f"[{tag}FILE.docx, b.xlsx, c.pdf]"


CANARY = re.compile(rb"QZX[A-Z0-9]+")
ZERO_WIDTH_SPACE = "\u200b".encode()


def leak_site(make_site: MakeSite) -> tuple[Path, set[str]]:
    """The site, and every canary planted in it (read back from the files as written)."""
    records = {
        "pub": record_text(
            "公开正文 QZXPUBLICBODY",
            index_no=f"{DEPT_USCC}/2026-00001",
            review=REVIEW,
            withhold_reason="QZXREASONPUBLIC",
            signoffs=SIGNOFF,
            attachments="[pub.docx]",
        ),
        "req": record_text(
            "依申请正文 QZXREQUESTBODY",
            index_no=f"{DEPT_USCC}/2026-00002",
            review=REVIEW.replace("opinion: 主动公开", "opinion: 依申请公开"),
            title="关于QZXREQUESTTITLE的通知",
            publicity="依申请公开",
            published=None,
            summary="QZXREQUESTSUMMARY",
            keywords="[QZXREQUESTKEYWORD]",
            withhold_reason="《条例》第二十七条 QZXREASONREQUEST",
            signoffs=SIGNOFF,
            attachments=_attachments("QZXREQUEST"),
        ),
        "secret": record_text(
            "不予公开正文 QZXSECRETBODY",
            index_no=f"{DEPT_USCC}/2026-00003",
            review=None,
            title="关于QZXSECRETTITLE的报告",
            publicity="不予公开",
            published=None,
            doc_no="QZXSECRETDOCNO〔2026〕1号",
            summary="QZXSECRETSUMMARY",
            keywords="[QZXSECRETKEYWORD]",
            withhold_reason="《条例》第十四条 QZXREASONSECRET",
            attachments=_attachments("QZXSECRET"),
        ),
        "redacted": record_text(
            "名单：［已删减：涉及个人隐私］ QZXREDACTEDBODY",
            index_no=f"{DEPT_USCC}/2026-00004",
            review=REVIEW,
            publicity="删减后公开",
            withhold_reason="《条例》第三十七条 QZXREASONREDACTED",
        ),
        "declass": record_text(
            "解密正文 QZXDECLASSBODY",
            index_no=f"{DEPT_USCC}/2026-00005",
            review=REVIEW,
            publicity="脱密后公开",
            withhold_reason="QZXREASONDECLASS",
            declassified="{approver: 赵刚, date: 2026-11-01, basis: 保密期限届满}",
        ),
    }
    files: dict[str, str | bytes] = {f"content/d1/{name}.md": text for name, text in records.items()}
    files["content/d1/pub.files/pub.docx"] = docx_bytes("公开附件 QZXPUBLICATTACH")
    files.update(_files("req", "QZXREQUEST"))
    files.update(_files("secret", "QZXSECRET"))
    files["content/d1/applications/2025.csv"] = (
        "id,received,applicant,result,closed,extended,reconsideration,litigation\n"
        "QZXREGISTER1,2025-03-01,自然人,予以公开,2025-03-10,,,\n"
        "QZXREGISTER2,2025-04-01,商业企业,不予公开/属于国家秘密,2025-04-20,是,维持,\n"
    )
    planted = {
        token.decode()
        for data in files.values()
        for blob in contents(data if isinstance(data, bytes) else data.encode())
        for token in CANARY.findall(blob)
    }
    return make_site(files), planted


def contents(data: bytes, depth: int = 0) -> Iterator[bytes]:
    """The bytes of a file and of everything compressed inside it."""
    yield data
    if depth > 3:
        return
    if data[:2] == b"\x1f\x8b":
        yield from contents(gzip.decompress(data), depth + 1)
    elif data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                yield member.encode()
                yield from contents(archive.read(member), depth + 1)


def found_in(out: Path, canaries: set[str]) -> set[str]:
    """The canaries that occur in the output: in file paths, contents and compressed contents."""
    seen: set[str] = set()
    for path in out.rglob("*"):
        blobs = [path.relative_to(out).as_posix().encode()]
        if path.is_file():
            blobs.extend(contents(path.read_bytes()))
        for blob in blobs:
            upper = blob.replace(ZERO_WIDTH_SPACE, b"").upper()  # Pagefind puts U+200B between words
            seen.update(c for c in canaries if c.encode() in upper)
    return seen


def test_no_canary_of_non_public_text_reaches_the_output(make_site: MakeSite) -> None:
    site, planted = leak_site(make_site)
    assert len(planted) > 20 and set(PUBLIC) <= planted
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    seen = found_in(site / "build", planted)
    assert set(PUBLIC) <= seen, f"the search missed public text: {set(PUBLIC) - seen}"
    assert seen - set(PUBLIC) == set()


def test_the_search_looks_inside_gzip_and_zip(tmp_path: Path) -> None:
    (tmp_path / "index.json.gz").write_bytes(gzip.compress(b'{"t": "QZXINGZIP"}'))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", gzip.compress(b"QZXINZIP"))
    (tmp_path / "a.docx").write_bytes(buffer.getvalue())
    assert found_in(tmp_path, {"QZXINGZIP", "QZXINZIP", "QZXNOWHERE"}) == {"QZXINGZIP", "QZXINZIP"}
