"""The cell parsers every import shares: what Vietnamese offices type is read as they mean it, and
anything ambiguous or impossible is refused with a message saying how to type it."""

import datetime
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.cells import CellError, parse_code, parse_date, parse_decimal, parse_int, parse_yes_no, text
from shared.formatting import vi_number

# --- text ---------------------------------------------------------------------------------------


def test_text_typed_in_unikeys_combining_mode_reads_as_precomposed():
    combining = unicodedata.normalize("NFD", "Không đạt")
    assert combining != "Không đạt"
    assert text(combining) == "Không đạt"


def test_text_collapses_runs_of_spaces_and_drops_invisible_characters():
    assert text("  Không \u00a0 đạt\u200b ") == "Không đạt"


@pytest.mark.parametrize(
    "typed", ["Đạt", "đạt", "ĐẠT", unicodedata.normalize("NFD", "Đạt"), "Ðạt", " Đạt ", "Có", "x", 1, True]
)
def test_yes_is_read_however_it_was_typed(typed):
    assert parse_yes_no(typed) is True


@pytest.mark.parametrize(
    "typed", ["Không đạt", "Không  đạt", unicodedata.normalize("NFD", "không đạt"), "Chưa đạt", "không", 0, False]
)
def test_no_is_read_however_it_was_typed(typed):
    assert parse_yes_no(typed) is False


def test_a_yes_no_cell_with_anything_else_is_refused():
    with pytest.raises(CellError, match="ghi “Đạt” hoặc “Không đạt”"):
        parse_yes_no("có lẽ")


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, day",
    [
        ("01/07/2025", datetime.date(2025, 7, 1)),
        ("1/07/2025", None),  # refused below: could be 7 January
        ("13/07/2025", datetime.date(2025, 7, 13)),
        ("13/7/2025", datetime.date(2025, 7, 13)),
        ("19-08-2022", datetime.date(2022, 8, 19)),
        ("19.08.2022", datetime.date(2022, 8, 19)),
        ("2025-07-01", datetime.date(2025, 7, 1)),
        ("5/5/2025", datetime.date(2025, 5, 5)),
        ("ngày 08 tháng 3 năm 2022", datetime.date(2022, 3, 8)),
        (datetime.datetime(2025, 7, 1, 0, 0), datetime.date(2025, 7, 1)),
    ],
)
def test_dates_are_read_day_first(typed, day):
    if day is None:
        with pytest.raises(CellError):
            parse_date(typed)
    else:
        assert parse_date(typed) == day


def test_a_date_whose_day_and_month_could_be_swapped_needs_two_digit_day_and_month():
    with pytest.raises(CellError) as refused:
        parse_date("7/1/2025")  # an English Excel's 1 July
    assert str(refused.value) == (
        "“7/1/2025” không rõ là ngày 7 tháng 1 hay ngày 1 tháng 7. Ghi ngày và tháng đủ hai chữ số theo thứ tự "
        "ngày/tháng/năm: 07/01/2025."
    )


def test_a_month_first_date_is_refused_naming_the_order():
    with pytest.raises(CellError, match="không có tháng 19.*ngày/tháng/năm"):
        parse_date("8/19/2022")


def test_an_impossible_date_is_refused():
    with pytest.raises(CellError, match="Ngày “31/02/2025” không có thật."):
        parse_date("31/02/2025")


@pytest.mark.parametrize("typed", ["01-07-25", "1/7/25"])
def test_a_two_digit_year_is_refused(typed):
    with pytest.raises(CellError, match="ghi năm đủ bốn chữ số"):
        parse_date(typed)


@pytest.mark.parametrize("typed", [44792, 44792.0, "44792", "hôm qua", "2022/08/19", "19/08/0222"])
def test_numbers_and_other_text_are_not_dates(typed):
    with pytest.raises(CellError):
        parse_date(typed)


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_any_date_written_dd_mm_yyyy_reads_back_as_itself(day):
    assert parse_date(f"{day:%d/%m/%Y}") == day
    assert parse_date(day.isoformat()) == day


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_a_date_written_d_m_yyyy_reads_back_as_itself_or_is_refused_as_ambiguous(day):
    typed = f"{day.day}/{day.month}/{day.year}"
    swappable = day.day <= 12 and day.day != day.month and (day.day < 10 or day.month < 10)
    if swappable:
        with pytest.raises(CellError, match="không rõ"):
            parse_date(typed)
    else:
        assert parse_date(typed) == day


# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, number",
    [
        ("1.250", Decimal("1250")),
        ("1.250,5", Decimal("1250.5")),
        ("12,5", Decimal("12.5")),
        ("1.250.000", Decimal("1250000")),
        ("1 250,5", Decimal("1250.5")),
        ("0,250", Decimal("0.25")),
        ("-3,5", Decimal("-3.5")),
        (1250, Decimal("1250")),
        (12.5, Decimal("12.5")),
    ],
)
def test_numbers_are_read_the_vietnamese_way(typed, number):
    assert parse_decimal(typed) == number


def test_a_comma_before_three_digits_is_ambiguous_and_says_how_to_type_it():
    with pytest.raises(CellError) as refused:
        parse_decimal("1,250")
    assert str(refused.value) == (
        "“1,250” không rõ: Excel tiếng Anh đọc là 1250, cách ghi Việt Nam đọc là số thập phân 1,250. "
        "Ghi 1.250 nếu là số nghìn, hoặc 1,25 nếu là số thập phân."
    )


@pytest.mark.parametrize("typed", ["12.5", "1,250.5", "1,250,000", "1.25"])
def test_english_decimal_points_and_groupings_are_refused(typed):
    with pytest.raises(CellError, match="dấu chấm \\(.\\) tách hàng nghìn"):
        parse_decimal(typed)


@pytest.mark.parametrize("typed", ["nhiều", "85%", "1e5", "1_000", "١٢", True, ""])
def test_things_that_are_not_numbers_are_refused(typed):
    with pytest.raises(CellError, match="không phải là số"):
        parse_decimal(typed)


def test_a_number_too_long_for_the_database_is_refused_not_crashed_on():
    with pytest.raises(CellError, match="quá lớn"):
        parse_decimal("1" + "0" * 40)


def test_whole_numbers_may_be_written_with_thousands_dots():
    assert parse_int("2.025") == 2025
    with pytest.raises(CellError, match="không phải là số nguyên"):
        parse_int("2,5")


_decimals = st.decimals(min_value=Decimal("-9999999999"), max_value=Decimal("9999999999"), places=4, allow_nan=False)


@given(_decimals)
def test_any_decimal_written_the_vietnamese_way_reads_back_as_itself_unless_ambiguous(number):
    typed = vi_number(number, 4)  # '1.250,5': dot groups thousands, comma before decimals
    whole, _, decimals = typed.lstrip("-").partition(",")
    if "." not in whole and len(decimals) == 3 and whole != "0":
        with pytest.raises(CellError, match="không rõ"):
            parse_decimal(typed)  # '1,234': 1234 to an English reader
    else:
        assert parse_decimal(typed) == number


# --- codes --------------------------------------------------------------------------------------


def test_a_code_in_a_text_cell_is_kept_as_written():
    assert parse_code("17.10") == "17.10"
    assert parse_code(" xa-quang-tan ") == "xa-quang-tan"


def test_a_whole_number_code_cell_reads_as_the_number():
    assert parse_code(17.0) == "17"
    assert parse_code(4) == "4"


def test_a_number_code_cell_that_could_be_two_codes_is_refused():
    with pytest.raises(CellError, match="17.1 hay 17.10.*Văn bản \\(Text\\)"):
        parse_code(17.1, known=["17.1", "17.10", "17.2"])


def test_a_number_code_cell_with_a_single_reading_among_the_known_codes_passes():
    assert parse_code(17.1, known=["17.1", "17.2"]) == "17.1"
    assert parse_code(17.1, known=["17.10", "17.2"]) == "17.10"


def test_a_number_code_cell_without_known_codes_is_refused():
    with pytest.raises(CellError, match="Văn bản \\(Text\\)"):
        parse_code(2.1)


def test_a_code_that_excel_turned_into_a_date_is_refused():
    with pytest.raises(CellError, match="Excel đã đổi mã trong ô thành ngày \\(17/10/2025\\)"):
        parse_code(datetime.datetime(2025, 10, 17))
