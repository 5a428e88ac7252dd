"""Reading one spreadsheet cell the way Vietnamese offices type it: text, codes, dates, numbers, Đạt.

Every import (the site's record and set imports, `import_records`, the admin's resources) reads
cells through these functions, so a value means the same wherever it is typed. They know nothing
of models: a cell in, a Python value out, or a `CellError` whose message (in Vietnamese) says what
is wrong and how to type it.

- Text is Unicode NFC with runs of spaces collapsed: "Đạt" typed in Unikey's combining mode (a +
  U+0323) and "Không  đạt" match "Đạt" and "Không đạt".
- Dates are day first: 19/08/2022 (also 19/8/2022, 19-08-2022, 19.08.2022), 2022-08-19, or an Excel
  date cell. A date whose day and month could be swapped and that is not written with two digits
  each (7/1/2025: an English Excel writes 1 July that way) is refused, as are two-digit years and
  impossible dates (31/02/2025).
- Numbers follow the vi locale (Babel): 1.250 = 1250, 1.250,5 = 1250,5, 12,5 = 12,5. "1,250" is
  refused: 1,25 to a Vietnamese reader, 1250 to an English one.
- Codes: a code cell Excel stored as a number (17.1) may have lost a trailing zero (17.10): it is
  refused unless the known codes leave only one reading.
"""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError
from babel.numbers import parse_decimal as babel_parse_decimal
from django.utils.translation import gettext as _

YEARS = (1900, 2100)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# Spaces that group digits in some documents: ordinary, no-break, narrow no-break, thin.
_DIGIT_SPACES = re.compile(r"(?<=\d)[ \u00a0\u202f\u2009](?=\d)")
_VI_NUMBER = re.compile(r"[+-]?(?=[0-9.,]*[0-9])[0-9.,]+")
_AMBIGUOUS_COMMA = re.compile(r"[+-]?[1-9][0-9]{0,2},[0-9]{3}")
_DMY = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WORDS = re.compile(r"(?:ngày\s*)?(\d{1,2})\s*tháng\s*(\d{1,2})\s*,?\s*năm\s*(\d{4})")
_NUMERIC_CODE = re.compile(r"\d+\.\d+")


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the user."""


def is_blank(value):
    """True for an empty cell or one holding only spaces."""
    return value is None or (isinstance(value, str) and not text(value))


def text(value):
    """A cell as NFC text with spaces collapsed ('' when blank); whole numbers from Excel lose '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value)
    if raw.isascii():  # NFC and the invisible characters change only non-ASCII text: skip them
        return " ".join(raw.split())
    return " ".join(unicodedata.normalize("NFC", raw).translate(_INVISIBLE).split())


def free_text(value):
    """A note or other free text: NFC, trimmed, its own line breaks and spacing kept."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).translate(_INVISIBLE).strip()


def fold(value):
    """`text` for matching: case-folded, and the look-alike Ð (U+00D0) read as Đ."""
    return text(value).replace("Ð", "Đ").replace("ð", "đ").casefold()


# ---------------------------------------------------------------------------------------------
# Dates


def parse_date(value):
    """A date from an Excel date cell, '19/08/2022', '19/8/2022' or '2022-08-19'; CellError otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = text(value)
    if isinstance(value, (bool, int, float, Decimal)):
        raise CellError(
            _("Ô ngày chứa số “%(value)s”, không phải ngày: định dạng ô là Ngày (Date) hoặc ghi theo dạng 19/08/2022.")
            % {"value": raw}
        )
    if match := _ISO.fullmatch(raw):
        year, month, day = (int(g) for g in match.groups())
        return _checked_date(raw, day, month, year)
    if match := _WORDS.fullmatch(raw.casefold()):
        day, month, year = (int(g) for g in match.groups())
        return _checked_date(raw, day, month, year)
    match = _DMY.fullmatch(raw)
    if match is None:
        raise CellError(_("“%(value)s” không phải là ngày (ghi theo dạng 19/08/2022).") % {"value": raw})
    day_text, _sep, month_text, year_text = match.groups()
    if len(year_text) == 2:
        raise CellError(
            _("“%(value)s”: ghi năm đủ bốn chữ số, theo dạng ngày/tháng/năm như 19/08/2022.") % {"value": raw}
        )
    day, month, year = int(day_text), int(month_text), int(year_text)
    if month > 12 and day <= 12:
        raise CellError(
            _(
                "“%(value)s” không phải là ngày: không có tháng %(month)d. Ngày ghi theo thứ tự ngày/tháng/năm "
                "(19/08/2022), không theo kiểu Mỹ tháng/ngày/năm."
            )
            % {"value": raw, "month": month}
        )
    # Vietnamese Excel writes 01/07/2025; an English one writes 7/1/2025 for 1 July. Only the
    # two-digit form is taken as day first when the day and month could be swapped.
    if day <= 12 and month <= 12 and day != month and (len(day_text) < 2 or len(month_text) < 2):
        raise CellError(
            _(
                "“%(value)s” không rõ là ngày %(day)d tháng %(month)d hay ngày %(month)d tháng %(day)d. Ghi ngày và "
                "tháng đủ hai chữ số theo thứ tự ngày/tháng/năm: %(dmy)s."
            )
            % {"value": raw, "day": day, "month": month, "dmy": f"{day:02d}/{month:02d}/{year}"}
        )
    return _checked_date(raw, day, month, year)


def _checked_date(raw, day, month, year):
    try:
        result = datetime.date(year, month, day)
    except ValueError:
        raise CellError(_("Ngày “%(value)s” không có thật.") % {"value": raw}) from None
    if not YEARS[0] <= year <= YEARS[1]:
        raise CellError(
            _("“%(value)s”: năm %(year)d nằm ngoài khoảng %(first)d–%(last)d.")
            % {"value": raw, "year": year, "first": YEARS[0], "last": YEARS[1]}
        )
    return result


# ---------------------------------------------------------------------------------------------
# Numbers


def parse_decimal(value, *, places=4, max_digits=14):
    """A number from a numeric cell or Vietnamese text ('1.250,5'); CellError when it is not one,
    is ambiguous ('1,250') or does not fit `max_digits` digits with `places` decimals."""
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” không phải là số.") % {"value": value})
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        number = _parse_vi_number(text(value))
    if not number.is_finite():
        raise CellError(_("“%(value)s” không phải là số.") % {"value": text(value)})
    # Checked before rounding: quantize() itself fails on numbers with too many digits.
    if number and number.adjusted() >= max_digits - places:
        raise CellError(_("Số “%(value)s” quá lớn.") % {"value": text(value)})
    return number.quantize(Decimal(1).scaleb(-places))


def _parse_vi_number(raw):
    compact = _DIGIT_SPACES.sub("", raw)
    if not _VI_NUMBER.fullmatch(compact):
        raise CellError(_("“%(value)s” không phải là số.") % {"value": raw})
    if _AMBIGUOUS_COMMA.fullmatch(compact):
        whole, decimals = compact.split(",")
        short = decimals.rstrip("0")
        decimal = (f"{whole},{short}" if short else whole) if short != decimals else f"{whole},{decimals}0"
        raise CellError(
            _(
                "“%(value)s” không rõ: Excel tiếng Anh đọc là %(en)s, cách ghi Việt Nam đọc là số thập phân %(value)s. "
                "Ghi %(thousands)s nếu là số nghìn, hoặc %(decimal)s nếu là số thập phân."
            )
            % {"value": raw, "en": f"{whole}{decimals}", "thousands": f"{whole}.{decimals}", "decimal": decimal}
        )
    try:
        return babel_parse_decimal(compact, locale="vi", strict=True)
    except (NumberFormatError, InvalidOperation):
        raise CellError(
            _(
                "“%(value)s” không đúng cách ghi số: dấu chấm (.) tách hàng nghìn, dấu phẩy (,) đứng trước phần "
                "thập phân, ví dụ 1.250 hoặc 12,5."
            )
            % {"value": raw}
        ) from None


def parse_int(value, *, minimum=None, maximum=None):
    """A whole number within [minimum, maximum]; 2,5 or 'hai' is a CellError."""
    try:
        exact = parse_decimal(value)
    except CellError:
        exact = None
    if exact is None or exact != exact.to_integral_value():
        raise CellError(_("“%(value)s” không phải là số nguyên.") % {"value": text(value)})
    number = int(exact)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise CellError(_("“%(value)s” nằm ngoài khoảng cho phép.") % {"value": text(value)})
    return number


# ---------------------------------------------------------------------------------------------
# Yes / no and codes

_YES = {"đạt", "có", "co", "dat", "x", "1", "true", "yes", "y"}
_NO = {"không đạt", "không", "khong dat", "khong", "chưa đạt", "chua dat", "0", "false", "no", "n"}


def parse_yes_no(value):
    """Đạt / Không đạt (also có / không, 1 / 0), however it was typed."""
    if isinstance(value, bool):
        return value
    raw = fold(value)
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise CellError(_("“%(value)s” không hợp lệ: ghi “Đạt” hoặc “Không đạt”.") % {"value": text(value)})


def parse_code(value, *, known=None):
    """A code (unit, set, indicator) as text. A number cell such as 17.1 may be 17.10 that Excel
    shortened: it is read only when `known` (the codes it may be) leaves a single reading."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        raise CellError(
            _("Excel đã đổi mã trong ô thành ngày (%(date)s): định dạng cột là Văn bản (Text) rồi ghi lại mã.")
            % {"date": f"{value:%d/%m/%Y}"}
        )
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” không phải là mã.") % {"value": value})
    if not isinstance(value, float) or value.is_integer():
        return text(value)
    written = repr(value)
    readings = sorted(code for code in known or () if _NUMERIC_CODE.fullmatch(code) and float(code) == value)
    if known is not None and len(readings) == 1:
        return readings[0]
    if known is not None and not readings:
        return written  # no code reads as this number: the caller reports an unknown code
    raise CellError(
        _(
            "Mã “%(value)s” nằm trong ô dạng số, nên Excel có thể đã bỏ chữ số 0 ở cuối (%(value)s hay %(value)s0?). "
            "Định dạng cột là Văn bản (Text) rồi ghi lại mã."
        )
        % {"value": written}
    )
