"""Where a series of figures breaks: the dates on which the units counted under a unit change
because old units went into new ones (UnitSuccession), as on 1/7/2025.

Figures are never mixed across a break: every date counts the units valid on it (`valid_on`,
`is_valid_on`), so the 2021-2025 series stays on the old units up to the day before and the new
units start their own. Pages say where that happens.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, Share, UnitSuccession


@dataclass(frozen=True)
class SeriesBreak:
    """On `on`, the `old` units (counted before) gave way to the `new` ones (counted from then)."""

    on: object
    old: tuple  # (unit, share) pairs, by name
    new: tuple

    @staticmethod
    def _names(pairs):
        return ", ".join(
            unit.name_in_sentence + (f" ({_('một phần')})" if share == Share.PART else "") for unit, share in pairs
        )

    @property
    def old_names(self):
        """'xã Quảng An, xã Dực Yên (một phần)'."""
        return self._names(self.old)

    @property
    def new_names(self):
        return self._names(self.new)


def series_breaks(unit, dates=None, counted_units=None, subtree=True):
    """The breaks in a series of `unit` shown over `dates`: each date after the first shown and
    up to the last on which a succession link of a unit under `unit` (or of `unit` itself when
    not `subtree`) took effect. `dates` None: every link, whatever its date (a unit's own page).

    `counted_units` (the units the series counted, with their validity) spares the query when
    none of them begins or ends within the dates: no succession can then change what is counted.
    One query otherwise.
    """
    window = None
    if dates is not None:
        dates = sorted(set(dates))
        if len(dates) < 2:
            return []
        window = (dates[0], dates[-1])
    candidates = counted_units if counted_units is not None else ([unit] if not subtree else None)
    if candidates is not None and not any(_bounded_within(u, window) for u in candidates):
        return []
    units = AdministrativeUnit.objects.within(unit).values("pk") if subtree else [unit.pk]
    links = UnitSuccession.objects.touching(units)
    if window is not None:
        first, last = window
        links = links.filter(
            Q(effective_on__gt=first, effective_on__lte=last)
            | Q(effective_on__isnull=True, predecessor__valid_to__gt=first, predecessor__valid_to__lte=last)
        )
    by_day = {}
    for link in links:
        day = link.effective_date
        if day is None:
            continue
        old, new = by_day.setdefault(day, ({}, {}))
        old.setdefault(link.predecessor, link.share)
        if link.share == Share.PART:
            old[link.predecessor] = Share.PART
        new.setdefault(link.successor, Share.WHOLE)
    return [
        SeriesBreak(on=day, old=_by_name(old), new=tuple((u, Share.WHOLE) for u, _s in _by_name(new)))
        for day, (old, new) in sorted(by_day.items())
    ]


def _bounded_within(unit, window):
    """Whether `unit` begins or ends inside `window` (any date when None)."""
    for day in (unit.valid_from, unit.valid_to):
        if day is not None and (window is None or window[0] < day <= window[1]):
            return True
    return False


def _by_name(shares):
    return tuple(sorted(shares.items(), key=lambda pair: (pair[0].name, pair[0].code)))
