"""The 公开目录 and its navigation: the whole site, each department, each taxonomy node,
each topic and each year, every listing also as a 现行有效-only twin.

Every listing has a stable first page (generator/urls.py) and numbered pages after it;
inside a page, records are grouped by the taxonomy and newest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from functools import partial
from itertools import groupby
from operator import attrgetter

from .. import urls
from ..config import Category
from ..pagecache import FORM_SIZE
from ..publicity import NOT_LISTED, PublicDepartment, PublicRecord, listed_form
from ..schema import Status
from .pages import Renderer


@dataclass(eq=False, slots=True)  # a city's cold build makes millions: no __dict__ each
class Row:
    """A record as a listing shows it: its public metadata, never its body. A listing's keys hold
    the metadata alone (Renderer.rows), so a template (the site's own catalogue.html) that read the
    body here would show it stale after an edit: it is an error instead. Every page made from the
    published metadata alone (render/metadata_pages.py) is given its records as rows; in a page's
    key a row stands for its listed form (`made_from`, which a key takes as what a dataclass is
    made from), so an edit of a body changes no such key."""

    _record: PublicRecord

    @property
    def made_from(self) -> bytes:
        return self._record.listed_as or listed_form(self._record)

    def __getattr__(self, name: str) -> object:
        if name in NOT_LISTED:
            raise AttributeError(f"目录列表只显示记录的公开元数据，不能读取 {name}")
        if name.startswith("__") or name == "_record":  # copy and pickle look for these before it is made
            raise AttributeError(name)
        return getattr(self._record, name)


def _shown_names() -> list[str]:
    """What a listing may read of a record: the public fields and properties of PublicRecord, less
    NOT_LISTED (Row.__getattr__ refuses those, and Row has its own `made_from`)."""
    public = {f.name for f in fields(PublicRecord)} | {name for name in vars(PublicRecord) if not name.startswith("_")}
    return sorted(public.difference(NOT_LISTED))


# Each is read through a property made in C (attrgetter), not __getattr__: a city's listing pages
# read about 20 million of them in a build that adds a record, 0.45 µs each through __getattr__
# (9 s of its processes' time), 0.06 µs so.
for _name in _shown_names():
    setattr(Row, _name, property(attrgetter(f"_record.{_name}")))
del _name


def rows_of(records: Iterable[PublicRecord]) -> list[Row]:
    return list(map(Row, records))


@dataclass
class Group:
    category: str
    records: list[Row]


@dataclass
class Pager:
    number: int
    count: int
    base: str

    def url(self, number: int) -> str:
        return urls.catalogue_page(self.base, number)

    @property
    def numbers(self) -> list[int | None]:
        """The page numbers the pager shows: the first, the last and those near this one, None for
        a gap. Listing every page would make each page of a long listing as long as the listing
        (10,000 pages of a city's catalogue would hold 4.5 million pager links)."""
        shown = sorted(
            {1, self.count, *range(max(1, self.number - PAGER_WINDOW), min(self.count, self.number + PAGER_WINDOW) + 1)}
        )
        found: list[int | None] = []
        for n in shown:
            if found and n - (found[-1] or 0) > 1:
                found.append(None)
            found.append(n)
        return found


PAGER_WINDOW = 3  # pages shown each side of the current one


@dataclass
class Facet:
    """One listing a visitor can open from the navigation."""

    label: str
    base: str  # first page of the listing with every record
    count: int | None  # None: shown without its count (`navigation`)
    depth: int = 0  # nesting in the taxonomy


@dataclass
class Navigation:
    """The facets beside a listing: the whole site's, or a department's own (its categories,
    topics and years, with its own counts, each opening the department's listing).

    A count is shown only where it changes no page outside the listings its records are in and
    their own department's: the department switcher and the site-wide navigation on the site's
    listing pages show none. With them, one record added anywhere changed every
    listing page of the site, a third of a city's output (bench/RESULTS.md, 2026-12-07 noon);
    the portal's tree and each guide still give the site's counts."""

    departments: list[Facet]
    categories: list[Facet]
    topics: list[Facet]
    years: list[Facet]
    everything: Facet  # 全部公开信息 of the scope: the site's catalogue or the department's
    department: PublicDepartment | None = None  # set on a department's navigation


@dataclass
class Listing:
    heading: str
    base: str
    records: list[PublicRecord]
    department: PublicDepartment | None = None  # set on every listing of a department
    note: str = ""  # why the column needs no regular update (site.yaml no_update_reason)
    facet: str = ""  # the facet's own name (信息分类：… / 2019年 …); empty on a catalogue's first listing


def ordered(renderer: Renderer, records: list[PublicRecord]) -> list[PublicRecord]:
    """Taxonomy order first, then newest first (records arrive newest first): as a stable sort by
    each record's place in the taxonomy would give (a category outside it last), found in one pass
    over the records, twice as quick as the sort's key call for each of 200,000 rows."""
    rank = {path: i for i, path in enumerate(renderer.publication.config.leaf_categories)}.get
    outside = len(renderer.publication.config.leaf_categories)
    by_rank: dict[int, list[PublicRecord]] = {}
    for record in records:
        place = rank(record.category, outside)
        try:
            by_rank[place].append(record)
        except KeyError:
            by_rank[place] = [record]
    rows: list[PublicRecord] = []
    for place in sorted(by_rank):
        rows += by_rank[place]
    return rows


def taxonomy_nodes(categories: list[Category], depth: int = 0) -> list[tuple[Category, int]]:
    found = []
    for node in categories:
        found.append((node, depth))
        found.extend(taxonomy_nodes(node.children, depth + 1))
    return found


def shown_nodes(renderer: Renderer) -> list[tuple[Category, int]]:
    """The taxonomy nodes that have a listing: all but the empty ones hidden when empty."""
    index = renderer.publication.index
    return [
        (node, depth)
        for node, depth in taxonomy_nodes(renderer.publication.config.categories)
        if node.shown(len(index.category(node.path)))
    ]


def listings(renderer: Renderer) -> list[Listing]:
    """Every listing of the site-wide catalogue, the whole site first."""
    publication = renderer.publication
    index = publication.index
    found = [Listing("政府信息公开目录", urls.CATALOGUE, publication.records)]
    for node, _ in shown_nodes(renderer):
        facet = f"信息分类：{node.path}"
        found.append(
            Listing(
                facet,
                urls.category_listing(node.path),
                index.category(node.path),
                note=node.no_update_reason,
                facet=facet,
            )
        )
    for topic in publication.config.topics:
        facet = f"主题分类：{topic}"
        found.append(Listing(facet, urls.topic_listing(topic), index.topic(topic), facet=facet))
    for year in sorted(index.by_year, reverse=True):
        facet = f"{year}年"
        found.append(Listing(f"{year}年政府信息", urls.year_listing(year), index.year(year), facet=facet))
    return found


def department_listings(renderer: Renderer, site: list[Listing]) -> dict[str, list[Listing]]:
    """Each department's catalogue and its own twin of every site-wide facet it has records in
    (department × category, topic, year), at <slug>/catalogue/…: one pass over each listing."""
    publication = renderer.publication
    found: dict[str, list[Listing]] = {}
    for slug, department in publication.departments.items():
        found[slug] = [
            Listing(
                f"{department.name} 政府信息公开目录",
                urls.dept_catalogue(slug),
                publication.index.dept(slug),
                department,
            )
        ]
    for listing in site[1:]:
        by_dept: dict[str, list[PublicRecord]] = {}
        for record in listing.records:
            by_dept.setdefault(record.dept, []).append(record)
        for slug, records in by_dept.items():
            owner = publication.departments.get(slug)
            if owner is None:
                continue
            found[slug].append(
                Listing(
                    f"{owner.name} · {listing.facet}",
                    urls.dept_listing(slug, listing.base),
                    records,
                    owner,
                    listing.note,
                    listing.facet,
                )
            )
    return found


def navigation(
    renderer: Renderer,
    site: list[Listing],
    department: PublicDepartment | None = None,
    own: list[Listing] | None = None,
) -> Navigation:
    """The site's navigation, without counts, or (department, own listings) a department's, with
    its own counts (`Navigation`)."""
    publication = renderer.publication
    counts = {listing.base: len(listing.records) for listing in (own if own is not None else site)}
    slug = department.slug if department else ""

    def base(site_base: str) -> str:
        return urls.dept_listing(slug, site_base) if department else site_base

    def facets(pairs: list[tuple[str, str, int]]) -> list[Facet]:
        return [
            Facet(label, base(b), counts[base(b)] if department else None, depth)
            for label, b, depth in pairs
            if base(b) in counts
        ]

    years = sorted(publication.index.by_year, reverse=True)
    everything = (
        Facet(f"{department.name}全部公开信息", urls.dept_catalogue(slug), counts[urls.dept_catalogue(slug)])
        if department
        else Facet("全部公开信息", urls.CATALOGUE, None)
    )
    return Navigation(
        departments=[Facet(d.name, urls.dept_catalogue(s), None) for s, d in publication.departments.items()],
        categories=facets(
            [(node.name, urls.category_listing(node.path), depth) for node, depth in shown_nodes(renderer)]
        ),
        topics=facets([(t, urls.topic_listing(t), 0) for t in publication.config.topics]),
        years=facets([(f"{y}年", urls.year_listing(y), 0) for y in years]),
        everything=everything,
        department=department,
    )


def paginate(renderer: Renderer, listing: Listing, nav: Navigation) -> None:
    """The listing's pages, and those of its 现行有效-only twin (the same order, filtered)."""
    _pages(renderer, listing, nav, listing.records, current=False)
    current = Status.CURRENT.value  # an enum member looked up once, not for each of 3 million rows
    _pages(renderer, listing, nav, [r for r in listing.records if r.status == current], current=True)


def _pages(renderer: Renderer, listing: Listing, nav: Navigation, records: list[PublicRecord], current: bool) -> None:
    """One page per `size` rows, the records in taxonomy order (`ordered`). A record is in a
    listing's keys by its public metadata (Renderer.rows): an edit of its body alone changes no
    listing. A listing whose rows (in the order given) and what every page of it shows are as in the
    last build is placed whole (Renderer.reuse_group): its rows are not ordered and its pages not
    keyed. Else a page's key is what every page of the listing shows, its number and its rows: a
    listing's pages are keyed without walking their groups and pagers, which are made only for a
    page rendered again."""
    size = max(1, renderer.publication.config.page_size)
    base = urls.current_only(listing.base) if current else listing.base
    count = max(1, -(-len(records) // size))
    shown = dict(
        total=len(records),
        heading=listing.heading,
        department=listing.department,
        listing_base=listing.base,
        current=current,
        nav=nav,
        note=listing.note,
        facet=listing.facet,
    )
    head = renderer.form(shown)
    paths = urls.catalogue_pages(base, count)
    left = renderer.reuse_group(f"listing:{base}", paths, ("catalogue.html", head, renderer.rows(records)))
    if not left:
        return
    rows = ordered(renderer, records)
    shown_rows = renderer.rows(rows)
    for number, path in enumerate(paths, start=1):
        if path not in left:
            continue
        start = (number - 1) * size
        renderer.page(
            path,
            "catalogue.html",
            inputs=(head, number, count, base, shown_rows[start * FORM_SIZE : (start + size) * FORM_SIZE]),
            context=partial(_groups, rows, size, Pager(number, count, base)),
            **shown,
        )


def _groups(rows: list[PublicRecord], size: int, pager: Pager) -> dict[str, object]:
    """The rows of the pager's page (`size` a page) grouped by category (they arrive in taxonomy
    order), and its pager: made only for a page rendered again."""
    start = (pager.number - 1) * size
    chunk = rows[start : start + size]
    groups = [Group(category, rows_of(items)) for category, items in groupby(chunk, key=lambda r: r.category)]
    return {"groups": groups, "pager": pager}


def render_catalogues(renderer: Renderer) -> None:
    """Every listing in both filters, the site's and each department's."""
    found = listings(renderer)
    nav = navigation(renderer, found)
    for listing in found:
        paginate(renderer, listing, nav)
    for slug, own in department_listings(renderer, found).items():
        dept_nav = navigation(renderer, found, renderer.publication.departments[slug], own)
        for listing in own:
            paginate(renderer, listing, dept_nav)
