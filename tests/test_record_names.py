"""A file named almost like a record — R.MD as Windows saves it, r.markdown, an editor's backup
(r.md~, #r.md#) or what a merge or a patch leaves (r.md.orig, r.md.rej) — is not read: a copy may
carry an older 公开属性. But it is said, with a warning on the file, so that a record saved under
the wrong name is not left unpublished unnoticed. Other files are passed over in silence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pytest

from conftest import record_text, run_cli

MakeSite = Callable[..., Path]
WITHHELD = record_text("zqCOPYzq 内部讨论稿", publicity="不予公开", withhold_reason="《条例》第十六条", index_no=None)
ALMOST = ["R2.MD", "r3.Md", "r4.markdown", "r.md~", "#r.md#", "r.md.orig", "r.md.rej", "r.md.bak", "r.md.txt"]
QUIET = ["_draft.md", "notes.txt", "data.mdb", "r.mdx2", "说明.docx"]


def _site(make_site: MakeSite, names: list[str]) -> Path:
    files: dict[str, str | bytes] = {"content/d1/r.md": record_text("公开的正文")}
    files.update({f"content/d1/{name}": WITHHELD for name in names})
    return make_site(files)


@pytest.mark.parametrize("name", ALMOST)
def test_almost_a_record_is_said_and_not_read(make_site: MakeSite, name: str) -> None:
    site = _site(make_site, [name])
    result = run_cli("check", "--site", site, "--format", "json")
    found = [f for f in json.loads(result.out) if f["file"] == f"content/d1/{name}"]
    assert [(f["rule"], f["severity"], f["line"]) for f in found] == [("FMT001", "warn", 1)]
    assert "不以小写的 .md 结尾" in found[0]["message"] and "改名" in found[0]["fix"]
    assert run_cli("build", "--site", site).code == 0
    assert not [p for p in (site / "build").rglob("*") if p.is_file() and b"zqCOPYzq" in p.read_bytes()]


def test_other_files_pass_in_silence(make_site: MakeSite) -> None:
    site = _site(make_site, QUIET)
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.code == 0 and json.loads(result.out) == []
