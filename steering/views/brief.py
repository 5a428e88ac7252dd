from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from accounts.access import visible_units
from communes.models import AdministrativeUnit
from criteria.models import indicators_display
from reports import charts
from reports.cache import cached
from reports.engine import (
    criteria_changes,
    distribution,
    gaps,
    previous_report_date,
    recognitions_in_force,
    rollup,
    standards_at_risk,
    summarise,
    summarise_dates,
)
from reports.narrative import ILLUSTRATIVE_NOTE, distribution_lines, heading, set_paragraph
from reports.options import per_child
from reports.views.common import report_page, unit_choices
from reports.xlsx import brief_children_workbook, brief_workbook
from steering.models import PlanItem

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The cached parts of a small subtree's brief (templates/steering/_brief_units_*.html).
UNITS_PARTS = ("tables", "gaps", "tail")


def brief_context(options):
    """Everything the brief shows, read once for the page and the spreadsheet alike."""
    since = previous_report_date(options.dates, options.as_of)
    if since is None:
        before, summary = None, summarise(options.unit, options.as_of, include_submitted=options.include_submitted)
    else:  # both dates in one read
        before, summary = summarise_dates(options.unit, [since, options.as_of], options.include_submitted)
    gaps_by_set = {g.criteria_set.pk: g for g in gaps(options.unit, options.as_of, options.include_submitted, summary)}
    changes = criteria_changes(before, summary)
    sets = []
    for s in summary.sets:
        units = [(u, changes.get((s.criteria_set.pk, u.unit.pk))) for u in s.units]
        sets.append(
            {
                "summary": s,
                "paragraph": set_paragraph(s),
                # Bins and statuses in sentences; the table names the units and has the averages.
                "standing": distribution_lines(s, distribution(s), with_names=False, with_averages=False)
                if s.unit_count > 1
                else [],
                "units": units,
                "changes": _change_groups(units),
                "gaps": [
                    (g.unit, indicators_display(g.unmet), indicators_display(g.missing))
                    for g in gaps_by_set[s.criteria_set.pk].units
                    if g.unmet or g.missing
                ],
            }
        )
    return {
        "options": options,
        "summary": summary,
        "heading": heading(summary),
        "since": since,
        "sets": sets,
        "recognitions": recognitions_in_force(options.unit, options.as_of),
        "illustrative_note": ILLUSTRATIVE_NOTE if any(s.criteria_set.is_illustrative for s in summary.sets) else "",
    }


def _change_groups(units):
    """The criteria gained and lost since the last report date, named once for all the units
    with the same change (in the demo eight communes gained the same two criteria):
    [(gained, lost, unit names)]."""
    groups = {}
    for u, change in units:
        if change is not None and change.changed:
            key = (tuple(change.gained), tuple(change.lost))
            groups.setdefault(key, []).append(u.unit.name)
    return [(gained, lost, names) for (gained, lost), names in groups.items()]


def _due_groups(items, as_of):
    """Due plan items as the brief prints them: one entry per unit, deadline and office,
    with the indicators and whether the deadline has passed on the report date (quá hạn); the
    actions themselves are on the plans page."""
    groups, overdue = {}, {}
    for item in items:
        key = (item.unit.name, item.deadline, str(item.office) if item.office else "")
        groups.setdefault(key, []).append(item.indicator)
        overdue[key] = overdue.get(key, False) or item.is_overdue(as_of)
    return [
        (unit, deadline, office, indicators_display(indicators), overdue[unit, deadline, office])
        for (unit, deadline, office), indicators in groups.items()
    ]


def _children_set(s):
    """One set of a large subtree's brief: the whole unit's bins and statuses in sentences,
    without names (a rollup counts the units, it does not list them); the table has the
    averages and each child's counts."""
    dist = distribution(s)
    return {
        "summary": s,
        "paragraph": set_paragraph(s),
        "distribution": dist,
        "standing": distribution_lines(s, dist, with_names=False, with_averages=False) if s.unit_count > 1 else [],
        "children": [(f, distribution(f)) for f in s.children],
    }


def children_context(options):
    """What a large subtree's brief shows (page and spreadsheet alike): the engine's roll-up per
    unit one level down (four queries)."""
    result = rollup(options.unit, options.as_of, options.include_submitted)
    return {
        "options": options,
        "heading": heading(result),
        "sets": [_children_set(s) for s in result.sets],
        "per_unit_max": settings.NTM_PER_UNIT_MAX_UNITS,
        "illustrative_note": ILLUSTRATIVE_NOTE if any(s.criteria_set.is_illustrative for s in result.sets) else "",
    }


def children_html(options):
    """A large subtree's brief figures (a province, the nation), one row per unit one level down,
    as HTML cached under the data version; None when the unit has few units under it (the brief
    then lists every commune). Five engine queries on a miss, none on a hit."""

    def render_children():
        if not per_child(options.unit, options.as_of):
            return ""
        context = children_context(options)
        context["chart_data"] = {
            "bars": [
                {
                    "name": s.criteria_set.name,
                    **charts.child_bar_data(s, charts.child_urls([f.unit for f in s.children], options)),
                }
                for s in (row["summary"] for row in context["sets"])
                if len(s.children) > 1
            ]
        }
        return render_to_string("steering/_brief_children.html", context)

    html = cached(
        "brief-children-html",
        render_children,
        options.unit.pk,
        options.as_of.isoformat(),
        int(options.include_submitted),
        get_language(),
        settings.NTM_PER_UNIT_MAX_UNITS,
    )
    return html or None


def units_html(options):
    """A small subtree's brief figures (one row per commune) as HTML cached under the data version,
    in the three parts between which the page puts the user's due plan items: the tables, the
    gaps, and the rest (standards at risk, recognitions, charts). The engine's queries on a miss,
    none on a hit."""

    def render_units():
        context = brief_context(options)
        context["at_risk"] = standards_at_risk(options.unit, options.as_of, summary=context["summary"])
        context["chart_data"] = {
            "bars": [
                {"name": row["summary"].criteria_set.name, **charts.bar_data(row["summary"], options.as_of)}
                for row in context["sets"]
                if row["summary"].unit_count > 1
            ]
        }
        return {part: render_to_string(f"steering/_brief_units_{part}.html", context) for part in UNITS_PARTS}

    return cached(
        "brief-units-html",
        render_units,
        options.unit.pk,
        options.as_of.isoformat(),
        int(options.include_submitted),
        get_language(),
    )


@report_page
def brief(request, options):
    """Báo cáo nhanh: the brief (two A4 pages) for a steering-committee meeting."""
    # Only units that exist on the report date: the plans of communes merged in 2025 stay in
    # their own history, not in a 2026 brief.
    units = (
        AdministrativeUnit.objects.within(options.unit)
        .valid_on(options.as_of)
        .filter(pk__in=visible_units(request.user))
    )
    due_date, due_items = PlanItem.objects.for_units(units).due_for_meeting(request.GET.get("due"), options.as_of)
    children = children_html(options)
    if children is not None:
        context = {"options": options, "children_html": children, "title_unit": options.unit}
        context["unit_choices"] = unit_choices(request.user, options.unit, options.as_of)
        context["due_date"], context["due_groups"] = due_date, _due_groups(due_items, options.as_of)
        return render(request, "steering/brief.html", context)
    context = {"options": options, "units_html": units_html(options)}
    context["unit_choices"] = unit_choices(request.user, options.unit, options.as_of)
    context["due_date"], context["due_groups"] = due_date, _due_groups(due_items, options.as_of)
    return render(request, "steering/brief.html", context)


@report_page
def brief_xlsx(request, options):
    """The brief as a spreadsheet, for staff who rework the figures; for a large subtree, per
    unit one level down as the page (a national workbook had a row per commune)."""
    if per_child(options.unit, options.as_of):
        workbook = brief_children_workbook(children_context(options))
    else:
        workbook = brief_workbook(brief_context(options))
    response = HttpResponse(content_type=XLSX_TYPE)
    filename = f"bao-cao-nhanh-{options.unit.code}-{options.as_of.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    workbook.save(response)
    return response
