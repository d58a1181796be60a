"""`disclosure check` as CI and people use it: exit codes, the three formats,
--changed-since and the internal compliance report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import DEPT_USCC, record_text, run_cli
from generator import jsontext
from generator.findings import Finding
from generator.rules import RULES

MakeSite = Callable[..., Path]
TODAY = "2026-11-21"


def idx(n: int) -> str:
    return f"{DEPT_USCC}/2026-{n:05d}"


def unreviewed(n: int, title: str) -> str:
    return record_text(index_no=idx(n), title=title, next_review="2026-11-01")


def git(site: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=测试", "-c", "user.email=t@example.gov.cn", *args],
        cwd=site,
        check=True,
        capture_output=True,
    )


def test_exit_codes(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text()})
    assert run_cli("check", "--site", site, "--today", TODAY).code == 0
    (site / "content/d1/a.md").write_text(unreviewed(1, "过期未复核的通知"), encoding="utf-8")
    assert run_cli("check", "--site", site, "--today", TODAY).code == 1
    assert run_cli("check", "--site", site, "--today", "2026-13-01").code == 2


def test_text_groups_by_department_with_counts_and_fix(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": unreviewed(1, "甲通知"), "content/d1/b.md": unreviewed(2, "乙通知")})
    out = run_cli("check", "--site", site, "--today", TODAY).out
    assert "测试局（d1）：阻断 2 · 警告 0" in out
    assert "STL002" in out and "2 处" in out
    assert "content/d1/a.md:10" in out and "content/d1/b.md:10" in out
    assert out.count("修改建议：复核记录内容后把 next_review 改为下次复核日期。") == 1


def test_json_fields(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": unreviewed(1, "甲通知")})
    found = json.loads(run_cli("check", "--site", site, "--today", TODAY, "--format", "json").out)
    stl002 = [f for f in found if f["rule"] == "STL002"]
    assert stl002 and {"rule", "severity", "file", "line", "message", "fix"} <= set(stl002[0])
    assert (stl002[0]["severity"], stl002[0]["file"], stl002[0]["line"]) == ("block", "content/d1/a.md", 10)


# what the JSON report holds: texts (any character, lone surrogates from file names included), numbers, flags
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(st.characters(codec=None)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@given(_JSON_VALUES)
def test_the_json_report_is_written_as_json_writes_it(value: object) -> None:
    """CI scripts and diffs of saved reports rely on the exact text: the fast writer changes no character."""
    assert jsontext.dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_a_finding_as_json_keeps_its_filled_fields_in_order() -> None:
    finding = Finding("STL002", "content/d1/a.md", 10, "过期", severity="block", changed=False)
    assert list(finding.as_json().items()) == [
        ("rule", "STL002"),
        ("file", "content/d1/a.md"),
        ("line", 10),
        ("message", "过期"),
        ("fix", RULES["STL002"].fix),
        ("severity", "block"),
        ("changed", False),
    ]


def test_github_annotations(make_site: MakeSite) -> None:
    site = make_site(
        {"content/d1/a.md": record_text(next_review="2026-11-01", written="2025-09-26", published="2025-10-31")}
    )
    lines = run_cli("check", "--site", site, "--today", TODAY, "--format", "github").out.splitlines()
    assert any(line.startswith("::error file=content/d1/a.md,line=10,title=STL002 ") for line in lines)
    assert any(line.startswith("::warning file=content/d1/a.md,line=7,title=STL001 ") for line in lines)


@pytest.fixture
def repo_site(make_site: MakeSite) -> Path:
    """A site in its own git repository, whose committed record has old debt (STL002)."""
    site = make_site({"content/d1/old.md": unreviewed(1, "旧通知")})
    git(site, "init", "-q")
    git(site, "add", ".")
    git(site, "commit", "-q", "-m", "initial")
    return site


def test_changed_since_old_debt_does_not_block(repo_site: Path) -> None:
    result = run_cli("check", "--site", repo_site, "--today", TODAY, "--changed-since", "HEAD", "--format", "json")
    assert result.code == 0, result.out
    old = [f for f in json.loads(result.out) if f["rule"] == "STL002"]
    assert [(f["severity"], f["changed"]) for f in old] == [("warn", False)]
    assert run_cli("check", "--site", repo_site, "--today", TODAY).code == 1  # without the option it blocks


def test_changed_since_new_and_edited_files_block(repo_site: Path) -> None:
    (repo_site / "content/d1/新.md").write_text(unreviewed(2, "新通知"), encoding="utf-8")  # untracked
    result = run_cli("check", "--site", repo_site, "--today", TODAY, "--changed-since", "HEAD", "--format", "json")
    assert result.code == 1
    by_file = {f["file"]: (f["severity"], f["changed"]) for f in json.loads(result.out) if f["rule"] == "STL002"}
    assert by_file == {"content/d1/新.md": ("block", True), "content/d1/old.md": ("warn", False)}
    text = run_cli("check", "--site", repo_site, "--today", TODAY, "--changed-since", "HEAD").out
    assert "［未改动］" in text


def test_changed_since_bad_ref_is_a_usage_error(repo_site: Path) -> None:
    result = run_cli("check", "--site", repo_site, "--changed-since", "no-such-ref")
    assert result.code == 2 and "no-such-ref" in result.err


def test_report_dashboard(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site(
        {
            "content/d1/a.md": unreviewed(1, "甲通知"),
            "content/d1/b.md": record_text(index_no=idx(2), title="下月复核的制度", next_review="2026-12-10"),
            "content/d1/c.md": record_text(
                index_no=idx(3), title="晚发布的通知", written="2025-09-26", published="2025-10-31"
            ),
        }
    )
    report = tmp_path / "report"
    result = run_cli("check", "--site", site, "--today", TODAY, "--report", report)
    assert result.code == 1
    html = (report / "index.html").read_text("utf-8")
    assert "测试局" in html and "STL002" in html
    assert "下月复核的制度" in html and "2026-12-10" in html  # upcoming review within 30 days
    assert "content/d1/c.md:7" in html  # published late
    assert not (site / "build").exists()


def test_report_never_inside_the_public_output(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text()})
    result = run_cli("check", "--site", site, "--today", TODAY, "--report", site / "build" / "report")
    assert result.code == 2 and not (site / "build").exists()


def test_check_loads_no_rendering_stack(make_site: MakeSite) -> None:
    """`check` (and the pre-commit hook) start quickly: no matplotlib, python-docx, pypdf, Pillow,
    template engine or renderer is imported unless an attachment of that type has to be read (or,
    for jinja2, a compliance report is asked for)."""
    site = make_site({"content/d1/a.md": record_text()})
    code = (
        "import sys\nfrom generator import cli\ncode = cli.main(['check', '--site', sys.argv[1]])\n"
        "heavy = [m for m in ('matplotlib', 'docx', 'pypdf', 'PIL', 'openpyxl', 'jinja2', 'generator.render',"
        " 'generator.index') if m in sys.modules]\nprint(code, heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(site)], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "0 []", result.stdout + result.stderr


def test_the_command_ends_with_all_its_output_and_its_exit_code(make_site: MakeSite) -> None:
    """`disclosure check` (as CI runs it, output into a pipe) ends the process without freeing what
    it built: every finding still arrives, the exit code is the check's, and the cache is saved."""
    site = make_site({f"content/d1/r{n}.md": unreviewed(n, f"第{n}号通知") for n in range(1, 40)})
    command = [sys.executable, "-m", "generator", "check", "--site", str(site), "--today", TODAY]
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as a pipe is by default
    for form in ([], ["--format", "json"]):
        result = subprocess.run([*command, *form], capture_output=True, text=True, timeout=120, env=buffered)
        assert result.returncode == 1, result.stderr
        assert result.stdout == run_cli(*command[3:], *form).out  # to the last byte
    assert sum(f["rule"] == "STL002" for f in json.loads(result.stdout)) == 39
    assert list((site / ".cache" / "check").glob("*.json")), "the check cache was written before the end"
