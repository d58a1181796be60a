"""Containment: the build reads and copies only files whose real location is where the site
says. A symbolic link leaving the content tree (or an attachment folder, or layouts/) is a
blocking FMT007 with file and line and is never followed; a FIFO, socket or device is never
opened (FMT001). Canaries planted behind each link never reach the output, and a blocked
build leaves the previous output byte for byte as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from conftest import DEPARTMENT_YAML, DEPT_USCC, REPO, record_text, run_cli, tree_hash

MakeSite = Callable[..., Path]

pytestmark = pytest.mark.skipif(
    not hasattr(os, "symlink") or sys.platform == "win32", reason="symbolic links and FIFOs need a POSIX system"
)

REGISTER = (
    "id,received,applicant,result,closed,extended,reconsideration,litigation\n"
    "QZXAPPLICANTNAME,2025-03-01,自然人,予以公开,2025-03-10,,,\n"
)
SECRET = record_text(
    "不予公开正文",
    index_no=f"{DEPT_USCC}/2026-00009",
    review=None,
    publicity="不予公开",
    published=None,
    withhold_reason="《中华人民共和国政府信息公开条例》第十四条",
    attachments="[s.txt]",
)


def line_of(text: str, key: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(key + ":"))


def output_text(out: Path) -> bytes:
    return b"\n".join(p.read_bytes() for p in out.rglob("*") if p.is_file()) if out.exists() else b""


def check_json(site: Path) -> list[dict[str, object]]:
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.code in (0, 1), result.err
    return list(json.loads(result.out))


def outside(tmp_path: Path, rel: str, text: str) -> Path:
    """A file outside the site (tmp_path/host/...): what a link must never publish."""
    path = tmp_path / "host" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- attachment folders that are links: the three leaks found by the adversarial test --------


def _good_then_linked(
    make_site: MakeSite, tmp_path: Path, record: str, link: Callable[[Path], None], canary: bytes
) -> None:
    """Build a good site, then list an attachment reached through `link`: the build must block
    with FMT007 at the attachments line, never publish `canary`, and leave the output untouched."""
    site = make_site(
        {
            record: record_text("公开正文 QZXPUBLICOK"),
            "content/d1/secret.md": SECRET,
            "content/d1/secret.files/s.txt": "QZXSECRETATTACH",
            "content/d1/applications/2025.csv": REGISTER,
        }
    )
    first = run_cli("build", "--site", site)
    assert first.code == 0, first.err
    before = tree_hash(site / "build")
    assert b"QZXPUBLICOK" in output_text(site / "build") and canary not in output_text(site / "build")

    text = record_text("公开正文 QZXPUBLICOK", attachments=f"[{canary_file(canary)}]")
    (site / record).write_text(text, encoding="utf-8")
    link(site)
    result = run_cli("build", "--site", site)
    assert result.code == 1, result.err
    line = line_of(text, "attachments")
    assert "FMT007" in result.err and f"{record}:{line}" in result.err
    assert "符号链接" in result.err
    assert tree_hash(site / "build") == before
    assert canary not in output_text(site / "build")
    found = [f for f in check_json(site) if f["rule"] == "FMT007"]
    assert [(f["file"], f["line"], f["severity"]) for f in found] == [(record, line, "block")]


def canary_file(canary: bytes) -> str:
    return {b"QZXAPPLICANTNAME": "2025.csv", b"QZXSECRETATTACH": "s.txt", b"QZXHOSTFILE": "host.txt"}[canary]


def test_files_folder_linked_to_the_application_register(make_site: MakeSite, tmp_path: Path) -> None:
    def link(site: Path) -> None:
        os.symlink("../applications", site / "content/d1/zhidu/a.files")

    _good_then_linked(make_site, tmp_path, "content/d1/zhidu/a.md", link, b"QZXAPPLICANTNAME")


def test_files_folder_linked_to_a_withheld_records_attachments(make_site: MakeSite, tmp_path: Path) -> None:
    def link(site: Path) -> None:
        os.symlink("secret.files", site / "content/d1/public-f.files")

    _good_then_linked(make_site, tmp_path, "content/d1/public-f.md", link, b"QZXSECRETATTACH")


def test_files_folder_linked_outside_the_site(make_site: MakeSite, tmp_path: Path) -> None:
    host = outside(tmp_path, "folder/host.txt", "QZXHOSTFILE").parent

    def link(site: Path) -> None:
        os.symlink(host, site / "content/d1/a.files")

    _good_then_linked(make_site, tmp_path, "content/d1/a.md", link, b"QZXHOSTFILE")


def test_a_link_inside_a_real_files_folder_is_refused_too(make_site: MakeSite, tmp_path: Path) -> None:
    """One attachment file linked out (to the host, or to another record's attachment)."""
    host = outside(tmp_path, "host.txt", "QZXHOSTFILE")
    text = record_text(attachments="[host.txt, s.txt, sub/x.txt, ok.txt]")
    site = make_site(
        {
            "content/d1/a.md": text,
            "content/d1/a.files/ok.txt": "QZXOKATTACH",
            "content/d1/secret.md": SECRET,
            "content/d1/secret.files/s.txt": "QZXSECRETATTACH",
        }
    )
    os.symlink(host, site / "content/d1/a.files/host.txt")
    os.symlink("../secret.files/s.txt", site / "content/d1/a.files/s.txt")
    os.symlink("../secret.files", site / "content/d1/a.files/sub")
    result = run_cli("build", "--site", site)
    assert result.code == 1
    found = [f for f in check_json(site) if f["rule"] == "FMT007"]
    assert len(found) == 3 and {f["line"] for f in found} == {line_of(text, "attachments")}
    assert not (site / "build").exists()


def test_body_link_into_a_linked_files_folder_is_refused(make_site: MakeSite) -> None:
    site = make_site(
        {"content/d1/a.md": record_text("见[台账](a.files/2025.csv)。"), "content/d1/applications/2025.csv": REGISTER}
    )
    os.symlink("applications", site / "content/d1/a.files")
    (found,) = [f for f in check_json(site) if f["rule"] == "FMT007"]
    assert found["file"] == "content/d1/a.md" and "符号链接" in str(found["message"])


# --- every other file the loader reads -------------------------------------------------------


def _refused(site: Path, rel: str, canary: bytes, rule: str = "FMT007") -> None:
    result = run_cli("build", "--site", site)
    assert result.code == 1, result.err
    assert any(
        f["rule"] == rule and f["file"] == rel and f["line"] == 1 and f["severity"] == "block" for f in check_json(site)
    ), check_json(site)
    assert canary not in output_text(site / "build")


def test_record_linked_outside_the_content_tree(make_site: MakeSite, tmp_path: Path) -> None:
    host = outside(tmp_path, "x.md", record_text("QZXHOSTRECORD", index_no=f"{DEPT_USCC}/2026-00002"))
    site = make_site({"content/d1/a.md": record_text()})
    os.symlink(host, site / "content/d1/x.md")
    _refused(site, "content/d1/x.md", b"QZXHOSTRECORD")


def test_department_folder_linked_outside_the_content_tree(make_site: MakeSite, tmp_path: Path) -> None:
    outside(tmp_path, "dept/department.yaml", DEPARTMENT_YAML.replace("测试局", "QZXHOSTDEPT"))
    outside(tmp_path, "dept/x.md", record_text("QZXHOSTRECORD", index_no=f"{DEPT_USCC}/2026-00002"))
    site = make_site({"content/d1/a.md": record_text()})
    os.symlink(tmp_path / "host/dept", site / "content/d2")
    _refused(site, "content/d2", b"QZXHOST")


def test_subfolder_linked_outside_the_content_tree(make_site: MakeSite, tmp_path: Path) -> None:
    outside(tmp_path, "sub/x.md", record_text("QZXHOSTRECORD", index_no=f"{DEPT_USCC}/2026-00002"))
    site = make_site({"content/d1/a.md": record_text()})
    os.symlink(tmp_path / "host/sub", site / "content/d1/zhidu")
    _refused(site, "content/d1/zhidu", b"QZXHOSTRECORD")


def test_department_yaml_linked_outside(make_site: MakeSite, tmp_path: Path) -> None:
    host = outside(tmp_path, "department.yaml", DEPARTMENT_YAML.replace("测试局", "QZXHOSTDEPT"))
    site = make_site({"content/d1/a.md": record_text()}, with_department=False)
    os.symlink(host, site / "content/d1/department.yaml")
    _refused(site, "content/d1/department.yaml", b"QZXHOSTDEPT")


@pytest.mark.parametrize("rel", ["applications/2025.csv", "reports/2025.md"])
def test_register_or_report_linked_outside(make_site: MakeSite, tmp_path: Path, rel: str) -> None:
    text = REGISTER if rel.endswith(".csv") else "---\n---\nQZXHOSTREPORT 总体情况\n"
    host = outside(tmp_path, rel, text.replace("QZXAPPLICANTNAME", "QZXHOSTREGISTER"))
    site = make_site({"content/d1/a.md": record_text()})
    (site / "content/d1" / rel).parent.mkdir(parents=True)
    os.symlink(host, site / "content/d1" / rel)
    _refused(site, f"content/d1/{rel}", b"QZXHOST")


def test_register_folder_linked_outside(make_site: MakeSite, tmp_path: Path) -> None:
    outside(tmp_path, "apps/2025.csv", REGISTER)
    site = make_site({"content/d1/a.md": record_text()})
    os.symlink(tmp_path / "host/apps", site / "content/d1/applications")
    _refused(site, "content/d1/applications", b"QZXAPPLICANTNAME")


def test_report_register_and_their_folders_are_never_links_even_inside(make_site: MakeSite) -> None:
    """A report linked to a withheld record would publish its body as the annual report: the
    sources without a gate of their own (reports, registers, department.yaml) must be real files."""
    site = make_site(
        {
            "content/d1/a.md": record_text(),
            "content/d1/secret.md": SECRET.replace("不予公开正文", "QZXSECRETBODY"),
            "content/d1/secret.files/s.txt": "x",
            "content/d2/applications/2025.csv": REGISTER,
            "content/d2/department.yaml": DEPARTMENT_YAML.replace("MB0000001N", "MB0000002L"),
        }
    )
    (site / "content/d1/reports").mkdir()
    os.symlink("../secret.md", site / "content/d1/reports/2025.md")
    os.symlink("../d2/applications", site / "content/d1/applications")
    result = run_cli("build", "--site", site)
    assert result.code == 1
    found = {(f["file"], f["rule"], f["severity"]) for f in check_json(site) if f["rule"] == "FMT007"}
    assert found == {("content/d1/reports/2025.md", "FMT007", "block"), ("content/d1/applications", "FMT007", "block")}
    assert b"QZXSECRETBODY" not in output_text(site / "build")


def test_layout_template_linked_outside_layouts(make_site: MakeSite, tmp_path: Path) -> None:
    host = outside(tmp_path, "home.html", "QZXHOSTTEMPLATE {{ site.title }}")
    site = make_site({"content/d1/a.md": record_text()})
    (site / "layouts").mkdir()
    os.symlink(host, site / "layouts/home.html")
    result = run_cli("build", "--site", site)
    assert result.code == 2 and "layouts/home.html" in result.err and "符号链接" in result.err
    assert "内部错误" not in result.err
    assert b"QZXHOSTTEMPLATE" not in output_text(site / "build")


def test_static_asset_linked_outside_layouts(make_site: MakeSite, tmp_path: Path) -> None:
    """layouts/static/ files are copied into the output: a link to a host file stops the build."""
    host = outside(tmp_path, "style.css", "QZXHOSTCSS")
    site = make_site({"content/d1/a.md": record_text(), "layouts/static/extra.css": "p {}"})
    os.symlink(host, site / "layouts/static/style.css")
    result = run_cli("build", "--site", site)
    assert result.code == 2 and "layouts/static/style.css" in result.err
    assert b"QZXHOSTCSS" not in output_text(site / "build")


def test_layout_linked_to_a_content_file_is_refused(make_site: MakeSite) -> None:
    """Inside the site but outside layouts/: a template must not read content (a register)."""
    site = make_site(
        {"content/d1/a.md": record_text(), "content/d1/applications/2025.csv": REGISTER, "layouts/base.html": "x"}
    )
    (site / "layouts/base.html").unlink()
    os.symlink("../content/d1/applications/2025.csv", site / "layouts/base.html")
    result = run_cli("build", "--site", site)
    assert result.code == 2 and "layouts/base.html" in result.err
    assert b"QZXAPPLICANTNAME" not in output_text(site / "build")


# --- files that are not regular files --------------------------------------------------------


def test_a_fifo_saved_as_a_record_does_not_hang_the_check(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text(), "content/d1/applications/2025.csv": REGISTER})
    os.mkfifo(site / "content/d1/x.md")
    os.mkfifo(site / "content/d1/reports.md")
    (site / "content/d1/applications/2025.csv").unlink()
    os.mkfifo(site / "content/d1/applications/2025.csv")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--site", str(site), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode == 1, result.stderr
    found = {(f["rule"], f["file"], f["line"]) for f in json.loads(result.stdout)}
    for rel in ("content/d1/x.md", "content/d1/reports.md", "content/d1/applications/2025.csv"):
        assert ("FMT001", rel, 1) in found
    messages = [f["message"] for f in json.loads(result.stdout) if f["file"] == "content/d1/x.md"]
    assert messages == ["不是普通文件（管道、套接字或设备），已跳过"]


def test_a_fifo_listed_as_an_attachment_is_never_opened(make_site: MakeSite) -> None:
    text = record_text(attachments="[pipe.txt]")
    site = make_site({"content/d1/a.md": text, "content/d1/a.files/.keep": ""})
    os.mkfifo(site / "content/d1/a.files/pipe.txt")
    os.mkfifo(site / "content/d1/department.yaml.tmp")  # not a name the loader reads: ignored
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site", str(site)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode == 1
    assert f"content/d1/a.md:{line_of(text, 'attachments')}" in result.stderr and "不是普通文件" in result.stderr


def test_a_fifo_as_layout_template_is_refused(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text(), "layouts/.keep": ""})
    os.mkfifo(site / "layouts/home.html")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site", str(site)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode == 2 and "layouts/home.html" in result.stderr


# --- links that stay inside: what is allowed, as docs/content-format.md says ------------------


def test_record_linked_inside_the_content_tree_is_read_at_the_links_place(make_site: MakeSite) -> None:
    """A record link whose target is inside content/ is read (the target is content like any
    other); its attachments are the link's own real `<name>.files/` folder."""
    site = make_site(
        {
            "content/d1/_shared/policy.md": record_text("共享正文 QZXSHAREDBODY", attachments="[a.txt]"),
            "content/d1/current.files/a.txt": "QZXCURRENTATTACH",
        }
    )
    os.symlink("_shared/policy.md", site / "content/d1/current.md")
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    out = output_text(site / "build")
    assert b"QZXSHAREDBODY" in out and b"QZXCURRENTATTACH" in out


def test_subfolder_linked_inside_is_not_descended_into(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/d1/a.md": record_text(),
            "content/d1/_drafts/b.md": record_text("QZXDRAFT", index_no=f"{DEPT_USCC}/2026-00002"),
        }
    )
    os.symlink("_drafts", site / "content/d1/zhidu")
    (found,) = [f for f in check_json(site) if f["rule"] == "FMT007"]
    assert (found["file"], found["severity"]) == ("content/d1/zhidu", "warn")
    assert run_cli("build", "--site", site).code == 0
    assert b"QZXDRAFT" not in output_text(site / "build")


def test_content_and_layouts_folders_may_themselves_be_links(make_site: MakeSite, tmp_path: Path) -> None:
    """The trees are taken at their real location: a site whose content/ and layouts/ are links
    (a checkout kept elsewhere) builds, and a template linked to another one inside layouts/ is fine."""
    site = make_site(
        {
            "content/d1/a.md": record_text("正文 QZXINSIDE", attachments="[x.txt]"),
            "content/d1/a.files/x.txt": "QZXATTACH",
            "layouts/mine.html": '{% extends "base.html" %}{% block content %}<p>QZXLAYOUT</p>{% endblock %}',
        }
    )
    (site / "content").rename(tmp_path / "real-content")
    (site / "layouts").rename(tmp_path / "real-layouts")
    os.symlink(tmp_path / "real-content", site / "content")
    os.symlink(tmp_path / "real-layouts", site / "layouts")
    os.symlink("mine.html", tmp_path / "real-layouts/home.html")
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    out = output_text(site / "build")
    assert b"QZXINSIDE" in out and b"QZXATTACH" in out and b"QZXLAYOUT" in out


def test_department_folder_linked_inside_the_content_tree_is_read(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/_store/d1/a.md": record_text("正文 QZXSTOREBODY", attachments="[x.txt]"),
            "content/_store/d1/a.files/x.txt": "QZXSTOREATTACH",
            "content/_store/d1/department.yaml": DEPARTMENT_YAML,
        },
        with_department=False,
    )
    os.symlink("_store/d1", site / "content/d1")
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    out = output_text(site / "build")
    assert b"QZXSTOREBODY" in out and b"QZXSTOREATTACH" in out


@pytest.mark.parametrize("rel", ["../x.html", "d1/../../x.html", "d1/..", "/etc/x.html", "d1/../d2/x.html"])
def test_no_output_path_leaves_the_output_folder(tmp_path: Path, rel: str) -> None:
    """Whatever a page's path is made from, a part ".." (or a leading /) is refused before anything is written."""
    from generator.output import Output, OutputError

    with pytest.raises(OutputError, match="越出了输出目录"):
        Output(tmp_path / "out").write_text(rel, "x")
    assert not list(tmp_path.rglob("x.html"))


def test_dots_inside_a_name_are_not_a_way_out(tmp_path: Path) -> None:
    from generator.output import Output

    stage = Output(tmp_path / "out")
    for rel in ("d..1/a..b.html", "..d/x.html", "d/x..", "d/.../x.html"):
        stage.write_text(rel, "x")
        assert (tmp_path / "out" / rel).read_text(encoding="utf-8") == "x"
