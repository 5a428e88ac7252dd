"""The dossier summary as an XLSX workbook (openpyxl); formula-like text stays text (`shared.spreadsheets`)."""

from io import BytesIO

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from shared.formatting import vi_date
from shared.spreadsheets import xlsx_cell


def _cell(sheet, value):
    """`value` as the sheet takes it; formula-like text stays text (`xlsx_cell`)."""
    if isinstance(value, Promise):
        # A lazy label (a status without a dossier row yet) is text openpyxl cannot take as is.
        value = str(value)
    return xlsx_cell(sheet, value)


def dossier_workbook(*, unit, criteria_set, dossier, status_label, as_of, readiness, **_context):
    """Bytes of a one-sheet workbook: status, criteria and indicators not met, blockers, conditions."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Hồ sơ")
    detail = readiness.detail

    def row(*values, bold=False):
        sheet.append([_cell(sheet, v) for v in values])
        if bold:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)

    row(_("Hồ sơ đề nghị công nhận"), bold=True)
    row(_("Đơn vị"), unit.display_name)
    row(_("Bộ tiêu chí"), criteria_set.name)
    row(_("Tính đến ngày"), vi_date(as_of))
    row(_("Trạng thái"), status_label)
    if dossier and dossier.recognition:
        row(_("Quyết định công nhận"), dossier.recognition.decision_number, vi_date(dossier.recognition.decision_date))
    row(_("Tiêu chí đạt"), f"{detail.criteria_met}/{len(detail.criteria)}")
    row(_("Chỉ tiêu đạt"), f"{detail.indicators_met}/{len(detail.indicators)}")
    if criteria_set.is_illustrative:
        row(_("Bộ tiêu chí có số chỉ tiêu minh hoạ, chưa đối chiếu với văn bản chính thức."))
    row()
    row(_("Tiêu chí"), _("Chỉ tiêu"), _("Tình trạng"), bold=True)
    for criterion in detail.criteria:
        for status in criterion.indicators:
            row(str(criterion.criterion), status.indicator.display_name, _label(status.status))
    row()
    row(_("Còn vướng"), bold=True)
    for reason in readiness.blockers or [_("Không còn vướng mắc.")]:
        row(reason)
    row()
    row(_("Điều kiện bổ sung"), _("Người xác nhận"), _("Thời điểm"), bold=True)
    for state in readiness.conditions:
        confirmation = state.confirmation
        row(
            state.condition.text,
            (confirmation.confirmed_by.get_full_name() or confirmation.confirmed_by.get_username())
            if confirmation
            else _("Chưa xác nhận"),
            confirmation.confirmed_at.strftime("%d/%m/%Y %H:%M") if confirmation else "",
        )
    sheet.column_dimensions["A"].width = 50
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 20
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _label(status):
    return {"met": _("Đạt"), "unmet": _("Chưa đạt"), "missing": _("Chưa có số liệu")}[status]
