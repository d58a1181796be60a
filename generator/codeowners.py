"""`disclosure codeowners`: every department's `owners` as a CODEOWNERS file, so a department can
only change its own folder (谁制作谁公开)."""

from __future__ import annotations

from .config import SiteConfig
from .load import CONTENT, load_site


def render(config: SiteConfig) -> str:
    """CODEOWNERS lines: each department folder owned by its department.yaml `owners`."""
    site, _ = load_site(config)
    lines = ["# 由 disclosure codeowners 根据各部门 department.yaml 的 owners 生成，请勿手改"]
    for slug, dept in sorted(site.departments.items()):
        owners = dept.get("owners")
        names = [str(o).strip() for o in owners if str(o).strip()] if isinstance(owners, list) else []
        if names:
            lines.append(f"/{CONTENT}/{slug}/ " + " ".join(names))
        else:
            lines.append(f"# /{CONTENT}/{slug}/ 未填写 owners")
    return "\n".join(lines) + "\n"
