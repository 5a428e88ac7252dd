"""Spreadsheets going out: record templates, records, criteria sets and the report tables.

Figures come from `reports.engine` and nowhere else; this module only lays them out, with
Vietnamese headers, as .xlsx or .csv (formula-like text neutralised by `shared.spreadsheets`).
"""

from django.utils.translation import gettext as _

from criteria.models import Indicator, IndicatorItem, IndicatorKind, Threshold, prefetch_items
from criteria.set_imports import (
    CRITERION_COLUMNS,
    INDICATOR_COLUMNS,
    ITEM_COLUMNS,
    SET_COLUMNS,
    SHEETS,
    THRESHOLD_COLUMNS,
)
from records.imports import (
    COL_AS_OF,
    COL_INDICATOR,
    COL_INDICATOR_NAME,
    COL_NOTE,
    COL_SET,
    COL_TARGET,
    COL_UNIT,
    COL_UNIT_NAME,
    COL_VALUE,
    EXPORT_HEADERS,
    RECORD_HEADERS,
    RECORD_SHEET,
    YES_NO_WORDS,
    status_text,
    value_text,
)
from records.models import AchievementRecord
from reports.engine import summarise, unit_detail
from reports.engine.distribution import BASE_RECOGNISED, BASIC, NOT_MAINTAINED, distribution
from reports.narrative import RULE_WORDS, status_label
from shared.formatting import vi_number
from shared.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, SheetLayout, write_csv, write_xlsx

FORMATS = {"xlsx": XLSX_CONTENT_TYPE, "csv": CSV_CONTENT_TYPE}
# Columns of codes, written as text cells in text columns: Excel would turn 17.10 into 17.1.
CODE_COLUMNS = {COL_UNIT, COL_SET, COL_INDICATOR, SET_COLUMNS["province"]}


def _target_text(indicator, threshold):
    if indicator.kind == IndicatorKind.ANY_OF:
        items = "; ".join(str(item) for item in indicator.items.all())
        return f"{indicator.items_rule_text}: {items}. " + _("Ghi mã các mục đạt, cách nhau bởi “;”, hoặc 0.")
    if threshold is None:
        return ""
    return f"{threshold.rule_text} {indicator.unit_of_measure}".strip()


def _as_table(fmt, title, headers, rows):
    """One table as file bytes in `fmt` ('xlsx' or 'csv')."""
    if fmt == "csv":
        return write_csv(headers, rows)
    return write_xlsx([(title, headers, rows, CODE_COLUMNS)])


def record_template_rows(detail):
    """Template rows of one unit and set: every indicator, pre-filled with its value in force."""
    unit, as_of = detail.unit, detail.as_of
    rows = []
    for status in detail.indicators:
        record, indicator = status.record, status.indicator
        rows.append(
            [
                unit.code,
                unit.display_name,
                detail.criteria_set.code,
                indicator.code,
                indicator.display_name,
                YES_NO_HINT if indicator.kind == IndicatorKind.BOOLEAN else _target_text(indicator, status.threshold),
                as_of,
                value_text(record.value_bool, record.value_number, record.value_items) if record else None,
                "",
            ]
        )
    return rows


YES_NO_HINT = " / ".join(YES_NO_WORDS)
# Wide enough for what each column holds (a set code, an indicator named with its criterion).
TEMPLATE_WIDTHS = {
    COL_UNIT: 18,
    COL_UNIT_NAME: 22,
    COL_SET: 28,
    COL_INDICATOR: 12,
    COL_INDICATOR_NAME: 55,
    COL_TARGET: 18,
    COL_AS_OF: 14,
    COL_VALUE: 14,
    COL_NOTE: 40,
}


def record_template(*, unit, criteria_set, as_of):
    """The .xlsx an officer fills offline: the unit's indicators and their values as of `as_of`,
    with the header row frozen, readable widths and, on yes/no indicators, a value list of the
    words the import reads."""
    detail = unit_detail(unit, criteria_set, as_of)
    prefetch_items([status.indicator for status in detail.indicators])
    yes_no_rows = [n for n, s in enumerate(detail.indicators, start=1) if s.indicator.kind == IndicatorKind.BOOLEAN]
    layout = SheetLayout(widths=TEMPLATE_WIDTHS, freeze_header=True, choices=((COL_VALUE, YES_NO_WORDS, yes_no_rows),))
    guide = [
        [_("Ghi giá trị vào cột “Giá trị”: “Đạt” / “Không đạt”, hoặc một số với chỉ tiêu số liệu.")],
        [_("Để trống ô “Giá trị” nếu chưa có số liệu; không đổi tên cột, không thêm đơn vị khác.")],
        [_("Ngày ở cột “Tính đến ngày” là ngày của số liệu; ghi theo dạng 19/08/2022.")],
    ]
    return write_xlsx(
        [
            (RECORD_SHEET, RECORD_HEADERS, record_template_rows(detail), CODE_COLUMNS, layout),
            (_("Hướng dẫn"), [_("Hướng dẫn")], guide, (), SheetLayout(widths={_("Hướng dẫn"): 100})),
        ]
    )


def records_rows(records):
    """Export rows: the template's columns, then status, return reason and verifier's username."""
    for r in records:
        yield [
            r.unit.code,
            r.unit.display_name,
            r.indicator.criterion.criteria_set.code,
            r.indicator.code,
            r.indicator.display_name,
            "",
            r.as_of,
            value_text(r.value_bool, r.value_number, r.value_items),
            r.note,
            status_text(r.status),
            r.return_reason,
            r.verified_by.get_username() if r.verified_by_id else "",
        ]


def records_export(*, units, fmt, criteria_set=None):
    """Every record of `units` (a queryset), verified and pending, in the record template's layout
    plus the workflow columns, so it imports back with every status (records.imports)."""
    records = (
        AchievementRecord.objects.filter(unit__in=units)
        .select_related("unit", "indicator__criterion__criteria_set", "verified_by")
        # Within one date the older row first: imported in file order, a pending correction stays
        # the later row, which is the one `include_submitted` counts.
        .order_by(
            "unit__code",
            "indicator__criterion__criteria_set__code",
            "as_of",
            "indicator__criterion__number",
            "indicator__order",
            "indicator__code",
            "pk",
        )
    )
    if criteria_set is not None:
        records = records.for_set(criteria_set)
    return _as_table(fmt, RECORD_SHEET, EXPORT_HEADERS, list(records_rows(records.iterator(chunk_size=2000))))


SUMMARY_HEADERS = [
    "Mã bộ tiêu chí",
    "Bộ tiêu chí",
    "Số đơn vị",
    "Tổng số tiêu chí",
    "Bình quân tiêu chí đạt",
    "Tỷ lệ tiêu chí đạt (%)",
    "Tổng số chỉ tiêu",
    "Bình quân chỉ tiêu đạt",
    "Tỷ lệ chỉ tiêu đạt (%)",
    "Số đơn vị đạt đủ tiêu chí",
    "Số đơn vị đã được công nhận",
    "Số chỉ tiêu chưa có số liệu",
    "Minh hoạ",
    # The sum and count every average comes from, and how the province writes it (reports.models).
    "Tổng số tiêu chí đạt của các đơn vị",
    "Tổng số chỉ tiêu đạt của các đơn vị",
    "Cách viết số bình quân",
    "Ngưỡng cơ bản đạt chuẩn (số tiêu chí)",
    "Số đơn vị cơ bản đạt chuẩn",
    "Số đơn vị đã công nhận nhưng chưa duy trì chuẩn",
]
UNIT_HEADERS = [
    "Mã bộ tiêu chí",
    "Mã đơn vị",
    "Đơn vị",
    "Số tiêu chí đạt",
    "Tổng số tiêu chí",
    "Số chỉ tiêu đạt",
    "Tổng số chỉ tiêu",
    "Số chỉ tiêu chưa có số liệu",
    "Đạt đủ tiêu chí",
    "Đã được công nhận",
    "Tiêu chí chưa đạt",
]


DISTRIBUTION_HEADERS = [
    "Mã bộ tiêu chí",
    "Nhóm",
    "Nội dung",
    "Số đơn vị",
    "Trên tổng số",
    "Tổng số là",
    "Tỷ lệ (%)",
    "Đơn vị",
]


def _standing_cells(s):
    dist = distribution(s)
    basic = dist.status(BASIC).share
    return [
        s.criteria_met_sum,
        s.indicators_met_sum,
        RULE_WORDS[dist.average_criteria.rule],
        dist.basic_threshold if dist.basic_threshold is not None else "",
        basic.count if basic is not None else "",
        dist.status(NOT_MAINTAINED).share.count,
    ]


def distribution_rows(summary, *, for_csv=False):
    """Per set, the units in each bin of criteria met and in each status, with the base."""
    number = (lambda v: vi_number(v)) if for_csv else (lambda v: v)
    rows = []
    for s in summary.sets:
        dist = distribution(s)
        noun = s.criteria_set.unit_noun
        shares = [(_("Số tiêu chí đạt"), b.label, b.share) for b in dist.bins]
        shares += [(_("Tình trạng"), status_label(s, dist, st.code), st.share) for st in dist.statuses]
        for group, label, share in shares:
            if share is None:
                rows.append([s.criteria_set.code, group, label, "", "", _("tỉnh chưa quy định ngưỡng"), "", ""])
                continue
            base = _("đơn vị đã được công nhận") if share.base == BASE_RECOGNISED else _("đơn vị thực hiện")
            rows.append(
                [
                    s.criteria_set.code,
                    group,
                    label,
                    share.count,
                    share.base_count,
                    f"{base} ({noun})",
                    number(share.percent),
                    ", ".join(u.display_name for u in share.units or ()),
                ]
            )
    return rows


def summary_tables(summary, *, for_csv=False):
    """The dashboard's tables from `reports.engine.summarise`: per set, and per set and unit.

    In an .xlsx, averages and percentages are numbers; a CSV writes them the Vietnamese way (17,87).
    """
    number = (lambda v: vi_number(v)) if for_csv else (lambda v: v)
    yes_no = lambda flag: _("Có") if flag else _("Không")  # noqa: E731
    per_set, per_unit = [], []
    for s in summary.sets:
        per_set.append(
            [
                s.criteria_set.code,
                s.criteria_set.name,
                s.unit_count,
                s.criteria_total,
                number(s.average_criteria),
                number(s.percent_criteria),
                s.indicators_total,
                number(s.average_indicators),
                number(s.percent_indicators),
                s.units_meeting_standard,
                s.units_recognised,
                s.indicators_missing_sum,
                yes_no(s.criteria_set.is_illustrative),
                *_standing_cells(s),
            ]
        )
        for u in s.units:
            per_unit.append(
                [
                    s.criteria_set.code,
                    u.unit.code,
                    u.unit.display_name,
                    u.criteria_met,
                    u.criteria_total,
                    u.indicators_met,
                    u.indicators_total,
                    u.indicators_missing,
                    yes_no(u.standard_met),
                    yes_no(u.recognised),
                    ", ".join(str(c.criterion.number) for c in u.unmet_criteria),
                ]
            )
    return per_set, per_unit


def summary_export(*, unit, as_of, fmt, table="sets"):
    """The report tables of `unit` as of `as_of`: both sheets in an .xlsx; `table` picks one for CSV."""
    summary = summarise(unit, as_of)
    per_set, per_unit = summary_tables(summary, for_csv=fmt == "csv")
    if fmt == "csv":
        return write_csv(*((UNIT_HEADERS, per_unit) if table == "units" else (SUMMARY_HEADERS, per_set)))
    return write_xlsx(
        [
            (_("Tổng hợp"), SUMMARY_HEADERS, per_set),
            (_("Theo đơn vị"), UNIT_HEADERS, per_unit),
            (_("Phân theo số tiêu chí đạt"), DISTRIBUTION_HEADERS, distribution_rows(summary)),
        ]
    )


def criteria_set_workbook(criteria_set=None):
    """The criteria set template: four sheets with their headers, filled with `criteria_set` if given."""
    rows = {title: [] for title, _c, _r in SHEETS}
    if criteria_set is not None:
        s = criteria_set
        rows[SHEETS[0][0]].append(
            [
                s.code,
                s.name,
                s.get_level_display(),
                s.get_tier_display(),
                s.period_start,
                s.period_end,
                s.decision_number,
                s.decision_date,
                s.get_scope_display(),
                s.province.code if s.province_id else "",
                _("Có") if s.is_illustrative else _("Không"),
                s.note,
                s.distribution_bins,
            ]
        )
        for c in s.criteria.order_by("number"):
            rows[SHEETS[1][0]].append([c.number, c.name, c.name_en, c.group, c.source_status])
        indicators = list(Indicator.objects.filter(criterion__criteria_set=s).select_related("criterion"))
        for i in indicators:
            rows[SHEETS[2][0]].append(
                [
                    i.criterion.number,
                    i.code,
                    i.name,
                    i.get_kind_display(),
                    i.comparator,
                    i.unit_of_measure,
                    i.order,
                    i.guidance,
                    i.min_items,
                ]
            )
        for item in IndicatorItem.objects.filter(indicator__in=indicators).select_related("indicator"):
            rows[SHEETS[4][0]].append([item.indicator.code, item.code, item.name, item.order])
        for t in (
            Threshold.objects.filter(indicator__in=indicators)
            .select_related("indicator")
            .order_by("indicator__code", "region", "commune_group")
        ):
            upper = t.upper.normalize() if t.upper is not None else None
            rows[SHEETS[3][0]].append([t.indicator.code, t.region, t.commune_group, t.value.normalize(), upper])
    columns = {
        SHEETS[0][0]: SET_COLUMNS,
        SHEETS[1][0]: CRITERION_COLUMNS,
        SHEETS[2][0]: INDICATOR_COLUMNS,
        SHEETS[3][0]: THRESHOLD_COLUMNS,
        SHEETS[4][0]: ITEM_COLUMNS,
    }
    return write_xlsx([(title, list(columns[title].values()), rows[title], CODE_COLUMNS) for title, _c, _r in SHEETS])
