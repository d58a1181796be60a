"""考评 scoring: each department's score against the site's scoring table (site.yaml `scoring:`).

The table is data, not code — the demo ships 阿尔山's 考评标准 (seed 003, 附件11); another city
writes its own. Each item has its points and the rules whose findings deduct from it: so many
points per finding, or once for the item. As the 阿尔山 table's 备注 says, an item loses at most
its own points (扣完为止), and one problem deducts in one place only (不重复扣分): a finding counts
for the first item that names its rule. A blocking finding of a veto rule (单项否决, e.g. INS001,
INS002) fails the department whatever its score; one of the whole site (no department) fails
the site.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import Scoring, ScoringItem
from ..findings import Finding, Findings
from ..model import Site
from ..rules import BLOCK


@dataclass
class Deducted:
    finding: Finding
    points: float


@dataclass
class ItemScore:
    item: ScoringItem
    deductions: list[Deducted] = field(default_factory=list)

    @property
    def lost(self) -> float:
        return min(self.item.points, sum(d.points for d in self.deductions))

    @property
    def score(self) -> float:
        return self.item.points - self.lost


@dataclass
class DepartmentScore:
    slug: str
    name: str
    items: list[ItemScore]
    vetoes: list[Finding]
    grade: str

    @property
    def full(self) -> float:
        return sum(item.item.points for item in self.items)

    @property
    def score(self) -> float:
        return sum(item.score for item in self.items)


def _grade(table: Scoring, score: float, vetoed: bool) -> str:
    if vetoed:
        return "不合格（单项否决）"
    for grade in sorted(table.grades, key=lambda g: g.min, reverse=True):
        if score >= grade.min:
            return grade.name
    return ""


def score_items(table: Scoring, findings: list[Finding]) -> list[ItemScore]:
    items = [ItemScore(item) for item in table.items]
    used: set[int] = set()
    for scored in items:
        for deduction in scored.item.deductions:
            matching = [f for f in findings if f.rule in deduction.rules and id(f) not in used]
            if deduction.once and matching:
                scored.deductions.append(Deducted(matching[0], deduction.points))
                scored.deductions.extend(Deducted(f, 0) for f in matching[1:])
            else:
                scored.deductions.extend(Deducted(f, deduction.points) for f in matching)
            used.update(id(f) for f in matching)
    return items


def department_scores(site: Site, findings: Findings) -> list[DepartmentScore]:
    table = site.config.scoring
    if not table.items:
        return []
    scores = []
    for slug, dept in sorted(site.departments.items()):
        mine = [f for f in findings.sorted() if f.dept == slug]
        items = score_items(table, mine)
        vetoes = [f for f in mine if f.rule in table.vetoes and f.severity == BLOCK]
        total = sum(item.score for item in items)
        scores.append(DepartmentScore(slug, dept.name, items, vetoes, _grade(table, total, bool(vetoes))))
    return scores


def site_vetoes(site: Site, findings: Findings) -> list[Finding]:
    """The blocking findings of a veto rule on the whole site (no department)."""
    return [f for f in findings.sorted() if not f.dept and f.rule in site.config.scoring.vetoes and f.severity == BLOCK]
