"""Careless and hostile input: a finding with its rule, file and line — never a traceback (exit 3),
a hang or a build that eats the memory (issue 12).

Far-future dates are dates like any other (the calendar answers up to 9999-12-31); what a file, a
value, a register cell or an attachment may hold is bounded by site.yaml `limits`; a damaged or
disguised Office file is said to be one; links that loop, index serials too long for a file name,
attachment paths that are not plain names, a declassification without a real date are findings;
a full disk or a folder without permission is a Chinese message and exit 2.
"""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Callable

import pytest

from conftest import DEPT_USCC, REPO, SITE_YAML, record_text, run_cli, tree_hash
from generator import output
from generator.search.bundle import PEAK
from office_files import docx_bytes, xlsx_bytes

MakeSite = Callable[..., Path]
REGISTER_HEAD = "id,received,applicant,result,closed\n"


def check(site: Path, *extra: str) -> list[dict[str, object]]:
    result = run_cli("check", "--site", site, "--format", "json", *extra)
    assert result.code in (0, 1), result.err
    return json.loads(result.out)


def of(found: list[dict[str, object]], rule: str) -> list[dict[str, object]]:
    return [f for f in found if f["rule"] == rule]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def no_crash(site: Path) -> list[dict[str, object]]:
    """check and build both end with 0 or 1, never 2 or 3; the check's findings."""
    found = check(site)
    built = run_cli("build", "--site", site)
    assert built.code in (0, 1), built.err
    assert "内部错误" not in built.err
    return found


# --- far-future (and far-past) dates -------------------------------------------------------------


@pytest.mark.parametrize(
    "meta",
    [
        {
            "written": "9999-12-31",
            "published": "9999-12-31",
            "review": "{drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: 9999-12-31}",
        },
        {"published": "9999-12-31"},
        {"changed": "9999-12-30", "doc_type": "规章"},
        {"next_review": "9999-12-31", "valid_until": "9999-12-31"},
        {"written": "0001-01-01"},
        {"published": "9999-12-31T23:00:00-05:00"},  # past 9999-12-31 once read as China time
        {"published": "0001-01-01T00:00:00+09:00"},
    ],
)
def test_far_dates_in_a_record_are_handled(make_site: MakeSite, meta: dict[str, str]) -> None:
    site = make_site({"content/d1/a.md": record_text(**meta)})
    assert not of(no_crash(site), "FMT001")


def test_a_deadline_past_9999_is_stl013_for_that_year_not_a_crash(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text(written="9999-12-30", published="9999-12-31")})
    (found,) = of(no_crash(site), "STL013")
    assert "9999 年" in str(found["message"]) and "content/d1/a.md" in str(found["message"])


def test_far_dates_in_site_yaml_and_a_register(make_site: MakeSite) -> None:
    register = REGISTER_HEAD + "1,9999-12-31,自然人,予以公开,9999-12-31\n2,2026-01-05,自然人,予以公开,9999-12-31\n"
    site = make_site(
        {
            "site.yaml": SITE_YAML + "calendar: {holidays: [9999-12-31], workdays: [9999-12-25]}\n",
            "content/d1/a.md": record_text(),
            "content/d1/applications/2026.csv": register,
        }
    )
    found = no_crash(site)
    (late,) = of(found, "STL011")  # row 2: answered ~8,000 years late, counted in a moment
    assert late["line"] == 3
    for today in ("9999-12-31", "0001-01-01"):
        assert run_cli("check", "--site", site, "--today", today).code in (0, 1)
    (site / "site.yaml").write_text(SITE_YAML.replace("2026-11-21", "9999-12-31"), encoding="utf-8")
    assert run_cli("check", "--site", site, "--report", site.parent / "report").code in (0, 1)


def test_a_nonsense_deadline_or_page_size_is_refused_with_its_line(make_site: MakeSite) -> None:
    for setting, value in (
        ("deadlines:\n  publish_days", 10**9),
        ("deadlines:\n  enforcement_months", 0),
        ("page_size", 0),
        ("limits:\n  file_mb", -1),
    ):
        text = SITE_YAML + f"{setting}: {value}\n"
        site = make_site({"site.yaml": text, "content/d1/a.md": record_text()})
        result = run_cli("check", "--site", site)
        assert result.code == 2 and f"site.yaml 第 {text.count(chr(10))} 行" in result.err, result.err
        assert "应在" in result.err


# --- size limits ---------------------------------------------------------------------------------


def test_a_200000_character_register_cell_is_a_finding_on_its_row(make_site: MakeSite) -> None:
    register = (
        REGISTER_HEAD
        + "1,2026-01-05,自然人,予以公开,2026-01-09\n2,2026-01-05,自然人,"
        + "予" * 200_000
        + ",2026-01-09\n"
    )
    site = make_site({"content/d1/a.md": record_text(), "content/d1/applications/2026.csv": register})
    (found,) = of(no_crash(site), "FMT002")
    assert found["file"] == "content/d1/applications/2026.csv" and found["line"] == 3
    assert "200000 个字" in str(found["message"]) and "limits.cell_chars" in str(found["message"])


def test_a_register_with_a_broken_quote_is_a_finding(make_site: MakeSite) -> None:
    register = REGISTER_HEAD + '1,2026-01-05,"自然人,予以公开,2026-01-09\n'
    site = make_site({"content/d1/a.md": record_text(), "content/d1/applications/2026.csv": register})
    no_crash(site)


def test_a_file_larger_than_limits_file_mb_is_not_read(make_site: MakeSite) -> None:
    big = record_text(body="大" * 600_000)  # 1.8 MB of UTF-8
    site = make_site({"site.yaml": SITE_YAML + "limits: {file_mb: 1}\n", "content/d1/a.md": big})
    (found,) = of(no_crash(site), "FMT001")
    assert found["file"] == "content/d1/a.md" and found["line"] == 1
    assert "超过 1 MB" in str(found["message"]) and "limits.file_mb" in str(found["fix"])
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    assert of(check(site), "FMT001") == []


def test_an_attachment_larger_than_limits_attachment_mb_is_sec015(make_site: MakeSite) -> None:
    site = make_site(
        {
            "site.yaml": SITE_YAML + "limits: {attachment_mb: 1}\n",
            "content/d1/a.md": record_text(attachments="[大.txt]"),
            "content/d1/a.files/大.txt": "文字" * 400_000,
        }
    )
    (found,) = of(no_crash(site), "SEC015")
    assert found["line"] == 10 and "超过 1 MB" in str(found["message"]) and "limits.attachment_mb" in str(found["fix"])


def zip_bomb(megabytes: int = 240) -> bytes:
    """A .docx-named zip whose document.xml unpacks to `megabytes` MB (about 1/1000 of it packed)."""
    buffer = io.BytesIO()
    chunk = b" " * (1 << 20)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as sink:  # streamed: never 240 MB in memory
            for _ in range(megabytes):
                sink.write(chunk)
    return buffer.getvalue()


def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked(make_site: MakeSite) -> None:
    bomb = zip_bomb(240)
    assert len(bomb) < 300_000 and sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) > 240 << 20
    site = make_site({"content/d1/a.md": record_text(attachments="[通知.docx]"), "content/d1/a.files/通知.docx": bomb})
    command = [sys.executable, "-m", "generator", "check", "--site", str(site), "--format", "json", "--jobs", "1"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=REPO)
    assert done.returncode == 1, done.stderr
    (found,) = [f for f in json.loads(done.stdout) if f["rule"] == "SEC015"]
    assert found["line"] == 10 and "压缩炸弹" in found["message"] and "limits.unpacked_mb" in found["fix"]
    # the check's own peak, measured from a small interpreter (Linux counts the memory a process had
    # at fork in its child's peak: forked from this test process, the check would report its size)
    peak = [sys.executable, "-I", str(PEAK), str(site.parent / "check.log"), *command]
    measured = subprocess.run(peak, capture_output=True, text=True, timeout=300, cwd=REPO)
    peak_mib = json.loads(measured.stdout)["peak_kib"] / 1024
    assert peak_mib < 240, f"the check held {peak_mib:.0f} MiB"
    print(f"a {len(bomb) // 1024} KB zip bomb unpacking to 240 MB: checked in {peak_mib:.0f} MiB")


def entity_docx() -> bytes:
    """A DOCX whose document.xml declares nested entities (a "billion laughs") and uses them."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes("你好")))
    declarations = (
        '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + k)} "{("&" + chr(97 + k) + ";") * 10}">' for k in range(9))
        + "]>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"?>", b"?>" + declarations.encode(), 1).replace("你好".encode(), b"&j;")
            archive.writestr(info, data)
    return buffer.getvalue()


BROKEN = [
    ("junk.docx", b"this is not a word file", "文件已损坏，不是有效的 Word 文件"),
    ("empty.docx", b"", "文件是空的"),
    ("truncated.docx", docx_bytes("正文")[:700], "文件已损坏，不是有效的 Word 文件"),
    ("legacy.docx", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(2040), "旧版 Word 文件（.doc）"),
    ("entities.docx", entity_docx(), "实体声明"),
    ("junk.xlsx", b"PK\x03\x04 broken", "不是有效的 Excel 文件"),
    ("legacy.xlsx", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(2040), "旧版 Excel 文件（.xls）"),
    ("junk.pdf", b"%PDF-1.7 nothing else", "不是有效的 PDF 文件"),
]


@pytest.mark.parametrize("name, data, words", BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_office_file_is_sec015_saying_so(make_site: MakeSite, name: str, data: bytes, words: str) -> None:
    site = make_site({"content/d1/a.md": record_text(attachments=f"[{name}]"), f"content/d1/a.files/{name}": data})
    (found,) = of(no_crash(site), "SEC015")
    assert found["line"] == 10 and words in str(found["message"]), found
    assert "另存" in str(found["fix"]) or "重新" in str(found["fix"])


def test_a_broken_or_bombed_xlsx_register_is_fmt001(make_site: MakeSite) -> None:
    for data, words in ((b"PK\x03\x04 broken", "无法读取 Excel 台账"), (zip_bomb(120), "压缩炸弹")):
        site = make_site({"content/d1/a.md": record_text(), "content/d1/applications/2026.xlsx": data})
        (found,) = of(no_crash(site), "FMT001")
        assert found["file"] == "content/d1/applications/2026.xlsx" and words in str(found["message"])
    good = xlsx_bytes(
        [["id", "received", "applicant", "result", "closed"], ["1", "2026-01-05", "自然人", "予以公开", "2026-01-09"]]
    )
    site = make_site({"content/d1/a.md": record_text(), "content/d1/applications/2026.xlsx": good})
    assert of(no_crash(site), "FMT001") == []


# --- links, names, numbers -------------------------------------------------------------------------


def test_symbolic_link_loops_are_fmt007_never_a_crash(make_site: MakeSite) -> None:
    text = record_text(attachments="[loop.txt]", body="见[另一条](loop.md)。")
    site = make_site({"content/d1/a.md": text, "content/d1/a.files/ok.txt": "x"})
    d1 = site / "content/d1"
    os.symlink("loop.md", d1 / "loop.md")  # a record linked to itself
    os.symlink("x.md", d1 / "y.md")
    os.symlink("y.md", d1 / "x.md")  # two records linked to each other
    os.symlink("folder", d1 / "folder")  # a folder linked to itself
    os.symlink("loop.txt", d1 / "a.files/loop.txt")  # an attachment linked to itself
    found = of(no_crash(site), "FMT007")
    assert {(f["file"], f["line"]) for f in found} >= {
        ("content/d1/loop.md", 1),
        ("content/d1/x.md", 1),
        ("content/d1/y.md", 1),
        ("content/d1/a.md", line_of(text, "attachments:")),
        ("content/d1/a.md", line_of(text, "见[")),
    }


def test_a_link_with_a_nul_character_is_fmt007(make_site: MakeSite) -> None:
    text = record_text(body="见[一](%00)、[二](b%00.md)和[三](a.files/x%00.txt)。", attachments='["x\\u0000.txt"]')
    site = make_site({"content/d1/a.md": text})
    found = of(no_crash(site), "FMT007")
    assert len(found) == 4 and {f["line"] for f in found} == {line_of(text, "见["), line_of(text, "attachments:")}


def test_a_300_digit_index_serial_is_fmt003_not_a_name_too_long(make_site: MakeSite) -> None:
    text = record_text(index_no=f"{DEPT_USCC}/2026-" + "1" * 300)
    site = make_site({"content/d1/a.md": text})
    (found,) = of(no_crash(site), "FMT003")
    assert found["line"] == line_of(text, "index_no:")
    ok = record_text(index_no=f"{DEPT_USCC}/2026-" + "1" * 10)
    site = make_site({"content/d1/a.md": ok})
    assert of(check(site), "FMT003") == [] and run_cli("build", "--site", site).code == 0


def test_an_attachment_path_with_dot_segments_is_fmt007_at_its_line(make_site: MakeSite) -> None:
    for name in ("sub/../a.txt", "./a.txt", "sub//a.txt"):
        text = record_text(attachments=f"['{name}']")
        site = make_site(
            {"content/d1/a.md": text, "content/d1/a.files/a.txt": "x", "content/d1/a.files/sub/a.txt": "y"}
        )
        (found,) = of(no_crash(site), "FMT007")
        assert found["line"] == line_of(text, "attachments:") and name in str(found["message"])


def test_a_duplicated_attachment_is_fmt007_at_the_second_mention(make_site: MakeSite) -> None:
    text = record_text(attachments="\n  - a.txt\n  - b.txt\n  - a.txt")
    site = make_site({"content/d1/a.md": text, "content/d1/a.files/a.txt": "x", "content/d1/a.files/b.txt": "y"})
    (found,) = of(no_crash(site), "FMT007")
    lines = [i for i, line in enumerate(text.split("\n"), 1) if line == "  - a.txt"]
    assert found["line"] == lines[1] and f"第 {lines[0]} 行已列出" in str(found["message"])
    (site / "site.yaml").write_text(
        SITE_YAML.replace("STL010: 'off'", "STL010: 'off', FMT007: 'off'"), encoding="utf-8"
    )
    assert run_cli("build", "--site", site).code == 0  # switched off: published once, not a URL clash
    assert (site / "build/d1/2026-00001/a.txt").read_text(encoding="utf-8") == "x"


def test_a_declassification_date_that_is_no_date_is_sec010(make_site: MakeSite) -> None:
    text = record_text(
        publicity="脱密后公开",
        withhold_reason="已解密",
        declassified="\n  approver: 赵刚\n  date: notadate\n  basis: 定密责任人审定",
    )
    site = make_site({"content/d1/a.md": text})
    (found,) = of(no_crash(site), "SEC010")
    assert found["line"] == line_of(text, "  date: notadate") and "notadate" in str(found["message"])


def test_new_refuses_a_title_with_a_newline(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text()})
    result = run_cli("new", "--site", site, "--dept", "d1", "--category", "政府信息公开制度", "第一行\n第二行")
    assert result.code == 2 and "控制字符" in result.err


def test_a_fifo_as_site_yaml_is_refused_not_waited_for(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    os.mkfifo(site / "site.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--site", str(site)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert done.returncode == 2 and "不是普通文件" in done.stderr


# --- the machine's trouble: a full disk, no permission ---------------------------------------------


@pytest.mark.parametrize(
    "code, words", [(errno.ENOSPC, "磁盘空间不足"), (errno.EACCES, "没有权限"), (errno.EROFS, "只读")]
)
def test_a_write_that_fails_is_a_chinese_message_and_exit_2(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    site = make_site({"content/d1/a.md": record_text()})
    assert run_cli("build", "--site", site).code == 0
    before = tree_hash(site / "build")
    (site / "content/d1/a.md").write_text(record_text(title="关于测试工作的补充通知"), encoding="utf-8")
    place = output.Output.place

    def failing(self: output.Output, rel: str, target: Path, data: bytes, key: str = "") -> object:
        if rel.endswith(".html"):
            raise OSError(code, os.strerror(code), str(target))
        return place(self, rel, target, data, key)

    monkeypatch.setattr(output.Output, "place", failing)
    result = run_cli("build", "--site", site, "--jobs", "1")
    assert result.code == 2, result.err
    assert words in result.err and "内部错误" not in result.err and "Traceback" not in result.err
    assert "上一次的输出保持不变" in result.err
    assert tree_hash(site / "build") == before
    assert not [p for p in site.iterdir() if ".staging-" in p.name]


def test_a_full_disk_while_caching_the_search_index_is_exit_2(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.search.cache import ShardCache

    site = make_site({"content/d1/a.md": record_text()})

    def full(*_: object, **__: object) -> Path:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(site / ".cache/search/d1/key"))

    monkeypatch.setattr(ShardCache, "put", full)
    result = run_cli("build", "--site", site)
    assert result.code == 2 and "磁盘空间不足" in result.err and ".cache/search" in result.err, result.err
    assert not (site / "build").exists()


def test_a_byte_order_mark_is_read_past_and_a_bad_byte_is_reported_at_its_line(make_site: MakeSite) -> None:
    """Notepad saves UTF-8 with a byte order mark: the record loads as without it. A byte that is not
    UTF-8 is FMT001 at its line, with or without the mark."""
    text = record_text()
    plain = check(make_site({"content/d1/a.md": text}))
    marked = check(make_site({"content/d1/a.md": b"\xef\xbb\xbf" + text.encode("utf-8")}))
    assert marked == plain and not of(marked, "FMT001")
    lines = text.encode("utf-8").split(b"\n")
    broken = b"\n".join([*lines[:3], lines[3] + b"\xff", *lines[4:]])  # a stray byte on line 4
    for data in (broken, b"\xef\xbb\xbf" + broken):
        (found,) = of(check(make_site({"content/d1/a.md": data})), "FMT001")
        assert found["line"] == 4 and "UTF-8" in str(found["message"]), found
