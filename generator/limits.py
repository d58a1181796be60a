"""Size limits (site.yaml `limits:`): what one file, value, register cell or attachment may hold.

Past a limit the input is a finding with its file and line, never a crash or a build that eats the
machine's memory. The readers deep in the loader and in the secrecy check are not handed the site's
settings, so `config.load_config` makes the limits of the site it loaded the active ones (a forked
worker inherits them); until a site is loaded the defaults hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .findings import Finding

MB = 1024 * 1024


@dataclass
class Limits:
    """The `limits:` section of site.yaml (its schema; config.SiteConfig holds one)."""

    file_mb: int = field(
        default=10, metadata={"doc": "记录、department.yaml、年报和台账文件的最大大小（MB），超过即 FMT001"}
    )
    field_chars: int = field(
        default=5000, metadata={"doc": "YAML 中一个值（标题、理由、department.yaml 各项等）的最大字数，超过即 FMT001"}
    )
    cell_chars: int = field(
        default=1000, metadata={"doc": "依申请公开登记台账一个单元格的最大字数，超过则该行不计入（FMT002）"}
    )
    attachment_mb: int = field(default=100, metadata={"doc": "一个附件的最大大小（MB），超过则无法审查（SEC015）"})
    unpacked_mb: int = field(
        default=100, metadata={"doc": "Word、Excel 附件（及 .xlsx 台账）解压后的最大大小（MB），防“压缩炸弹”（SEC015）"}
    )


_active = Limits()


def active() -> Limits:
    return _active


def activate(limits: Limits) -> None:
    global _active
    _active = limits


def megabytes(size: int) -> str:
    return f"{size / MB:.1f} MB"


def too_big(rel: str, size: int, dept: str = "") -> Finding:
    """FMT001: a content file larger than limits.file_mb; it is not read."""
    limit = active().file_mb
    return Finding(
        "FMT001",
        rel,
        1,
        f"文件大小 {megabytes(size)}，超过 {limit} MB 的上限，未读取",
        f"检查是否误把大文件（附件、数据）存成了该文件；确需更大时，调高 site.yaml 的 limits.file_mb（现为 {limit}）。",
        dept=dept,
    )
