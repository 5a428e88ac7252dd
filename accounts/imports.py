"""Accounts from a file: province staff (BCĐ tỉnh), district staff and commune officers, with
e-mail, checked row by row and created in one transaction or not at all.

The caller is the actor's page or command; each row's unit must be one the actor may create that
kind of account for (`accounts.access`).
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import manageable_communes, manageable_steering_units
from accounts.models import Role
from accounts.services import account_create
from communes.models import Level
from shared.spreadsheets import SheetLayout, SpreadsheetError, read_sheets, write_xlsx
from shared.tabular import CellError, ErrorList, RowError, fold, parse_code, read_table, text

ACCOUNT_COLUMNS = {
    "username": "Tên đăng nhập",
    "full_name": "Họ và tên",
    "email": "Thư điện tử",
    "role": "Vai trò",
    "unit": "Mã đơn vị",
    "password": "Mật khẩu",
}
ACCOUNT_SHEET = "Tài khoản"
ACCOUNT_REQUIRED = ["username", "role", "unit", "password"]
USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.@+-_")


def role_kinds():
    """What the Vai trò column accepts: the name, the role and the level of unit it goes with."""
    return [
        (_("BCĐ tỉnh"), Role.DISTRICT_STAFF, Level.PROVINCE),
        (_("BCĐ huyện"), Role.DISTRICT_STAFF, Level.DISTRICT),
        (_("Cán bộ xã"), Role.COMMUNE_OFFICER, Level.COMMUNE),
    ]


TEMPLATE_ROWS = 200  # rows of the template offering the Vai trò value list


def accounts_template():
    """The empty account file (.xlsx): the columns the import reads, codes and passwords as text
    (a commune code such as 06913 keeps its leading zero) and the roles as a value list."""
    c = ACCOUNT_COLUMNS
    headers = list(c.values())
    layout = SheetLayout(
        widths={header: 22 for header in headers},
        freeze_header=True,
        choices=((c["role"], [str(kind[0]) for kind in role_kinds()], range(1, TEMPLATE_ROWS + 1)),),
    )
    return write_xlsx([(ACCOUNT_SHEET, headers, [], [c["username"], c["unit"], c["password"]], layout)])


@dataclass
class AccountImportResult:
    """The preview (or outcome) of an account file: the accounts to create, or the errors."""

    accounts: list = field(default_factory=list)  # dicts: username, full_name, email, role_name, unit
    errors: list[RowError] = field(default_factory=ErrorList)
    saved: bool = False

    @property
    def ok(self):
        return not self.errors


def _row(cells, row, result, units, taken, seen):
    c = ACCOUNT_COLUMNS
    before = len(result.errors)

    def error(column, message):
        result.errors.append(RowError(row, c[column], message))

    username = text(cells.get(c["username"]))
    if not username:
        error("username", _("Chưa ghi tên đăng nhập."))
    elif len(username) > 150 or not set(username) <= USERNAME_CHARS:
        error("username", _("Tên đăng nhập chỉ gồm chữ, số và các ký tự . @ + - _"))
    elif username.casefold() in taken:
        error("username", _("Tên đăng nhập “%(username)s” đã có người dùng.") % {"username": username})
    elif username.casefold() in seen:
        error(
            "username",
            _("Tên đăng nhập “%(username)s” đã có ở dòng %(row)d.")
            % {"username": username, "row": seen[username.casefold()]},
        )
    seen.setdefault(username.casefold(), row)
    full_name = text(cells.get(c["full_name"]))[:150]
    email = text(cells.get(c["email"]))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            error("email", _("Địa chỉ thư điện tử “%(email)s” không hợp lệ.") % {"email": email})
    kinds = role_kinds()
    wanted = fold(cells.get(c["role"]))
    kind = next((k for k in kinds if fold(k[0]) == wanted), None)
    if kind is None:
        error(
            "role",
            _("Vai trò “%(value)s” không hợp lệ; chọn một trong: %(options)s.")
            % {"value": text(cells.get(c["role"])), "options": ", ".join(str(k[0]) for k in kinds)},
        )
    try:
        unit_code = parse_code(cells.get(c["unit"]))
    except CellError as problem:
        error("unit", str(problem))
        unit_code = None
    unit = None
    if unit_code == "":
        error("unit", _("Chưa ghi mã đơn vị."))
    elif unit_code is not None and kind is not None:
        unit = units[kind[2]].get(unit_code)
        if unit is None:
            error(
                "unit",
                _("Không có %(level)s mã “%(code)s” trong phạm vi quản lý của bạn.")
                % {"level": Level(kind[2]).label.lower(), "code": unit_code},
            )
    password = cells.get(c["password"])
    password = "" if password is None else str(password)
    if not password:
        error("password", _("Chưa ghi mật khẩu."))
    elif username:
        try:
            validate_password(password, user=get_user_model()(username=username, first_name=full_name, email=email))
        except ValidationError as problem:
            error("password", " ".join(problem.messages))
    if len(result.errors) > before:
        return None
    return {
        "username": username,
        "full_name": full_name,
        "email": email,
        "role": kind[1],
        "role_name": str(kind[0]),
        "unit": unit,
        "password": password,
    }


def accounts_import(*, file, actor, dry_run):
    """Check a file of accounts; create them all when every row is right and not `dry_run`."""
    result = AccountImportResult()
    try:
        sheets = read_sheets(data=file.read(), filename=getattr(file, "name", ""))
    except SpreadsheetError as error:
        result.errors.append(RowError(0, "", str(error)))
        return result
    rows = sheets.get(ACCOUNT_SHEET, next(iter(sheets.values()), []))
    c = ACCOUNT_COLUMNS
    required = [c[k] for k in ACCOUNT_REQUIRED]
    table, errors = read_table(rows, required=required, optional=[v for v in c.values() if v not in required])
    result.errors.extend(errors)
    steering = list(manageable_steering_units(actor))
    units = {
        Level.COMMUNE: {u.code: u for u in manageable_communes(actor)},
        Level.PROVINCE: {u.code: u for u in steering if u.level == Level.PROVINCE},
        Level.DISTRICT: {u.code: u for u in steering if u.level == Level.DISTRICT},
    }
    taken = {name.casefold() for name in get_user_model().objects.values_list("username", flat=True)}
    seen = {}
    for row, cells in table:
        account = _row(cells, row, result, units, taken, seen)
        if account is not None:
            result.accounts.append(account)
    if result.errors:
        result.accounts = []
        return result
    if not dry_run:
        _create(result)
    return result


@transaction.atomic
def _create(result):
    for a in result.accounts:
        account_create(
            username=a["username"],
            password=a["password"],
            role=a["role"],
            unit=a["unit"],
            first_name=a["full_name"],
            email=a["email"],
        )
    result.saved = True
