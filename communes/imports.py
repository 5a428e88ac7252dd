"""The unit file and the lineage file: administrative units by their official code (mã ĐVHC), and
which old unit went, whole or in part, into which new one on what date (the 2025 reform).

Each import reads and checks the whole file, then hands the checked rows to `communes.services`
in one transaction, or saves nothing. This module knows nothing of accounts: the caller passes
`within`, the unit below which the user may write (None: anywhere).
"""

import unicodedata
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from communes.models import (
    KIND_LABELS,
    KIND_LEVEL,
    AdministrativeUnit,
    Kind,
    Level,
    Region,
    Share,
    UnitSuccession,
)
from communes.services import lineage_import_write, units_import_write
from shared.spreadsheets import SheetLayout, SpreadsheetError, read_sheets, write_xlsx
from shared.tabular import (
    CellError,
    ErrorList,
    RowError,
    free_text,
    is_blank,
    parse_date,
    parse_int,
    read_table,
    text,
)

UNIT_SHEET = "Đơn vị hành chính"
UNIT_COLUMNS = {
    "official_code": "Mã ĐVHC",
    "name": "Tên",
    "kind": "Loại",
    "parent": "Mã ĐVHC cấp trên",
    "valid_from": "Hiệu lực từ",
    "valid_to": "Hết hiệu lực từ",
    "region": "Vùng",
    "commune_group": "Nhóm xã",
    "is_disadvantaged": "Xã ĐBKK",
}
UNIT_REQUIRED = ("official_code", "name", "kind")
LINEAGE_SHEET = "Kế thừa"
LINEAGE_COLUMNS = {
    "old": "Mã ĐVHC cũ",
    "new": "Mã ĐVHC mới",
    "share": "Toàn bộ hay một phần",
    "effective_on": "Ngày hiệu lực",
    "source": "Nguồn",
}
LINEAGE_REQUIRED = ("old", "new", "share", "effective_on")
TEMPLATE_ROWS = 500  # rows of a template that carry the value lists


def vietnamese(label):
    """A choice label as the files write it: in Vietnamese (its msgid), whatever the page's language."""
    with translation.override(None):
        return str(label)


CITY_WORD = "Thành phố"  # a city of either level: the parent decides which
KIND_ORDER = [
    Kind.PROVINCE,
    Kind.CITY,
    Kind.PROVINCIAL_CITY,
    Kind.DISTRICT,
    Kind.DISTRICT_TOWN,
    Kind.URBAN_DISTRICT,
    Kind.COMMUNE,
    Kind.WARD,
    Kind.TOWNSHIP,
    Kind.SPECIAL_ZONE,
]
KIND_WORDS = [vietnamese(KIND_LABELS[Kind.PROVINCE]), CITY_WORD, *(vietnamese(KIND_LABELS[k]) for k in KIND_ORDER[1:])]
REGION_WORDS = [vietnamese(label) for label in Region.labels]
YES_NO_WORDS = ["Có", "Không"]
SHARE_WORDS = [vietnamese(Share.WHOLE.label), vietnamese(Share.PART.label)]
# Digits of an official code by level (mã ĐVHC: 2 for a province, 3 for a district, 5 for a
# commune): a code Excel stored as a number lost its leading zeros, which this puts back.
CODE_DIGITS = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}
LEVEL_ORDER = [Level.NATIONAL, Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]
KEEP = object()  # a blank optional cell: the stored value stays (a new unit takes the default)


def plain(value):
    """A word as matched: lower case, without diacritics or brackets ('Thành phố (thuộc tỉnh)'
    and 'thanh pho thuoc tinh' are the same word)."""
    folded = text(value).replace("Đ", "D").replace("đ", "d").replace("Ð", "D").casefold()
    stripped = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    return " ".join(stripped.replace("(", " ").replace(")", " ").split())


# Kinds by their Vietnamese names; "Thành phố" alone (None) is resolved by the parent.
_KINDS = {plain(vietnamese(KIND_LABELS[kind])): kind for kind in KIND_ORDER}
_KINDS[plain(CITY_WORD)] = None
_REGIONS = {**{plain(vietnamese(label)): value for value, label in Region.choices}, **{v: v for v in Region.values}}
_SHARES = {plain(word): share for word, share in zip(SHARE_WORDS, [Share.WHOLE, Share.PART], strict=True)}
_YES, _NO = {"co", "x", "1", "dbkk"}, {"khong", "0"}


@dataclass
class ImportResult:
    """The preview (or outcome) of a unit or lineage file: what it adds, changes and keeps."""

    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    ended: list = field(default_factory=list)  # lineage: old units whose end date is set
    errors: list = field(default_factory=ErrorList)
    saved: bool = False

    @property
    def ok(self):
        return not self.errors

    @property
    def changes(self):
        return self.created or self.updated or self.ended


@dataclass
class UnitRow:
    """One checked row of a unit file; `unit` is the stored unit it changes (None: a new one)."""

    row: int
    official_code: str
    name: str
    kind: object  # a Kind, or None for "Thành phố" until the parent is known
    parent_code: str
    valid_from: object = KEEP
    valid_to: object = KEEP
    region: object = KEEP
    commune_group: object = KEEP
    is_disadvantaged: object = KEEP
    unit: AdministrativeUnit | None = None
    parent: object = None  # an AdministrativeUnit, or the UnitRow of the parent in the file
    raw_parent: object = None  # the parent cell as read (a number cell may have lost zeros)
    changed: list = field(default_factory=list)  # labels of the fields a stored unit changes

    def value(self, name):
        """The field as it will be saved: the file's, else the stored unit's, else the default."""
        cell = getattr(self, name)
        if cell is not KEEP:
            return cell
        if self.unit is not None:
            return getattr(self.unit, name)
        return {"region": "", "is_disadvantaged": False}.get(name)

    @property
    def display_name(self):
        return f"{KIND_LABELS.get(self.kind, '')} {self.name}".strip()

    @property
    def parent_name(self):
        return self.parent.display_name if self.parent is not None else ""

    @property
    def level(self):
        return KIND_LEVEL[self.kind]


def _error(result, row, column, message):
    result.errors.append(RowError(row, column, message))


def _sheet(file, title, result):
    try:
        sheets = read_sheets(data=file.read(), filename=getattr(file, "name", ""))
    except SpreadsheetError as error:
        _error(result, 0, "", str(error))
        return None
    return sheets.get(title, next(iter(sheets.values()), []))


def official_code(value, *, level=None):
    """A mã ĐVHC cell as its digits; a number cell gets back the leading zeros of `level`'s code."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) and value is not None:
        raise CellError(_("“%(value)s” không phải là mã ĐVHC (chỉ gồm chữ số, ví dụ 06913).") % {"value": value})
    if isinstance(value, float) and not value.is_integer():
        raise CellError(_("“%(value)s” không phải là mã ĐVHC (chỉ gồm chữ số, ví dụ 06913).") % {"value": value})
    code = text(value)
    if code and not code.isdigit():
        raise CellError(_("“%(value)s” không phải là mã ĐVHC (chỉ gồm chữ số, ví dụ 06913).") % {"value": code})
    if isinstance(value, (int, float)) and level in CODE_DIGITS:
        code = code.zfill(CODE_DIGITS[level])
    if len(code) > 8:
        raise CellError(_("Mã ĐVHC “%(value)s” dài quá 8 chữ số.") % {"value": code})
    return code


def _unit_reference(value):
    """A cell naming a unit: a mã ĐVHC, or the site's own code of a unit that has none."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return official_code(value)
    return text(value)


def _number_readings(value, code):
    """The codes a number cell may have been before Excel dropped its leading zeros."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [code.zfill(n) for n in sorted(set(CODE_DIGITS.values())) if len(code) <= n]
    return [code]


# ---------------------------------------------------------------------------------------------
# Units


def unit_template():
    """The unit file to fill in: the headers, value lists for Loại, Vùng and Xã ĐBKK, a guide."""
    c = UNIT_COLUMNS
    rows = range(1, TEMPLATE_ROWS + 1)
    layout = SheetLayout(
        widths={c["official_code"]: 12, c["name"]: 28, c["kind"]: 30, c["parent"]: 18, c["region"]: 30},
        freeze_header=True,
        choices=(
            (c["kind"], KIND_WORDS, rows),
            (c["region"], REGION_WORDS, rows),
            (c["commune_group"], ["1", "2", "3"], rows),
            (c["is_disadvantaged"], YES_NO_WORDS, rows),
        ),
    )
    guide = [
        [_("Mỗi dòng một đơn vị hành chính. Mã ĐVHC: mã trong danh mục đơn vị hành chính, chỉ gồm chữ số.")],
        [
            _(
                "Loại: Tỉnh, Thành phố, Huyện, Thị xã, Quận, Xã, Phường, Thị trấn, Đặc khu. “Thành phố” không có cấp trên là thành phố trực thuộc trung ương, có cấp trên là thành phố thuộc tỉnh."
            )
        ],
        [
            _(
                "Mã ĐVHC cấp trên: đơn vị trong tệp này (thứ tự dòng tuỳ ý) hoặc đã có; bỏ trống với tỉnh, thành phố trực thuộc trung ương."
            )
        ],
        [_("Ngày ghi theo dạng ngày/tháng/năm (01/07/2025). Ô tuỳ chọn để trống thì giữ nguyên giá trị đã lưu.")],
        [_("Nạp lại cùng một tệp không thay đổi gì; đơn vị đã có (cùng mã ĐVHC) được cập nhật.")],
    ]
    headers = list(c.values())
    return write_xlsx(
        [
            (UNIT_SHEET, headers, [], [c["official_code"], c["parent"]], layout),
            (_("Hướng dẫn"), [_("Hướng dẫn")], guide, (), SheetLayout(widths={_("Hướng dẫn"): 110})),
        ]
    )


def _kind(cells, row, result):
    column = UNIT_COLUMNS["kind"]
    raw = cells.get(column)
    word = plain(raw)
    if not word:
        _error(result, row, column, _("Chưa ghi “%(col)s”.") % {"col": column})
        return False
    if word not in _KINDS:
        _error(
            result,
            row,
            column,
            _("Loại “%(value)s” không có; ghi một trong: %(words)s.")
            % {"value": text(raw), "words": ", ".join(KIND_WORDS)},
        )
        return False
    return _KINDS[word]


def _optional(cells, key, row, result, parse):
    column = UNIT_COLUMNS[key]
    if column not in cells or is_blank(cells[column]):
        return KEEP
    try:
        return parse(cells[column])
    except CellError as error:
        _error(result, row, column, str(error))
        return KEEP


def _region(value):
    region = _REGIONS.get(plain(value))
    if region is None:
        raise CellError(
            _("Vùng “%(value)s” không có; ghi một trong: %(words)s.")
            % {"value": text(value), "words": ", ".join(REGION_WORDS)}
        )
    return region


def _yes_no(value):
    if isinstance(value, bool):
        return value
    word = plain(value)
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise CellError(_("“%(value)s” không hợp lệ: ghi “Có” hoặc “Không”.") % {"value": text(value)})


def _read_unit_row(row, cells, result):
    c = UNIT_COLUMNS
    before = len(result.errors)
    kind = _kind(cells, row, result)
    if kind is None:  # "Thành phố": of the central government (2 digits) without a parent
        level = Level.PROVINCE if is_blank(cells.get(c["parent"])) else Level.DISTRICT
    else:
        level = KIND_LEVEL.get(kind)
    try:
        code = official_code(cells.get(c["official_code"]), level=level)
    except CellError as error:
        _error(result, row, c["official_code"], str(error))
        code = ""
    else:
        if not code:
            _error(result, row, c["official_code"], _("Chưa ghi “%(col)s”.") % {"col": c["official_code"]})
    name = text(cells.get(c["name"]))
    if not name:
        _error(result, row, c["name"], _("Chưa ghi “%(col)s”.") % {"col": c["name"]})
    elif len(name) > 200:
        _error(result, row, c["name"], _("Tên dài quá 200 ký tự."))
    try:
        parent_code = _unit_reference(cells.get(c["parent"]))
    except CellError as error:
        _error(result, row, c["parent"], str(error))
        parent_code = ""
    unit_row = UnitRow(
        row=row,
        official_code=code,
        name=name,
        kind=kind,
        parent_code=parent_code,
        valid_from=_optional(cells, "valid_from", row, result, parse_date),
        valid_to=_optional(cells, "valid_to", row, result, parse_date),
        region=_optional(cells, "region", row, result, _region),
        commune_group=_optional(cells, "commune_group", row, result, lambda v: parse_int(v, minimum=1, maximum=3)),
        is_disadvantaged=_optional(cells, "is_disadvantaged", row, result, _yes_no),
    )
    unit_row.raw_parent = cells.get(c["parent"])
    return unit_row if len(result.errors) == before else None


def _in_scope(unit, within, include_self):
    if within is None:
        return True
    return unit.path.startswith(within.subtree_path) or (include_self and unit.pk == within.pk)


def _resolve_parents(rows, by_code, stored, result):
    """Point each row at its parent: a row of the file, else a stored unit (mã ĐVHC, then the
    site's code); refuse unknown parents and parents that lead back to the row."""
    column = UNIT_COLUMNS["parent"]
    for r in rows:
        if not r.parent_code:
            continue
        readings = _number_readings(r.raw_parent, r.parent_code)
        in_file = [by_code[code] for code in readings if code in by_code]
        in_db = [stored[code] for code in readings if code in stored]
        found = in_file or in_db
        if len(found) != 1:
            message = (
                _("Không có đơn vị cấp trên mã ĐVHC “%(code)s” trong tệp hoặc trong dữ liệu đã có.")
                if not found
                else _(
                    "Mã ĐVHC cấp trên “%(code)s” trong ô dạng số đọc được thành nhiều mã; định dạng cột là Văn bản (Text) rồi ghi lại mã."
                )
            )
            _error(result, r.row, column, message % {"code": r.parent_code})
            continue
        r.parent = found[0]
    for r in rows:
        seen, current = {r.row}, r.parent
        while isinstance(current, UnitRow):
            if current.row in seen:
                _error(
                    result,
                    r.row,
                    column,
                    _("Đơn vị cấp trên tạo thành vòng lặp: %(name)s nằm dưới chính nó.")
                    % {"name": r.display_name or r.name},
                )
                break
            seen.add(current.row)
            current = current.parent
        else:
            if isinstance(current, AdministrativeUnit) and r.unit is not None:
                if current.pk == r.unit.pk or current.path.startswith(r.unit.subtree_path):
                    _error(
                        result,
                        r.row,
                        column,
                        _("Đơn vị cấp trên không được là chính đơn vị này hoặc một đơn vị trực thuộc nó."),
                    )


def _parent_level(r):
    parent = r.parent
    if parent is None:
        return None
    if isinstance(parent, UnitRow):
        if parent.kind is None:
            _settle_city(parent)
        return KIND_LEVEL.get(parent.kind)
    return parent.level


def _settle_city(r):
    """'Thành phố': a city of the central government without a parent (or under the national
    root), else a city of its province."""
    if r.kind is not None:
        return
    r.kind = Kind.PROVINCIAL_CITY  # provisional while the parent is looked at (no loops: checked)
    level = _parent_level(r)
    r.kind = Kind.CITY if level in (None, Level.NATIONAL) else Kind.PROVINCIAL_CITY


def _check_place(r, result, within):
    """The row's level under its parent, its dates against the parent's, and the user's scope."""
    c = UNIT_COLUMNS
    parent = r.parent
    parent_level = _parent_level(r)
    if parent is None and r.level not in (Level.NATIONAL, Level.PROVINCE):
        _error(result, r.row, c["parent"], _("%(kind)s phải có đơn vị cấp trên.") % {"kind": KIND_LABELS[r.kind]})
    if parent is not None and LEVEL_ORDER.index(parent_level) >= LEVEL_ORDER.index(r.level):
        _error(
            result,
            r.row,
            c["parent"],
            _("%(kind)s không thể trực thuộc %(parent)s.") % {"kind": KIND_LABELS[r.kind], "parent": r.parent_name},
        )
    start, end = r.value("valid_from"), r.value("valid_to")
    if start and end and end <= start:
        _error(result, r.row, c["valid_to"], _("Ngày hết hiệu lực phải sau ngày hiệu lực."))
    if parent is not None:
        parent_start, parent_end = (
            (parent.value("valid_from"), parent.value("valid_to"))
            if isinstance(parent, UnitRow)
            else (parent.valid_from, parent.valid_to)
        )
        if parent_end and start and start >= parent_end:
            _error(
                result,
                r.row,
                c["valid_from"],
                _("Đơn vị cấp trên %(parent)s hết hiệu lực từ %(day)s, trước khi đơn vị này có hiệu lực.")
                % {"parent": r.parent_name, "day": f"{parent_end:%d/%m/%Y}"},
            )
        if parent_start and start and start < parent_start:
            _error(
                result,
                r.row,
                c["valid_from"],
                _("Đơn vị cấp trên %(parent)s chỉ có hiệu lực từ %(day)s, sau ngày hiệu lực của đơn vị này.")
                % {"parent": r.parent_name, "day": f"{parent_start:%d/%m/%Y}"},
            )
    if within is None:
        return
    # The row's stored unit, and the stored unit its chain of parents in the file ends on.
    anchor = parent
    while isinstance(anchor, UnitRow):
        anchor = anchor.parent
    outside = (r.unit is not None and not _in_scope(r.unit, within, include_self=False)) or (
        anchor is None or not _in_scope(anchor, within, include_self=True)
    )
    if outside:
        _error(
            result,
            r.row,
            c["official_code"],
            _("Đơn vị %(name)s nằm ngoài phạm vi quản lý của bạn (%(scope)s): chỉ nhập được các đơn vị trực thuộc.")
            % {"name": r.display_name, "scope": within.display_name},
        )


def _compare(r):
    """Which fields a stored unit's row changes, as their column headers."""
    if r.unit is None:
        return
    c, unit = UNIT_COLUMNS, r.unit
    parent = r.parent.unit if isinstance(r.parent, UnitRow) else r.parent
    pairs = [
        ("name", r.name, unit.name),
        ("kind", r.kind, unit.kind),
        ("parent", parent.pk if parent is not None else None, unit.parent_id),
    ]
    if isinstance(r.parent, UnitRow) and r.parent.unit is None:
        pairs[-1] = ("parent", "new", unit.parent_id)
    for key in ("valid_from", "valid_to", "region", "commune_group", "is_disadvantaged"):
        pairs.append((key, r.value(key), getattr(unit, key)))
    r.changed = [c[key] for key, new, old in pairs if new != old]


def units_import(*, file, within, dry_run):
    """Check a unit file; save every row (in one transaction) when all are right and not `dry_run`.

    Rows are matched on their mã ĐVHC: a stored unit with it is updated, else a unit is created
    with the official code as its site code. `within` bounds the rows (None: any unit)."""
    result = ImportResult()
    rows = _sheet(file, UNIT_SHEET, result)
    if rows is None:
        return result
    c = UNIT_COLUMNS
    table, errors = read_table(
        rows, required=[c[k] for k in UNIT_REQUIRED], optional=[v for k, v in c.items() if k not in UNIT_REQUIRED]
    )
    result.errors.extend(errors)
    checked, by_code = [], {}
    for row, cells in table:
        r = _read_unit_row(row, cells, result)
        if r is None:
            continue
        if r.official_code in by_code:
            _error(
                result,
                row,
                c["official_code"],
                _("Mã ĐVHC “%(code)s” đã có ở dòng %(row)d.")
                % {"code": r.official_code, "row": by_code[r.official_code].row},
            )
            continue
        by_code[r.official_code] = r
        checked.append(r)
    if result.errors:
        return result

    own = {u.official_code: u for u in AdministrativeUnit.objects.filter(official_code__in=list(by_code))}
    references = {code for r in checked if r.parent_code for code in _number_readings(r.raw_parent, r.parent_code)}
    stored = {}
    for unit in AdministrativeUnit.objects.filter(Q(official_code__in=references) | Q(code__in=references)):
        stored.setdefault(unit.code, unit)
    for unit in AdministrativeUnit.objects.filter(official_code__in=references):
        stored[unit.official_code] = unit  # an official code wins over a site code that reads the same
    taken = dict(
        AdministrativeUnit.objects.filter(code__in=[code for code in by_code if code not in own]).values_list(
            "code", "name"
        )
    )
    for r in checked:
        r.unit = own.get(r.official_code)
        if r.unit is None and r.official_code in taken:
            _error(
                result,
                r.row,
                c["official_code"],
                _("Mã “%(code)s” đã dùng làm mã trên trang của đơn vị %(name)s (chưa có mã ĐVHC).")
                % {"code": r.official_code, "name": taken[r.official_code]},
            )
    _resolve_parents(checked, by_code, stored, result)
    if result.errors:
        return result
    for r in checked:
        _settle_city(r)
    for r in checked:
        _check_place(r, result, within)
    if result.errors:
        return result
    for r in checked:
        _compare(r)
        if r.unit is None:
            result.created.append(r)
        elif r.changed:
            result.updated.append(r)
        else:
            result.unchanged += 1
    if not dry_run and (result.created or result.updated):
        units_import_write(rows=_parents_first(result.created + result.updated))
        result.saved = True
    elif not dry_run:
        result.saved = True
    return result


def _parents_first(rows):
    def depth(r):
        n, current = 0, r.parent
        while isinstance(current, UnitRow):
            n, current = n + 1, current.parent
        return n

    return sorted(rows, key=depth)


# ---------------------------------------------------------------------------------------------
# Lineage


@dataclass
class LineageRow:
    """One checked row of a lineage file; `link` is the stored link it changes (None: a new one)."""

    row: int
    predecessor: AdministrativeUnit
    successor: AdministrativeUnit
    share: str
    effective_on: object
    source: str
    link: UnitSuccession | None = None

    @property
    def share_label(self):
        return Share(self.share).label


def lineage_template():
    """The lineage file to fill in: the headers and the value list for whole or part."""
    c = LINEAGE_COLUMNS
    layout = SheetLayout(
        widths={c["old"]: 14, c["new"]: 14, c["share"]: 20, c["effective_on"]: 14, c["source"]: 50},
        freeze_header=True,
        choices=((c["share"], SHARE_WORDS, range(1, TEMPLATE_ROWS + 1)),),
    )
    guide = [
        [
            _(
                "Mỗi dòng một đơn vị cũ chuyển vào một đơn vị mới. Đơn vị cũ chia cho nhiều đơn vị mới ghi nhiều dòng “Một phần”."
            )
        ],
        [_("Mã ĐVHC cũ, mới: đơn vị đã có (nạp tệp đơn vị trước); đơn vị chưa có mã ĐVHC ghi mã trên trang.")],
        [_("“Toàn bộ”: đơn vị cũ hết hiệu lực từ ngày hiệu lực (nếu chưa ghi ngày hết hiệu lực).")],
        [_("Nguồn: văn bản và mức tin cậy, ví dụ “NQ 1679/NQ-UBTVQH15, nguồn thứ cấp”.")],
    ]
    return write_xlsx(
        [
            (LINEAGE_SHEET, list(c.values()), [], [c["old"], c["new"]], layout),
            (_("Hướng dẫn"), [_("Hướng dẫn")], guide, (), SheetLayout(widths={_("Hướng dẫn"): 110})),
        ]
    )


def _lineage_cells(row, cells, result):
    c = LINEAGE_COLUMNS
    before = len(result.errors)
    codes = {}
    for key in ("old", "new"):
        try:
            codes[key] = _unit_reference(cells.get(c[key]))
        except CellError as error:
            _error(result, row, c[key], str(error))
            continue
        if not codes[key]:
            _error(result, row, c[key], _("Chưa ghi “%(col)s”.") % {"col": c[key]})
    share = _SHARES.get(plain(cells.get(c["share"])))
    if share is None:
        _error(
            result,
            row,
            c["share"],
            _("“%(value)s” không hợp lệ: ghi “Toàn bộ” hoặc “Một phần”.") % {"value": text(cells.get(c["share"]))},
        )
    day = None
    if is_blank(cells.get(c["effective_on"])):
        _error(result, row, c["effective_on"], _("Chưa ghi “%(col)s”.") % {"col": c["effective_on"]})
    else:
        try:
            day = parse_date(cells.get(c["effective_on"]))
        except CellError as error:
            _error(result, row, c["effective_on"], str(error))
    source = free_text(cells.get(c["source"]))
    if len(source) > 300:
        _error(result, row, c["source"], _("Nguồn dài quá 300 ký tự."))
    if len(result.errors) != before:
        return None
    return codes, share, day, source


def _lookup_units(references):
    """Units by every reference a file may use: mã ĐVHC first, else the site's code."""
    found = {}
    units = list(AdministrativeUnit.objects.filter(Q(official_code__in=references) | Q(code__in=references)))
    for unit in units:
        found.setdefault(unit.code, unit)
    for unit in units:
        if unit.official_code:
            found[unit.official_code] = unit
    return found


def _check_link(r, result, within):
    c = LINEAGE_COLUMNS
    old, new, day = r.predecessor, r.successor, r.effective_on
    at = f"{day:%d/%m/%Y}"
    if old.pk == new.pk:
        _error(result, r.row, c["new"], _("Một đơn vị không thể kế thừa chính nó."))
        return
    for unit, key in ((old, "old"), (new, "new")):
        if not _in_scope(unit, within, include_self=False):
            _error(
                result,
                r.row,
                c[key],
                _("Đơn vị %(name)s nằm ngoài phạm vi quản lý của bạn (%(scope)s).")
                % {"name": unit.display_name, "scope": within.display_name},
            )
    if not new.is_valid_on(day):
        _error(
            result,
            r.row,
            c["new"],
            _("Đơn vị mới %(name)s không có hiệu lực vào ngày %(day)s (hiệu lực %(span)s).")
            % {"name": new.display_name, "day": at, "span": _span(new)},
        )
    if old.valid_to is not None and old.valid_to < day:
        _error(
            result,
            r.row,
            c["old"],
            _("Đơn vị cũ %(name)s đã hết hiệu lực từ %(end)s, trước ngày hiệu lực %(day)s.")
            % {"name": old.display_name, "end": f"{old.valid_to:%d/%m/%Y}", "day": at},
        )
    if old.valid_from is not None and old.valid_from >= day:
        _error(
            result,
            r.row,
            c["old"],
            _("Đơn vị cũ %(name)s chỉ có hiệu lực từ %(start)s, không trước ngày hiệu lực %(day)s.")
            % {"name": old.display_name, "start": f"{old.valid_from:%d/%m/%Y}", "day": at},
        )
    if r.share == Share.WHOLE and old.valid_to is not None and old.valid_to > day:
        _error(
            result,
            r.row,
            c["share"],
            _("Đơn vị cũ %(name)s còn hiệu lực đến %(end)s: không thể chuyển toàn bộ vào đơn vị khác từ %(day)s.")
            % {"name": old.display_name, "end": f"{old.valid_to:%d/%m/%Y}", "day": at},
        )


def _span(unit):
    start = f"{unit.valid_from:%d/%m/%Y}" if unit.valid_from else "…"
    end = f"{unit.valid_to:%d/%m/%Y}" if unit.valid_to else "…"
    return f"{start} – {end}"


def _check_whole_alone(rows, stored, result):
    """A whole old unit went into one new unit only: on its date it has no other link."""
    links = {}
    for link in stored:
        links[(link.predecessor_id, link.successor_id)] = (link.effective_date, link.share, None)
    for r in rows:
        links[(r.predecessor.pk, r.successor.pk)] = (r.effective_on, r.share, r)
    by_day = {}
    for (old, _new), (day, share, r) in links.items():
        by_day.setdefault((old, day), []).append((share, r))
    for entries in by_day.values():
        if len(entries) < 2 or all(share != Share.WHOLE for share, _r in entries):
            continue
        for share, r in entries:
            if r is not None and share == Share.WHOLE:
                _error(
                    result,
                    r.row,
                    LINEAGE_COLUMNS["share"],
                    _(
                        "Đơn vị cũ %(name)s có %(n)d đơn vị kế thừa cùng ngày %(day)s: chuyển toàn bộ chỉ vào một đơn vị; nếu chia cho nhiều đơn vị, ghi “Một phần”."
                    )
                    % {"name": r.predecessor.display_name, "n": len(entries), "day": f"{r.effective_on:%d/%m/%Y}"},
                )


def _check_cycles(rows, stored, result):
    """No unit may come, through links, out of itself."""
    edges = {}
    for link in stored:
        edges.setdefault(link.predecessor_id, set()).add(link.successor_id)
    for r in rows:
        edges.setdefault(r.predecessor.pk, set()).add(r.successor.pk)
    for r in rows:
        stack, seen = [r.successor.pk], set()
        while stack:
            current = stack.pop()
            if current == r.predecessor.pk:
                _error(
                    result,
                    r.row,
                    LINEAGE_COLUMNS["new"],
                    _("Kế thừa tạo thành vòng lặp: %(new)s lại là đơn vị trước của %(old)s.")
                    % {"new": r.successor.display_name, "old": r.predecessor.display_name},
                )
                break
            if current not in seen:
                seen.add(current)
                stack.extend(edges.get(current, ()))


def lineage_import(*, file, within, dry_run):
    """Check a lineage file; save every link (in one transaction) when all are right and not
    `dry_run`. An old unit whose every row is "Toàn bộ" ends on the row's date, unless it already
    has an end date. `within` bounds both units of a row (None: any)."""
    result = ImportResult()
    rows = _sheet(file, LINEAGE_SHEET, result)
    if rows is None:
        return result
    c = LINEAGE_COLUMNS
    table, errors = read_table(
        rows, required=[c[k] for k in LINEAGE_REQUIRED], optional=[v for k, v in c.items() if k not in LINEAGE_REQUIRED]
    )
    result.errors.extend(errors)
    read = [(row, _lineage_cells(row, cells, result)) for row, cells in table]
    if result.errors:
        return result
    units = _lookup_units({codes[key] for _row, (codes, *_rest) in read for key in ("old", "new")})
    checked, seen = [], {}
    for row, (codes, share, day, source) in read:
        found = {}
        for key in ("old", "new"):
            found[key] = units.get(codes[key])
            if found[key] is None:
                _error(result, row, c[key], _("Không có đơn vị mã “%(code)s”.") % {"code": codes[key]})
        if None in found.values():
            continue
        pair = (found["old"].pk, found["new"].pk)
        if pair in seen:
            _error(
                result,
                row,
                c["new"],
                _("Dòng này lặp lại kế thừa %(old)s → %(new)s ở dòng %(row)d.")
                % {"old": found["old"].display_name, "new": found["new"].display_name, "row": seen[pair]},
            )
            continue
        seen[pair] = row
        checked.append(LineageRow(row, found["old"], found["new"], share, day, source))
    if result.errors:
        return result
    for r in checked:
        _check_link(r, result, within)
    if result.errors:
        return result
    old_ids = {r.predecessor.pk for r in checked}
    stored = list(UnitSuccession.objects.filter(predecessor__in=old_ids).select_related("predecessor"))
    by_pair = {(link.predecessor_id, link.successor_id): link for link in stored}
    _check_whole_alone(checked, stored, result)
    _check_cycles(checked, UnitSuccession.objects.only("predecessor_id", "successor_id"), result)
    if result.errors:
        return result
    for r in checked:
        r.link = by_pair.get((r.predecessor.pk, r.successor.pk))
        if r.link is None:
            result.created.append(r)
        elif (r.link.share, r.link.effective_on, r.link.source) != (r.share, r.effective_on, r.source):
            result.updated.append(r)
        else:
            result.unchanged += 1
    rows_by_old = {}
    for r in checked:
        rows_by_old.setdefault(r.predecessor.pk, []).append(r)
    for old_rows in rows_by_old.values():
        old = old_rows[0].predecessor
        if old.valid_to is None and all(r.share == Share.WHOLE for r in old_rows):
            result.ended.append((old, old_rows[0].effective_on))
    if not dry_run:
        lineage_import_write(links=result.created + result.updated, ends=result.ended)
        result.saved = True
    return result
