from dataclasses import dataclass, field
from datetime import date

from django.shortcuts import render

from communes.models import AdministrativeUnit
from reports.cache import cached
from reports.engine import Rollup, Summary, rollup, standards_at_risk, summarise
from reports.options import per_child


def no_scope(request):
    return render(request, "reports/no_scope.html", status=403)


@dataclass
class Standing:
    """What a steering list page shows of where the units under it stand.

    A small subtree (a district, a commune): `summary` is the engine's per-unit summary and
    `at_risk` lists each recognised unit no longer meeting its standard. A large one (a
    province, the nation: `per_child`): `children` holds the units one level down (the page's
    unit first, for what it owns itself), `figures` the engine's per-child roll-up and
    `at_risk_children` its rows with such units, so the page costs the rows of its children,
    not of every commune."""

    unit: AdministrativeUnit
    as_of: date
    large: bool
    summary: Summary | None = None
    at_risk: list = field(default_factory=list)
    children: dict = field(default_factory=dict)
    figures: Rollup | None = None

    @property
    def at_risk_children(self):
        return [f for s in self.figures.sets for f in s.children if f.units_at_risk] if self.figures else []


def standing(unit, as_of):
    """The page's `Standing`: the engine's summary (four queries), or its roll-up (four; one on
    a cache hit) and the children (one), after the one query of `per_child`."""
    if not per_child(unit, as_of):
        summary = summarise(unit, as_of)
        at_risk = standards_at_risk(unit, as_of, summary=summary)
        return Standing(unit, as_of, large=False, summary=summary, at_risk=at_risk)
    children = {unit.pk: unit}
    children.update(
        (u.pk, u) for u in AdministrativeUnit.objects.filter(parent=unit).valid_on(as_of).order_by("name", "code")
    )
    # Cached under the data version as `summarise` is for a small subtree: about a hundred
    # objects, where the nation's per-unit summary is 14,000 results.
    figures = cached("steering-rollup", lambda: rollup(unit, as_of, unmet_limit=0), unit.pk, as_of.isoformat())
    return Standing(unit, as_of, large=True, children=children, figures=figures)
