"""Since the last report date: which criteria each unit gained and lost between two report dates.

Both dates' standings come from the engine (`summarise_dates` reads the two in one pass); this
only compares the criteria it found met.
"""

from dataclasses import dataclass, field

from criteria.models import Criterion


@dataclass(frozen=True)
class CriteriaChange:
    """One unit on one set: criteria met on the later date but not the earlier (gained), and the
    reverse (lost), in set order."""

    gained: list[Criterion] = field(default_factory=list)
    lost: list[Criterion] = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.gained or self.lost)


def previous_report_date(dates, as_of):
    """The latest of `dates` (a report's dates with data) before `as_of`, or None."""
    return max((day for day in dates if day < as_of), default=None)


def criteria_changes(before, summary):
    """{(set id, unit id): CriteriaChange} from `before` to `summary` (the engine's Summaries of
    one unit on an earlier and a later date), for every unit pursuing a set on both dates; empty
    without `before`. No query."""
    if before is None:
        return {}
    earlier = {(s.criteria_set.pk, u.unit.pk): u for s in before.sets for u in s.units}
    changes = {}
    for s in summary.sets:
        for u in s.units:
            then = earlier.get((s.criteria_set.pk, u.unit.pk))
            if then is None:
                continue
            met_then = {c.criterion.pk for c in then.criteria if c.met}
            met_now = {c.criterion.pk for c in u.criteria if c.met}
            changes[s.criteria_set.pk, u.unit.pk] = CriteriaChange(
                gained=[c.criterion for c in u.criteria if c.met and c.criterion.pk not in met_then],
                lost=[c.criterion for c in then.criteria if c.criterion.pk in met_then - met_now],
            )
    return changes
