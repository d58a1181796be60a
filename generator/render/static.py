"""Stylesheets and other static assets: the site's `layouts/static/` over the defaults."""

from __future__ import annotations

from .. import urls
from .pages import LAYOUTS, Renderer, default_layouts


def copy_assets(renderer: Renderer) -> None:
    chosen = {}
    for folder in (default_layouts() / "static", renderer.publication.config.root / LAYOUTS / "static"):
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file():
                    chosen[path.name] = path
    for name, path in sorted(chosen.items()):
        renderer.output.copy(urls.static(name), path)
