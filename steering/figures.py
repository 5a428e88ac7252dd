"""Figures about NTM works (công trình): disbursement (giải ngân) and progress against schedule."""

from dataclasses import dataclass
from datetime import date

from reports.charts import plotly_text
from reports.engine import percent


def disbursement_rate(work):
    """Tỷ lệ giải ngân: disbursed over approved capital, in percent to one decimal."""
    return percent(work.disbursed, work.approved_capital)


@dataclass
class WorkRow:
    """One work as the district list shows it on a given day."""

    work: object
    day: date

    @property
    def disbursement_rate(self):
        return disbursement_rate(self.work)

    @property
    def scheduled_progress(self):
        return self.work.scheduled_progress(self.day)

    @property
    def late(self):
        return self.work.is_late(self.day)

    @property
    def overdue(self):
        """Past its due date and not finished."""
        return self.work.physical_progress < 100 and self.work.due_date < self.day


@dataclass
class WorksSummary:
    rows: list[WorkRow]

    @property
    def approved_total(self):
        return sum(r.work.approved_capital for r in self.rows)

    @property
    def disbursed_total(self):
        return sum(r.work.disbursed for r in self.rows)

    @property
    def disbursement_rate(self):
        return percent(self.disbursed_total, self.approved_total)

    @property
    def late_count(self):
        return sum(r.late for r in self.rows)

    @property
    def count(self):
        return len(self.rows)

    def chart_data(self):
        """Plain data for the chart: per work, disbursement, physical progress and schedule (%)."""
        return {
            "names": [plotly_text(f"{r.work.name} ({r.work.unit.name})") for r in self.rows],
            "disbursed": [float(r.disbursement_rate) for r in self.rows],
            "progress": [r.work.physical_progress for r in self.rows],
            "scheduled": [r.scheduled_progress for r in self.rows],
        }


def works_summary(works, day):
    """The district's works figures on `day`, over already-fetched `works`."""
    return WorksSummary(rows=[WorkRow(work, day) for work in works])


@dataclass
class WorksTotals:
    """The works of one unit one level down (or of the whole page): counts and sums only."""

    unit: object = None
    count: int = 0
    approved_total: int = 0
    disbursed_total: int = 0
    late_count: int = 0

    @property
    def disbursement_rate(self):
        return percent(self.disbursed_total, self.approved_total)

    def add(self, work, day):
        self.count += 1
        self.approved_total += work.approved_capital
        self.disbursed_total += work.disbursed
        self.late_count += work.is_late(day)


def works_by_child(works, children, day):
    """(total, [per child]) of `works` (annotated with `child`: WorkQuerySet.by_child) on `day`,
    one row per unit in `children` ({id: unit}, in order), a unit without works too; late as
    `Work.is_late` says, the one rule the per-work list applies."""
    total, rows = WorksTotals(), {pk: WorksTotals(unit=unit) for pk, unit in children.items()}
    for work in works:
        total.add(work, day)
        if work.child in rows:
            rows[work.child].add(work, day)
    return total, list(rows.values())
