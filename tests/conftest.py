"""Shared fixtures: throwaway sites built from a dict of files, the demo site, the CLI."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import textwrap
import time
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest

from generator import cli

REPO = Path(__file__).resolve().parent.parent
DEMO_FILES = ("site.yaml", "content", "layouts")

# A department every throwaway site can use; its uscc passes the GB 32100 check.
DEPT_USCC = "11530400MB0000001N"
DEPARTMENT_YAML = f"""\
name: 测试局
uscc: {DEPT_USCC}
level: 市直部门
office: 测试局办公室
address: 测试路1号
office_hours: 工作日 9:00-17:00
phone: 0877-0000000
supervision: 投诉电话 0877-12345
owners: [test@example.gov.cn]
reviewed: 2026-11-01
"""


# A throwaway site holds a record or two, so the rules on a department's whole catalogue
# (mandatory columns STL008, last year's annual report STL010) and on the site as the national
# inspection sees it (home page updates INS001, blank and stale columns INS002/INS003, the footer's
# identifiers INS006) are off; their own tests write a site.yaml that switches them back on.
SITE_YAML = (
    "title: 测试站点\ntoday: 2026-11-21\nrules: {STL008: 'off', STL010: 'off', INS001: 'off', INS002: 'off', "
    "INS003: 'off', INS006: 'off'}\n"
)


def record_text(body: str = "正文。", **meta: object) -> str:
    """A record that passes every check, with `meta` overriding or adding keys (None deletes)."""
    fields: dict[str, object] = {
        "index_no": f"{DEPT_USCC}/2026-00001",
        "title": "关于测试工作的通知",
        "category": "法定主动公开内容/通知公告",
        "publisher": "测试局",
        "written": "2026-11-02",
        "published": "2026-11-03",
        "publicity": "主动公开",
        "review": "{drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: 2026-11-03}",
    }
    fields.update(meta)
    if "review" not in meta:  # the review's opinion agrees with the publicity (SEC018)
        opinion = {"依申请公开": "依申请公开", "不予公开": "免予公开"}.get(str(fields.get("publicity")), "主动公开")
        fields["review"] = str(fields["review"]).replace("opinion: 主动公开", f"opinion: {opinion}")
    lines = [f"{key}: {value}" for key, value in fields.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str | Path) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main([str(a) for a in args])
    return Run(code, out.getvalue(), err.getvalue())


def check_attachment(make_site: Callable[..., Path], name: str, data: bytes) -> list[dict[str, Any]]:
    """The findings of `check --format json` on a site whose one record, published in full,
    lists the attachment `name` holding `data`."""
    site = make_site(
        {"content/d1/r.md": record_text("正文。", attachments=f"[{name}]"), f"content/d1/r.files/{name}": data}
    )
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.code in (0, 1), result.err
    return list(json.loads(result.out))


def remove_cache(site: Path) -> None:
    """Remove `site`'s .cache/ as a person would to force a cold build. A build moves the folders it
    discards into .cache/trash/ and a detached process removes them (output.empty_trash): the two may
    remove the same files at once, and a file the other took first is no error here."""
    for _ in range(100):
        try:
            shutil.rmtree(site / ".cache")
            return
        except FileNotFoundError:
            time.sleep(0.05)
    shutil.rmtree(site / ".cache")


def tree_hash(root: Path) -> str:
    """One hash of every path and file's bytes under `root`: "the previous output is byte-identical"."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def write_site(site: Path, files: dict[str, str]) -> Path:
    """A site outside pytest's function-scoped tmp_path (for module-scoped fixtures): department
    d1 plus `files` ({relative path: text})."""
    for rel, text in {"content/d1/department.yaml": DEPARTMENT_YAML, **files}.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    return site


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Write a site from {relative path: text}; department d1 and a minimal site.yaml by default."""

    def make(files: dict[str, str | bytes], with_department: bool = True) -> Path:
        site = tmp_path / "site"
        defaults: dict[str, str | bytes] = {"site.yaml": SITE_YAML}
        if with_department:
            defaults["content/d1/department.yaml"] = DEPARTMENT_YAML
        for rel, data in {**defaults, **files}.items():
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(textwrap.dedent(data) if data.startswith("\n") else data, encoding="utf-8")
        return site

    return make


def copy_demo(dest: Path) -> Path:
    """A private copy of the demo site (site.yaml, content, layouts) to modify or build."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in DEMO_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy(source, dest / name)
    return dest


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "demo")


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site built once for the session; tests must not modify it."""
    site = copy_demo(tmp_path_factory.mktemp("demo-build"))
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err + result.out
    return site / "build"


@pytest.fixture
def demo_built_copy(demo_build: Path, tmp_path: Path) -> Path:
    """A private copy of the demo site as the session's build left it (output and caches): a site
    with a previous output, without building the demo again."""
    return Path(shutil.copytree(demo_build.parent, tmp_path / "demo", symlinks=True))
