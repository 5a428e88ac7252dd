"""Importing a whole criteria set (bộ tiêu chí) from a workbook: the set, its criteria, indicators
and targets by region or commune group.

Importing a set that exists updates it in place, keyed on natural keys (set code, criterion number,
indicator code), so records entered against it keep pointing at the same indicators. What would
break records is refused with the reason: removing an indicator (or a criterion) that has records,
or turning a yes/no indicator with records into a numeric one. A dry run does all the work in a
transaction and rolls it back, so the preview is exactly what a confirmation would do.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, Region
from criteria.bins import parse_bins
from criteria.models import (
    NONE_MET,
    Comparator,
    CriteriaSet,
    Criterion,
    Indicator,
    IndicatorItem,
    IndicatorKind,
    Scope,
    SetLevel,
    Threshold,
    Tier,
)
from shared.spreadsheets import SpreadsheetError, read_sheets
from shared.tabular import (
    CellError,
    ErrorList,
    RowError,
    fold,
    free_text,
    is_blank,
    parse_code,
    parse_date,
    parse_decimal,
    parse_int,
    parse_yes_no,
    read_table,
    text,
)

SHEET_SET, SHEET_CRITERIA, SHEET_INDICATORS, SHEET_THRESHOLDS = "Bộ tiêu chí", "Tiêu chí", "Chỉ tiêu", "Mức đạt"
SHEET_ITEMS = "Mục"  # the listed items of any-of indicators; optional (older workbooks have none)

SET_COLUMNS = {
    "code": "Mã bộ tiêu chí",
    "name": "Tên bộ tiêu chí",
    "level": "Áp dụng cho",
    "tier": "Mức",
    "period_start": "Từ năm",
    "period_end": "Đến năm",
    "decision_number": "Số quyết định",
    "decision_date": "Ngày quyết định",
    "scope": "Phạm vi",
    "province": "Mã tỉnh ban hành",
    "is_illustrative": "Minh hoạ",
    "note": "Ghi chú",
    # Optional: the bins of the distribution by number of criteria met (criteria.bins).
    "distribution_bins": "Nhóm số tiêu chí đạt",
}
SET_REQUIRED = ["code", "name", "level", "tier", "period_start", "period_end"]
CRITERION_COLUMNS = {
    "number": "Số tiêu chí",
    "name": "Tên tiêu chí",
    "name_en": "Tên tiếng Anh",
    "group": "Nhóm tiêu chí",
    "source_status": "Độ tin cậy của nguồn",
}
INDICATOR_COLUMNS = {
    "criterion": "Số tiêu chí",
    "code": "Mã chỉ tiêu",
    "name": "Tên chỉ tiêu",
    "kind": "Loại",
    "comparator": "So sánh",
    "unit_of_measure": "Đơn vị tính",
    "order": "Thứ tự",
    "guidance": "Văn bản hướng dẫn",
    # Only for the kind "Đạt khi đủ số mục": how many of its items (sheet "Mục") must be met.
    "min_items": "Số mục cần đạt",
}
ITEM_COLUMNS = {"indicator": "Mã chỉ tiêu", "code": "Mã mục", "name": "Tên mục", "order": "Thứ tự"}
THRESHOLD_COLUMNS = {
    "indicator": "Mã chỉ tiêu",
    "region": "Vùng",
    "commune_group": "Nhóm xã",
    "value": "Mức đạt",
    # Only for a band ("[)": from the value to under this); blank for every other comparator.
    "upper": "Đến dưới",
}
SHEETS = [
    (SHEET_SET, SET_COLUMNS, SET_REQUIRED),
    (SHEET_CRITERIA, CRITERION_COLUMNS, ["number", "name"]),
    (SHEET_INDICATORS, INDICATOR_COLUMNS, ["criterion", "code", "kind"]),
    (SHEET_THRESHOLDS, THRESHOLD_COLUMNS, ["indicator", "value"]),
    (SHEET_ITEMS, ITEM_COLUMNS, ["indicator", "code"]),
]
OPTIONAL_SHEETS = {SHEET_ITEMS}
_COMPARATOR_ALIASES = {"≥": ">=", "≤": "<=", "==": "=", "từ … đến dưới …": "[)", "khoảng": "[)"}


@dataclass
class SetImportResult:
    """The preview (or outcome) of a criteria set import."""

    code: str = ""
    name: str = ""
    exists: bool = False
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=ErrorList)
    counts: dict = field(default_factory=dict)
    saved: bool = False

    @property
    def ok(self):
        return not self.errors


def _choice(choices, raw, column, row, errors):
    """A TextChoices value from its code or its Vietnamese label, however it was typed."""
    wanted = fold(raw)
    for value, label in choices.choices:
        if wanted in (fold(value), fold(label)):
            return value
    errors.append(
        RowError(
            row,
            column,
            _("“%(value)s” không hợp lệ; chọn một trong: %(options)s.")
            % {"value": text(raw), "options": ", ".join(str(label) for _, label in choices.choices)},
        )
    )
    return None


def _code(cells, key, columns, row, errors, known=None):
    """A code cell as text, or '' with an error when Excel stored it as an ambiguous number."""
    try:
        return parse_code(cells.get(columns[key]), known=known)
    except CellError as error:
        errors.append(RowError(row, columns[key], str(error)))
        return ""


def _cell(parse, cells, key, columns, row, errors, **kwargs):
    try:
        return parse(cells[columns[key]], **kwargs)
    except CellError as error:
        errors.append(RowError(row, columns[key], str(error)))
        return None


def _parse_set(table, errors):
    if len(table) != 1:
        errors.append(RowError(0, "", _("Trang “%(sheet)s” phải có đúng một dòng dữ liệu.") % {"sheet": SHEET_SET}))
        return None
    row, cells = table[0]
    c = SET_COLUMNS
    data = {key: text(cells.get(c[key])) for key in ("name", "decision_number")}
    data["note"] = free_text(cells.get(c["note"]))
    code_errors = len(errors)
    data["code"] = _code(cells, "code", c, row, errors)
    for key in ("code", "name"):
        if not data[key] and (key == "name" or len(errors) == code_errors):
            errors.append(RowError(row, c[key], _("Chưa ghi “%(col)s”.") % {"col": c[key]}))
    data["level"] = _choice(SetLevel, cells[c["level"]], c["level"], row, errors)
    data["tier"] = _choice(Tier, cells[c["tier"]], c["tier"], row, errors)
    data["period_start"] = _cell(parse_int, cells, "period_start", c, row, errors, minimum=1990, maximum=2100)
    data["period_end"] = _cell(parse_int, cells, "period_end", c, row, errors, minimum=1990, maximum=2100)
    if data["period_start"] and data["period_end"] and data["period_end"] < data["period_start"]:
        errors.append(RowError(row, c["period_end"], _("Năm kết thúc trước năm bắt đầu.")))
    raw_date = cells.get(c["decision_date"])
    data["decision_date"] = None if is_blank(raw_date) else _cell(parse_date, cells, "decision_date", c, row, errors)
    raw_scope = cells.get(c["scope"])
    data["scope"] = Scope.NATIONAL if is_blank(raw_scope) else _choice(Scope, raw_scope, c["scope"], row, errors)
    province_code = _code(cells, "province", c, row, errors)
    data["province"] = None
    if data["scope"] == Scope.PROVINCIAL:
        data["province"] = AdministrativeUnit.objects.filter(code=province_code).first() if province_code else None
        if data["province"] is None:
            errors.append(
                RowError(row, c["province"], _("Bộ tiêu chí cấp tỉnh cần mã tỉnh ban hành có trong hệ thống."))
            )
    elif province_code:
        errors.append(RowError(row, c["province"], _("Bộ tiêu chí quốc gia không ghi tỉnh ban hành.")))
    if c["distribution_bins"] in cells:  # an older workbook without the column keeps the set's bins
        data["distribution_bins"] = text(cells[c["distribution_bins"]])
    raw_flag = cells.get(c["is_illustrative"])
    data["is_illustrative"] = (
        False if is_blank(raw_flag) else _cell(parse_yes_no, cells, "is_illustrative", c, row, errors)
    )
    return data


def _check_bins(raw, total, row, errors):
    """The bins must cover 0..total criteria of the set as the workbook defines it."""
    try:
        parse_bins(raw, total)
    except ValidationError as error:
        errors.append(RowError(row, SET_COLUMNS["distribution_bins"], error.messages[0]))


def _parse_criteria(table, errors):
    criteria = {}
    c = CRITERION_COLUMNS
    for row, cells in table:
        number = _cell(parse_int, cells, "number", c, row, errors, minimum=1, maximum=999)
        name = text(cells[c["name"]])
        if not name:
            errors.append(RowError(row, c["name"], _("Chưa ghi tên tiêu chí.")))
        if number is None or not name:
            continue
        if number in criteria:
            errors.append(
                RowError(
                    row,
                    c["number"],
                    _("Tiêu chí số %(n)d đã có ở dòng %(row)d.") % {"n": number, "row": criteria[number]["row"]},
                )
            )
            continue
        criteria[number] = {
            "row": row,
            "name": name,
            **{k: text(cells.get(c[k])) for k in ("name_en", "group", "source_status")},
        }
    return criteria


def _parse_indicators(table, criteria, errors):
    indicators = {}
    c = INDICATOR_COLUMNS
    for row, cells in table:
        before = len(errors)
        number = _cell(parse_int, cells, "criterion", c, row, errors, minimum=1, maximum=999)
        if number is not None and number not in criteria:
            errors.append(
                RowError(
                    row,
                    c["criterion"],
                    _("Không có tiêu chí số %(n)d trong trang “%(sheet)s”.") % {"n": number, "sheet": SHEET_CRITERIA},
                )
            )
        code_errors = len(errors)
        code = _code(cells, "code", c, row, errors)
        if not code and len(errors) == code_errors:
            errors.append(RowError(row, c["code"], _("Chưa ghi mã chỉ tiêu.")))
        elif code in indicators:
            errors.append(
                RowError(
                    row,
                    c["code"],
                    _("Chỉ tiêu “%(code)s” đã có ở dòng %(row)d.") % {"code": code, "row": indicators[code]["row"]},
                )
            )
        kind = _choice(IndicatorKind, cells[c["kind"]], c["kind"], row, errors)
        raw_comparator = text(cells.get(c["comparator"]))
        comparator = _COMPARATOR_ALIASES.get(raw_comparator, raw_comparator)
        if kind == IndicatorKind.NUMERIC and comparator not in Comparator.values:
            errors.append(
                RowError(
                    row, c["comparator"], _("Chỉ tiêu số liệu cần phép so sánh (>=, >, <=, <, = hoặc [) cho khoảng).")
                )
            )
        if kind == IndicatorKind.BOOLEAN and comparator:
            errors.append(RowError(row, c["comparator"], _("Chỉ tiêu Đạt / không đạt không có phép so sánh.")))
        if kind == IndicatorKind.ANY_OF and comparator:
            errors.append(RowError(row, c["comparator"], _("Chỉ tiêu “Đạt khi đủ số mục” không có phép so sánh.")))
        raw_order = cells.get(c["order"])
        order = 0 if is_blank(raw_order) else _cell(parse_int, cells, "order", c, row, errors, minimum=0, maximum=32767)
        min_items = _min_items(cells, kind, row, errors)
        if len(errors) > before:
            continue
        indicators[code] = {
            "row": row,
            "criterion": number,
            "name": text(cells.get(c["name"])),
            "kind": kind,
            "comparator": comparator if kind == IndicatorKind.NUMERIC else "",
            "unit_of_measure": text(cells.get(c["unit_of_measure"])),
            "order": order,
            "guidance": text(cells.get(c["guidance"])),
            "min_items": min_items,
        }
    return indicators


def _min_items(cells, kind, row, errors):
    """How many items an any-of indicator needs met: required for that kind, refused for others."""
    c = INDICATOR_COLUMNS
    raw = cells.get(c["min_items"])
    if kind != IndicatorKind.ANY_OF:
        if not is_blank(raw):
            errors.append(RowError(row, c["min_items"], _("Chỉ ghi số mục cần đạt cho loại “Đạt khi đủ số mục”.")))
        return None
    if is_blank(raw):
        errors.append(RowError(row, c["min_items"], _("Chỉ tiêu loại “Đạt khi đủ số mục” cần số mục cần đạt.")))
        return None
    return _cell(parse_int, cells, "min_items", c, row, errors, minimum=1, maximum=999)


def _sheet_indicator(cells, c, row, errors, indicators, kind, wrong_kind):
    """(code, parsed indicator or None) of a targets or items row: the indicator must be on the
    indicators sheet and of `kind` (`wrong_kind` says why not, with %(code)s)."""
    before = len(errors)
    code = _code(cells, "indicator", c, row, errors, known=list(indicators))
    indicator = indicators.get(code)
    if indicator is None and len(errors) == before:
        errors.append(
            RowError(
                row,
                c["indicator"],
                _("Không có chỉ tiêu “%(code)s” trong trang “%(sheet)s”.") % {"code": code, "sheet": SHEET_INDICATORS},
            )
        )
    elif indicator is not None and indicator["kind"] != kind:
        errors.append(RowError(row, c["indicator"], wrong_kind % {"code": code}))
    return code, indicator


def _parse_thresholds(table, indicators, errors):
    thresholds, seen = {}, {}
    c = THRESHOLD_COLUMNS
    for row, cells in table:
        before = len(errors)
        code, indicator = _sheet_indicator(
            cells,
            c,
            row,
            errors,
            indicators,
            IndicatorKind.NUMERIC,
            _("Chỉ tiêu “%(code)s” là loại Đạt / không đạt, không có mức đạt."),
        )
        raw_region = cells.get(c["region"])
        region = "" if is_blank(raw_region) else _choice(Region, raw_region, c["region"], row, errors)
        raw_group = cells.get(c["commune_group"])
        group = (
            None
            if is_blank(raw_group)
            else _cell(parse_int, cells, "commune_group", c, row, errors, minimum=1, maximum=3)
        )
        value = _cell(parse_decimal, cells, "value", c, row, errors)
        upper = _threshold_upper(cells, indicator, value, row, errors)
        if len(errors) > before:
            continue
        key = (code, region, group)
        if key in seen:
            errors.append(
                RowError(
                    row,
                    c["indicator"],
                    _("Mức đạt trùng với dòng %(row)d (cùng chỉ tiêu, vùng, nhóm xã).") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = row
        thresholds.setdefault(code, []).append((region, group, value, upper))
    return thresholds


def _threshold_upper(cells, indicator, value, row, errors):
    """The band's upper bound: required for a band, above its lower bound; refused otherwise."""
    c = THRESHOLD_COLUMNS
    raw = cells.get(c["upper"])
    band = indicator is not None and indicator["comparator"] == Comparator.BAND
    if is_blank(raw):
        if band:
            errors.append(RowError(row, c["upper"], _("Mức đạt dạng khoảng cần cận trên (“Đến dưới”).")))
        return None
    if not band:
        errors.append(RowError(row, c["upper"], _("Chỉ ghi “Đến dưới” cho chỉ tiêu so sánh dạng khoảng “[)”.")))
        return None
    before = len(errors)
    upper = _cell(parse_decimal, cells, "upper", c, row, errors)
    if len(errors) == before and value is not None and upper <= value:
        errors.append(RowError(row, c["upper"], _("Cận trên phải lớn hơn mức đạt (cận dưới).")))
    return upper


def _read_workbook(file, max_bytes, max_rows, result):
    wanted = [title for title, _c, _r in SHEETS]
    try:
        sheets = read_sheets(
            data=file.read(),
            filename=getattr(file, "name", ""),
            max_bytes=max_bytes,
            max_rows=max_rows,
            pick=lambda titles: [t for t in titles if t in wanted],
        )
    except SpreadsheetError as error:
        result.errors.append(RowError(0, "", str(error)))
        return None
    tables = {}
    for title, columns, required in SHEETS:
        if title not in sheets:
            if title in OPTIONAL_SHEETS:
                tables[title] = []
            else:
                result.errors.append(RowError(0, "", _("Thiếu trang tính “%(sheet)s”.") % {"sheet": title}))
            continue
        table, errors = read_table(
            sheets[title],
            required=[columns[k] for k in required],
            optional=[v for k, v in columns.items() if k not in required],
            sheet_label=title,
        )
        # A set may have no targets or items yet; every other sheet needs rows.
        if title in (SHEET_THRESHOLDS, SHEET_ITEMS):
            errors = [e for e in errors if e.row != 0 or table]
        result.errors += [RowError(e.row, f"{title} › {e.column}" if e.column else title, e.message) for e in errors]
        tables[title] = table
    return None if result.errors else tables


def set_workbook_apply(*, file, dry_run, reevaluate, may_write=None, max_bytes=None, max_rows=None):
    """Check a criteria set workbook and create or update the set; roll back when `dry_run`.

    The caller (records.services.criteria_set_import) says who may write which set
    (`may_write(proposed, existing)`, None: anyone) and how the records of an indicator whose
    targets changed are re-evaluated (`reevaluate(indicator)` returns those it cannot decide), inside
    the same transaction. Returns a `SetImportResult` listing the changes (or the errors, in which
    case nothing changed).
    """
    result = SetImportResult()
    tables = _read_workbook(file, max_bytes, max_rows, result)
    if tables is None:
        return result
    errors = result.errors
    data = _parse_set(tables[SHEET_SET], errors)
    criteria = _parse_criteria(tables[SHEET_CRITERIA], errors)
    indicators = _parse_indicators(tables[SHEET_INDICATORS], criteria, errors)
    thresholds = _parse_thresholds(tables[SHEET_THRESHOLDS], indicators, errors)
    items = _parse_items(tables[SHEET_ITEMS], indicators, errors)
    if data is not None and "distribution_bins" in data:
        _check_bins(data["distribution_bins"], len(criteria), tables[SHEET_SET][0][0], errors)
    if errors or data is None:
        return result
    if may_write is not None and not may_write(
        CriteriaSet(scope=data["scope"], province=data["province"]),
        CriteriaSet.objects.filter(code=data["code"]).first(),
    ):
        errors.append(
            RowError(
                0,
                SHEET_SET,
                _(
                    "Bộ tiêu chí quốc gia chỉ quản trị hệ thống được thay đổi; bộ tiêu chí của tỉnh chỉ cán bộ "
                    "của tỉnh đó được thay đổi."
                ),
            )
        )
        return result
    result.code, result.name = data["code"], data["name"]
    result.counts = {
        "criteria": len(criteria),
        "indicators": len(indicators),
        "thresholds": sum(len(t) for t in thresholds.values()),
    }
    with transaction.atomic():
        _apply(data, criteria, indicators, thresholds, items, result, reevaluate)
        if result.errors or dry_run:
            transaction.set_rollback(True)
        else:
            result.saved = True
    return result


def _apply(data, criteria, indicators, thresholds, items, result, reevaluate):
    """Write the parsed set; record each change in words, refusals as errors."""
    code = data.pop("code")
    criteria_set = CriteriaSet.objects.filter(code=code).first()
    result.exists = criteria_set is not None
    if criteria_set is None:
        criteria_set = CriteriaSet.objects.create(code=code, **data)
        result.changes.append(_("Tạo bộ tiêu chí mới “%(code)s”.") % {"code": code})
    else:
        changed = [key for key, value in data.items() if getattr(criteria_set, key) != value]
        if changed:
            for key in changed:
                setattr(criteria_set, key, data[key])
            criteria_set.save()
            result.changes.append(
                _("Sửa thông tin bộ tiêu chí: %(fields)s.") % {"fields": ", ".join(SET_COLUMNS[k] for k in changed)}
            )

    existing_criteria = {c.number: c for c in criteria_set.criteria.all()}
    existing_indicators = {
        i.code: i
        for i in Indicator.objects.filter(criterion__criteria_set=criteria_set)
        .select_related("criterion")
        .annotate(record_count=Count("records"))
    }
    for code_, indicator in existing_indicators.items():
        if code_ not in indicators and indicator.record_count:
            result.errors.append(
                RowError(
                    0,
                    SHEET_INDICATORS,
                    _(
                        "Không thể xoá chỉ tiêu %(code)s: đã có %(n)d kết quả nhập theo chỉ tiêu này. Giữ chỉ tiêu trong tệp."
                    )
                    % {"code": code_, "n": indicator.record_count},
                )
            )
        elif code_ in indicators and indicator.record_count and indicator.kind != indicators[code_]["kind"]:
            result.errors.append(
                RowError(
                    indicators[code_]["row"],
                    f"{SHEET_INDICATORS} › {INDICATOR_COLUMNS['kind']}",
                    _("Không thể đổi loại chỉ tiêu %(code)s: đã có %(n)d kết quả nhập theo loại cũ.")
                    % {"code": code_, "n": indicator.record_count},
                )
            )
    if result.errors:
        return

    criterion_objs = {}
    for number, values in criteria.items():
        fields = {k: values[k] for k in ("name", "name_en", "group", "source_status")}
        criterion, change = _upsert(
            existing_criteria.get(number), Criterion, dict(criteria_set=criteria_set, number=number), fields
        )
        if change == "added":
            result.changes.append(_("Thêm tiêu chí %(n)d: %(name)s.") % {"n": number, "name": fields["name"]})
        elif change == "changed":
            result.changes.append(_("Sửa tiêu chí %(n)d.") % {"n": number})
        criterion_objs[number] = criterion

    indicator_objs = {}
    for code_, values in indicators.items():
        fields = {
            k: values[k] for k in ("name", "kind", "comparator", "unit_of_measure", "order", "guidance", "min_items")
        }
        fields["criterion"] = criterion_objs[values["criterion"]]
        previous = existing_indicators.get(code_)
        rule_changed = previous is not None and previous.min_items != fields["min_items"]
        indicator, change = _upsert(previous, Indicator, dict(code=code_), fields)
        if rule_changed and previous.record_count:
            reevaluate(indicator)
            result.changes.append(
                _("Đánh giá lại các kết quả đã nhập của chỉ tiêu %(code)s theo số mục cần đạt mới.") % {"code": code_}
            )
        if change == "added":
            result.changes.append(_("Thêm chỉ tiêu %(code)s.") % {"code": code_})
        elif change == "changed":
            result.changes.append(_("Sửa chỉ tiêu %(code)s.") % {"code": code_})
        indicator_objs[code_] = indicator

    for code_, indicator in existing_indicators.items():
        if code_ not in indicators:
            indicator.delete()
            result.changes.append(_("Xoá chỉ tiêu %(code)s (chưa có kết quả nào).") % {"code": code_})
    for number, criterion in existing_criteria.items():
        if number not in criteria:
            criterion.delete()
            result.changes.append(_("Xoá tiêu chí %(n)d.") % {"n": number})

    _apply_thresholds(indicator_objs, existing_indicators, thresholds, result, reevaluate)
    _apply_items(indicator_objs, existing_indicators, items, result)


def _apply_items(indicator_objs, existing_indicators, items, result):
    old = {}
    for item in IndicatorItem.objects.filter(indicator__in=indicator_objs.values()):
        old.setdefault(item.indicator_id, set()).add((item.code, item.name, item.order))
    for code_, indicator in indicator_objs.items():
        new = set(items.get(code_, []))
        if new == old.get(indicator.pk, set()):
            continue
        IndicatorItem.objects.filter(indicator=indicator).delete()
        IndicatorItem.objects.bulk_create(
            [IndicatorItem(indicator=indicator, code=c, name=n, order=o) for c, n, o in sorted(new, key=str)]
        )
        if code_ in existing_indicators:
            result.changes.append(_("Đổi danh sách mục của chỉ tiêu %(code)s.") % {"code": code_})


def _parse_items(table, indicators, errors):
    """{indicator code: [(item code, name, order)]} of the sheet "Mục"; each any-of indicator needs
    at least as many items as it asks to be met, and only any-of indicators have items."""
    items, seen = {}, {}
    c = ITEM_COLUMNS
    for row, cells in table:
        before = len(errors)
        code, _indicator = _sheet_indicator(
            cells,
            c,
            row,
            errors,
            indicators,
            IndicatorKind.ANY_OF,
            _("Chỉ tiêu “%(code)s” không thuộc loại “Đạt khi đủ số mục”."),
        )
        item_code = _code(cells, "code", c, row, errors)
        if not item_code and len(errors) == before:
            errors.append(RowError(row, c["code"], _("Chưa ghi mã mục.")))
        elif item_code == NONE_MET:
            errors.append(RowError(row, c["code"], _("Mã mục “0” dành cho “không mục nào đạt”; hãy đặt mã khác.")))
        raw_order = cells.get(c["order"])
        order = 0 if is_blank(raw_order) else _cell(parse_int, cells, "order", c, row, errors, minimum=0, maximum=32767)
        if len(errors) > before:
            continue
        if (code, item_code) in seen:
            errors.append(
                RowError(
                    row,
                    c["code"],
                    _("Mục trùng với dòng %(row)d (cùng chỉ tiêu, mã mục).") % {"row": seen[(code, item_code)]},
                )
            )
            continue
        seen[(code, item_code)] = row
        items.setdefault(code, []).append((item_code, text(cells.get(c["name"])), order))
    for code, indicator in indicators.items():
        if indicator["kind"] == IndicatorKind.ANY_OF and len(items.get(code, [])) < (indicator["min_items"] or 0):
            errors.append(
                RowError(
                    indicator["row"],
                    f"{SHEET_INDICATORS} › {c['indicator']}",
                    _("Chỉ tiêu %(code)s cần ít nhất %(n)d mục ở trang “%(sheet)s”.")
                    % {"code": code, "n": indicator["min_items"], "sheet": SHEET_ITEMS},
                )
            )
    return items


def _upsert(existing, model, keys, fields):
    """(row, 'added' | 'changed' | '') after creating `model` or bringing `existing` up to `fields`."""
    if existing is None:
        return model.objects.create(**keys, **fields), "added"
    if all(getattr(existing, k) == v for k, v in fields.items()):
        return existing, ""
    for k, v in fields.items():
        setattr(existing, k, v)
    existing.save()
    return existing, "changed"


def _apply_thresholds(indicator_objs, existing_indicators, thresholds, result, reevaluate):
    old = {}
    for threshold in Threshold.objects.filter(indicator__in=indicator_objs.values()):
        old.setdefault(threshold.indicator_id, set()).add(
            (threshold.region, threshold.commune_group, threshold.value, threshold.upper)
        )
    for code_, indicator in indicator_objs.items():
        new = set(thresholds.get(code_, []))
        if indicator.kind == IndicatorKind.NUMERIC and not new:
            result.warnings.append(
                _("Chỉ tiêu %(code)s chưa có mức đạt: chưa đánh giá được kết quả dạng số.") % {"code": code_}
            )
        if new == old.get(indicator.pk, set()):
            continue
        Threshold.objects.filter(indicator=indicator).delete()
        Threshold.objects.bulk_create(
            [
                Threshold(indicator=indicator, region=r, commune_group=g, value=v, upper=u)
                for r, g, v, u in sorted(new, key=str)
            ]
        )
        if code_ in existing_indicators:
            result.changes.append(_("Đổi mức đạt của chỉ tiêu %(code)s.") % {"code": code_})
            if existing_indicators[code_].record_count:
                undecidable = reevaluate(indicator)
                result.changes.append(
                    _("Đánh giá lại các kết quả đã nhập của chỉ tiêu %(code)s theo mức đạt mới.") % {"code": code_}
                )
                if undecidable:
                    result.warnings.append(
                        _("%(n)d kết quả của chỉ tiêu %(code)s không có mức đạt áp dụng; giữ nguyên đánh giá cũ.")
                        % {"n": len(undecidable), "code": code_}
                    )
