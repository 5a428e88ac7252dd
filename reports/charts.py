"""Plain data for the pages' plotly charts, built from engine results (never recomputed here).

Views pass these dicts to the template with `json_script`; static/js/charts.js draws them.
Labels are formatted here, in Vietnamese, so the browser shows the committee's figures as is.
"""

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from shared.formatting import vi_date, vi_number, vi_percent

# Heatmap cell values; the colour scale in charts.js maps them to orange / light grey / blue.
STATUS_Z = {"unmet": 0, "missing": 1, "met": 2}
# The mark in each heatmap cell, so that a cell reads without its colour (and in greyscale).
STATUS_MARKS = {"met": "✓", "unmet": "✗", "missing": "?"}


def plotly_text(value):
    """Text plotly.js shows as typed: it renders <a href>, <b>, <br> and friends in labels, hover
    text and titles, so a unit or work named `<a href=…>` would become a link. plotly.js decodes
    only &amp; &lt; &gt; (and numeric entities), so exactly those three are escaped."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def status_labels():
    return {"met": _("Đạt"), "unmet": _("Chưa đạt"), "missing": _("Chưa có số liệu")}


def unit_urls(units, as_of):
    """{unit id: its page's URL as of `as_of`}, reversing the route once, not once per unit or cell
    (at province level a heatmap has thousands of cells)."""
    marker = "UNIT-CODE-MARKER"
    pattern = reverse("reports:unit", args=[marker])
    query = f"?date={as_of.isoformat()}"
    return {unit.pk: pattern.replace(marker, unit.code) + query for unit in units}


def criterion_anchor(criteria_set, number):
    """The id of a criterion's block on the unit page: 'xa-ntm-2021-2025-tc-17'."""
    return f"{criteria_set.code}-tc-{number}"


def ranked_units(set_summary):
    """Units by criteria met, then indicators met, best first; ties keep the unit order."""
    return sorted(set_summary.units, key=lambda u: (-u.criteria_met, -u.indicators_met))


def bar_data(set_summary, as_of, urls=None):
    """Criteria met per unit, best first, and the set total to mark."""
    units = ranked_units(set_summary)
    urls = urls or unit_urls([u.unit for u in units], as_of)
    return {
        "units": [plotly_text(u.unit.display_name) for u in units],
        "values": [u.criteria_met for u in units],
        "labels": [f"{u.criteria_met}/{set_summary.criteria_total}" for u in units],
        "urls": [urls[u.unit.pk] for u in units],
        "total": set_summary.criteria_total,
        "total_label": _("Tổng số tiêu chí: %(n)s") % {"n": set_summary.criteria_total},
        "axis_label": _("Số tiêu chí đạt"),
    }


def heatmap_data(set_summary, as_of, urls=None):
    """Unit x criterion status; each cell carries the link to the unit's criterion detail."""
    labels = status_labels()
    units = set_summary.units
    criteria = [c.criterion for c in units[0].criteria] if units else []
    urls = urls or unit_urls([u.unit for u in units], as_of)
    anchors = [f"#{criterion_anchor(set_summary.criteria_set, c.number)}" for c in criteria]
    return {
        "units": [plotly_text(u.unit.display_name) for u in units],
        # The axis and the hover name each criterion ('13. Tổ chức sản xuất…'), never a bare 'TC13'.
        "criteria": [plotly_text(c.display_name) for c in criteria],
        "z": [[STATUS_Z[c.status] for c in u.criteria] for u in units],
        "text": [[labels[c.status] for c in u.criteria] for u in units],
        "marks": [[STATUS_MARKS[c.status] for c in u.criteria] for u in units],
        "details": [[f"{c.met_count}/{c.indicator_count}" for c in u.criteria] for u in units],
        "urls": [[urls[u.unit.pk] + anchor for anchor in anchors] for u in units],
        "legend": [labels["unmet"], labels["missing"], labels["met"]],
        "indicators_label": _("chỉ tiêu đạt"),
    }


def heatmap_rows(set_summary, urls):
    """The heatmap's table: per unit, its name and its row of cells as ready, escaped HTML.

    A province-level heatmap has thousands of cells (hundreds of communes x 19 criteria); printed
    by a template loop with several variables, links and translations per cell, they took most of
    the page's time. Here every piece is escaped once (per unit, per criterion, per status) and a
    cell is one string format."""
    labels = {status: escape(label) for status, label in status_labels().items()}
    units = set_summary.units
    criteria = [c.criterion for c in units[0].criteria] if units else []
    anchors = [escape(f"#{criterion_anchor(set_summary.criteria_set, c.number)}") for c in criteria]
    names = [escape(c.display_name) for c in criteria]
    cell = '<td class="cell {0}"><a href="{1}{2}" title="{3}: {4}/{5}">{6}<span class="visually-hidden"> {7}</span></a></td>'
    rows = []
    for u in units:
        url = escape(urls[u.unit.pk])
        cells = "".join(
            cell.format(
                c.status, url, anchor, name, c.met_count, c.indicator_count, STATUS_MARKS[c.status], labels[c.status]
            )
            for c, anchor, name in zip(u.criteria, anchors, names)
        )
        rows.append((u.unit.display_name, mark_safe(cells)))  # noqa: S308 - every part escaped above
    return rows


def unmet_data(set_gaps, limit=10):
    """The indicators most often not met (chỉ tiêu chưa đạt nhiều nhất), most first."""
    top = set_gaps.most_unmet[:limit]
    unit_count = len(set_gaps.units)
    return {
        "labels": [plotly_text(g.indicator.display_name) for g in top],
        "counts": [g.count for g in top],
        "texts": [f"{g.count}/{unit_count}" for g in top],
        "units": [plotly_text(", ".join(u.name for u in g.unmet_units + g.missing_units)) for g in top],
        "axis_label": _("Số đơn vị chưa đạt"),
    }


def trend_data(summaries):
    """Per set, the share of criteria met on every date with data (one line per set)."""
    series = {}
    for summary in summaries:
        for s in summary.sets:
            line = series.setdefault(
                s.criteria_set.code,
                {"name": plotly_text(s.criteria_set.name), "x": [], "y": [], "labels": [], "percents": []},
            )
            line["x"].append(vi_date(summary.as_of))
            line["y"].append(float(s.percent_criteria))
            line["percents"].append(vi_percent(s.percent_criteria))
            line["labels"].append(
                f"{vi_number(s.average_criteria)}/{s.criteria_total} {_('tiêu chí')} ({vi_percent(s.percent_criteria)})"
            )
    return {"series": list(series.values()), "axis_label": _("Tỷ lệ tiêu chí đạt (%)")}


def child_urls(units, options):
    """{unit id: where a row of a unit one level down leads}: its own overview (?unit=), or a
    commune's page, on the same date and counting the same records."""
    from communes.models import Level

    overview = reverse("reports:overview")
    pages = unit_urls([u for u in units if u.level == Level.COMMUNE], options.as_of)
    submitted = "&submitted=1" if options.include_submitted else ""
    return {
        u.pk: pages[u.pk] + submitted if u.pk in pages else f"{overview}?{options.query(unit=u.code)}" for u in units
    }


def child_bar_data(set_rollup, urls):
    """Average criteria met per unit one level down, best first, and the set total to mark."""
    rows = set_rollup.children
    return {
        "units": [plotly_text(f.unit.display_name) for f in rows],
        "values": [float(f.average_criteria) for f in rows],
        "labels": [f"{vi_number(f.average_criteria)}/{set_rollup.criteria_total}" for f in rows],
        "urls": [urls[f.unit.pk] for f in rows],
        "total": set_rollup.criteria_total,
        "total_label": _("Tổng số tiêu chí: %(n)s") % {"n": set_rollup.criteria_total},
        "axis_label": _("Bình quân số tiêu chí đạt"),
    }


def child_unmet_data(set_rollup):
    """The indicators least often met over a large subtree: counts only (no unit names)."""
    top = set_rollup.most_unmet
    return {
        "labels": [plotly_text(indicator.display_name) for indicator, _unmet, _missing in top],
        "counts": [unmet + missing for _indicator, unmet, missing in top],
        "texts": [f"{vi_number(unmet + missing)}/{vi_number(set_rollup.unit_count)}" for _i, unmet, missing in top],
        "units": [
            plotly_text(_("%(unmet)s chưa đạt, %(missing)s chưa có số liệu") % {"unmet": unmet, "missing": missing})
            for _indicator, unmet, missing in top
        ],
        "axis_label": _("Số đơn vị chưa đạt"),
        "auto_ticks": True,
    }
