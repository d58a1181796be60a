"""The jinja2 environment and the page writer shared by every page kind.

Templates come from the site's own `layouts/` first, then the defaults shipped with the
package, so a site overrides any template by giving a file of the same name.
Autoescape is on for every template; StrictUndefined turns a typo into an error.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from .. import urls
from ..output import Output
from ..publicity import Publication
from ..search import terms

LAYOUTS = "layouts"


def default_layouts() -> Path:
    return Path(str(resources.files("generator.layouts")))


def _date(value: dt.date | dt.datetime | None, fmt: str = "%Y-%m-%d") -> str:
    return value.strftime(fmt) if value else ""


class Renderer:
    def __init__(self, publication: Publication, output: Output) -> None:
        self.publication = publication
        self.output = output
        config = publication.config
        loaders = [FileSystemLoader(str(config.root / LAYOUTS)), FileSystemLoader(str(default_layouts()))]
        self.env = Environment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
        self.env.filters["date"] = _date
        self.env.globals.update(site=config, departments=publication.departments, paths=urls,
                                search_meta=terms.meta)
        self.pages: list[str] = []

    def page(self, path: str, template: str, **context: Any) -> None:
        """Render `template` to output path `path`; `url(target)` in it gives relative links."""

        def url(target: str) -> str:
            return urls.relative(path, target)

        html = self.env.get_template(template).render(url=url, page_path=path, **context)
        self.output.write_text(path, html)
        self.pages.append(path)
