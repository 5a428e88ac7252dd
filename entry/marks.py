"""The officer's marks on criteria and indicators: met / unmet / missing as the attainment engine
says (reports.engine), unless the workflow holds a record back: submitted (pending, waiting on the
district) or returned (waiting on the commune). Nothing here decides whether anything is met."""

# Which workflow state a mark shows before the engine's: a returned record needs the officer first.
WORKFLOW_MARKS = {"returned": "returned", "submitted": "pending"}


def mark(engine_status, record_statuses=()):
    """'returned', 'pending' or the engine's 'met' / 'unmet' / 'missing'."""
    for status, shown in WORKFLOW_MARKS.items():
        if status in record_statuses:
            return shown
    return engine_status


def criterion_marks(criteria, result, in_review):
    """(criterion, mark) for each of `criteria`, from the engine's UnitResult for their set (None:
    the unit has no figures, so all are missing) and (criterion id, status) pairs of the unit's
    records in review on the round's date."""
    statuses = {}
    for criterion_id, status in in_review:
        statuses.setdefault(criterion_id, set()).add(status)
    engine = {c.criterion.pk: c.status for c in result.criteria} if result is not None else {}
    return [(c, mark(engine.get(c.pk, "missing"), statuses.get(c.pk, ()))) for c in criteria]
