"""The meeting brief as an XLSX workbook (openpyxl).

Every cell goes through `shared.spreadsheets.xlsx_cell`, so a commune or set name starting with
"=" is stored as text and cannot run as a formula when the file is opened in a spreadsheet
(CSV/formula injection), and shows without an added apostrophe.
"""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from shared.formatting import vi_date
from shared.spreadsheets import xlsx_cell


def _yes_no(flag):
    return _("Có") if flag else _("Không")


def _sheet(workbook, title, header, rows, widths):
    sheet = workbook.create_sheet(title)
    sheet.append([xlsx_cell(sheet, h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([xlsx_cell(sheet, v) for v in row])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _change_cells(change):
    """Count and names of the criteria gained, then lost, since the last report date; empty when
    the unit was not counted then (or there is no earlier date)."""
    if change is None:
        return [None, "", None, ""]
    names = lambda criteria: "; ".join(c.display_name for c in criteria)  # noqa: E731
    return [len(change.gained), names(change.gained), len(change.lost), names(change.lost)]


def _summary_sheet(workbook, context):
    """The first sheet: the heading, each set's paragraph and standing lines, the note on
    illustrative data."""
    summary_sheet = workbook.active
    summary_sheet.title = _("Tóm tắt")
    summary_sheet.append([xlsx_cell(summary_sheet, context["heading"])])
    summary_sheet["A1"].font = Font(bold=True)
    for row in context["sets"]:
        summary_sheet.append([xlsx_cell(summary_sheet, row["paragraph"])])
        for line in row.get("standing", ()):
            summary_sheet.append([xlsx_cell(summary_sheet, line)])
    if context["illustrative_note"]:
        summary_sheet.append([xlsx_cell(summary_sheet, context["illustrative_note"])])
    summary_sheet.column_dimensions["A"].width = 120
    for cells in summary_sheet.iter_rows():
        cells[0].alignment = Alignment(wrap_text=True, vertical="top")


def brief_workbook(context):
    """Four sheets: the committee paragraphs, the table per set (with the criteria gained and lost
    since the last report date), unmet indicators, recognitions."""
    workbook = Workbook()
    _summary_sheet(workbook, context)
    rows = []
    for row in context["sets"]:
        s = row["summary"]
        for u, change in row["units"]:
            rows.append(
                [
                    s.criteria_set.name,
                    u.unit.display_name,
                    u.criteria_met,
                    s.criteria_total,
                    u.indicators_met,
                    s.indicators_total,
                    _yes_no(u.standard_met),
                    _yes_no(u.recognised),
                    *_change_cells(change),
                ]
            )
    since = vi_date(context["since"]) if context["since"] else _("ngày báo cáo trước")
    _sheet(
        workbook,
        _("Theo đơn vị"),
        [
            _("Bộ tiêu chí"),
            _("Đơn vị"),
            _("Tiêu chí đạt"),
            _("Tổng tiêu chí"),
            _("Chỉ tiêu đạt"),
            _("Tổng chỉ tiêu"),
            _("Đạt chuẩn"),
            _("Đã công nhận"),
            _("Số tiêu chí đạt thêm từ %(day)s") % {"day": since},
            _("Tiêu chí đạt thêm từ %(day)s") % {"day": since},
            _("Số tiêu chí không còn đạt từ %(day)s") % {"day": since},
            _("Tiêu chí không còn đạt từ %(day)s") % {"day": since},
        ],
        rows,
        [50, 22, 12, 12, 12, 12, 11, 13, 14, 50, 14, 50],
    )

    rows = []
    for row in context["sets"]:
        for unit, unmet, missing in row["gaps"]:
            rows.append([row["summary"].criteria_set.name, unit.display_name, unmet, missing])
    _sheet(
        workbook,
        _("Chỉ tiêu chưa đạt"),
        [_("Bộ tiêu chí"), _("Đơn vị"), _("Chỉ tiêu chưa đạt"), _("Chưa có số liệu")],
        rows,
        [50, 22, 50, 30],
    )

    _sheet(
        workbook,
        _("Công nhận"),
        [_("Đơn vị"), _("Bộ tiêu chí"), _("Số quyết định"), _("Ngày quyết định"), _("Cơ quan ban hành")],
        [
            [r.unit.display_name, r.criteria_set.name, r.decision_number, vi_date(r.decision_date), r.issuer]
            for r in context["recognitions"]
        ],
        [22, 50, 18, 16, 30],
    )
    return workbook


def brief_children_workbook(context):
    """A large subtree's brief (a province, the nation) as its page gives it: the paragraphs, one
    row per unit one level down and the whole unit's total per set, the indicators least often
    met. No row per commune: each unit's own brief has its communes."""
    workbook = Workbook()
    _summary_sheet(workbook, context)
    rows = []
    for row in context["sets"]:
        s = row["summary"]
        basic = s.basic_threshold is not None
        for f, label in [*((f, f.unit.display_name) for f, _dist in row["children"]), (s, _("Tổng"))]:
            rows.append(
                [
                    s.criteria_set.name,
                    label,
                    f.unit_count,
                    f.average_criteria,
                    s.criteria_total,
                    f.average_indicators,
                    s.indicators_total,
                    f.units_meeting_standard,
                    f.units_basic if basic else None,
                    f.units_recognised,
                    f.units_at_risk,
                ]
            )
    _sheet(
        workbook,
        _("Theo đơn vị trực thuộc"),
        [
            _("Bộ tiêu chí"),
            _("Đơn vị"),
            _("Số đơn vị thực hiện"),
            _("Bình quân tiêu chí đạt"),
            _("Tổng tiêu chí"),
            _("Bình quân chỉ tiêu đạt"),
            _("Tổng chỉ tiêu"),
            _("Đạt chuẩn"),
            _("Cơ bản đạt chuẩn"),
            _("Đã công nhận"),
            _("Chưa giữ vững chuẩn"),
        ],
        rows,
        [50, 28, 14, 14, 12, 14, 12, 11, 14, 13, 16],
    )
    rows = [
        [row["summary"].criteria_set.name, indicator.display_name, unmet, missing, row["summary"].unit_count]
        for row in context["sets"]
        for indicator, unmet, missing in row["summary"].most_unmet
    ]
    _sheet(
        workbook,
        _("Chỉ tiêu chưa đạt nhiều nhất"),
        [_("Bộ tiêu chí"), _("Chỉ tiêu"), _("Số đơn vị chưa đạt"), _("Chưa có số liệu"), _("Số đơn vị thực hiện")],
        rows,
        [50, 50, 16, 16, 16],
    )
    return workbook
