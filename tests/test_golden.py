"""The golden-output test: the whole build of a tiny site (tests/golden/site/: a 主动公开 record
with an attachment, a 依申请公开 record listed as metadata only, a 不予公开 record that leaves no
trace, a department, a register and an annual report) equals, file by file, the output committed
under tests/golden/expected/. A change of a template, a renderer or the selection that alters any
page fails here; when it is intended, refresh the expected output:

    python3 tests/golden/refresh.py
"""

from __future__ import annotations

import difflib
from pathlib import Path

from golden import refresh

REFRESH = "python3 tests/golden/refresh.py"


def _difference(rel: str, want: bytes | None, got: bytes | None) -> str:
    if want is None:
        return f"+ {rel}（新增的文件）"
    if got is None:
        return f"- {rel}（不再生成）"
    try:
        lines = list(
            difflib.unified_diff(
                want.decode().splitlines(), got.decode().splitlines(), "expected", "built", lineterm="", n=1
            )
        )
    except UnicodeDecodeError:
        return f"~ {rel}（二进制文件不同）"
    return f"~ {rel}\n" + "\n".join(lines[:20])


def test_the_build_of_the_golden_site_equals_the_committed_output(tmp_path: Path) -> None:
    built = refresh.snapshot(refresh.build(tmp_path))
    want = refresh.expected()
    assert want, f"tests/golden/expected/ is empty: run {REFRESH}"
    changed = sorted(rel for rel in set(built) | set(want) if built.get(rel) != want.get(rel))
    report = "\n".join(_difference(rel, want.get(rel), built.get(rel)) for rel in changed[:10])
    assert not changed, (
        f"{len(changed)} files of the golden site's build differ from tests/golden/expected/. "
        f"If the change is intended, run `{REFRESH}` and commit the result.\n{report}"
    )


def test_the_golden_site_publishes_what_its_publicity_allows() -> None:
    files = refresh.expected()
    text = "\n".join(
        data.decode("utf-8", "replace")
        for rel, data in files.items()
        if rel.endswith((".html", ".xml", ".json", ".csv"))
    )
    assert "关于做好政府信息公开工作的通知" in text and "ceshi/2026-00001/工作要点.txt" in files  # 主动公开, attachment
    assert "关于某项目审批材料的答复" in text and "此正文只在内容仓库中" not in text  # 依申请公开: metadata only
    assert "不予公开的内部事项" not in text and "此记录不予公开" not in text  # 不予公开: nothing
    assert "ceshi/reports/2025.html" in files and "CS2025-001" not in text  # the report's counts, never a register row
