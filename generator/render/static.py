"""Stylesheets and other static assets: the site's `layouts/static/` over the defaults."""

from __future__ import annotations

from .. import urls
from .pages import LAYOUTS, Renderer, default_layouts, site_layout_file


def copy_assets(renderer: Renderer) -> None:
    chosen = {}
    for folder in (default_layouts() / "static", renderer.publication.config.root / LAYOUTS / "static"):
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if site_layout_file(folder.parent, path):  # a link leaving layouts/ stops the build
                    chosen[path.name] = path
    for name, path in sorted(chosen.items()):
        renderer.output.copy(urls.static(name), path)
