"""A set's bins of criteria met ("19; 15-18; 10-14; 5-9; 0-4"): read, checked, loaded from the
set workbook and shown on the set page."""

import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from criteria.bins import bins_text, default_bins, parse_bins
from criteria.models import CriteriaSet
from criteria.tests.test_import_sets import SET_CODE, set_file, synthetic_set_rows
from records.services import criteria_set_import
from reports.exports import criteria_set_workbook
from tests.io_helpers import upload


def _pairs(bins):
    return [(b.low, b.high) for b in bins]


def test_the_provinces_19_criterion_bins_read_highest_first():
    assert _pairs(parse_bins("0-4; 5-9;10–14 ; 15 - 18; 19", 19)) == [(19, 19), (15, 18), (10, 14), (5, 9), (0, 4)]
    assert bins_text(parse_bins("", 19)) == "19; 15-18; 10-14; 5-9; 0-4"


@pytest.mark.parametrize(
    "raw, message",
    [
        ("19; 15-18; 18; 0-14", "trùng nhau"),
        ("19; 10-14; 0-9", "thiếu 15, 16, 17, 18"),
        ("0-20", "vượt quá số tiêu chí của bộ (19)"),
        ("19; mười", "không hợp lệ"),
        ("19; 18-15; 0-14", "số đầu phải không lớn hơn số cuối"),
    ],
)
def test_bad_bins_are_refused_in_vietnamese(raw, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        parse_bins(raw, 19)


@st.composite
def ranges(draw):
    total = draw(st.integers(min_value=0, max_value=30))
    bins = draw(
        st.lists(
            st.tuples(st.integers(min_value=0, max_value=32), st.integers(min_value=0, max_value=6)),
            min_size=1,
            max_size=8,
        )
    )
    return total, [(low, low + width) for low, width in bins]


@given(ranges())
def test_bins_are_accepted_exactly_when_they_cover_0_to_n_once(case):
    total, bins = case
    covered = [n for low, high in bins for n in range(low, high + 1)]
    valid = sorted(covered) == list(range(total + 1))
    raw = "; ".join(f"{low}-{high}" for low, high in bins)
    if valid:
        assert _pairs(parse_bins(raw, total)) == sorted(bins, reverse=True)
    else:
        with pytest.raises(ValidationError):
            parse_bins(raw, total)


@given(st.integers(min_value=0, max_value=60))
def test_the_default_covers_every_count_once(total):
    bins = default_bins(total)
    assert _pairs(parse_bins(bins_text(bins), total)) == _pairs(bins)
    assert bins[0].low == bins[0].high == total


def _rows_with_bins(bins):
    rows = synthetic_set_rows()  # ten criteria
    rows["set"][0] = [*rows["set"][0], bins]
    return rows


def test_the_set_workbook_carries_the_bins_and_they_go_back_out(db):
    result = criteria_set_import(file=set_file(_rows_with_bins("10; 8-9; 0-7")), dry_run=False)
    assert result.ok, result.errors
    criteria_set = CriteriaSet.objects.get(code=SET_CODE)
    assert criteria_set.distribution_bins == "10; 8-9; 0-7"
    again = criteria_set_import(file=upload(criteria_set_workbook(criteria_set), "bo.xlsx"), dry_run=False)
    assert again.ok and again.changes == []


def test_bins_that_do_not_fit_the_workbooks_criteria_are_refused_and_nothing_is_saved(db):
    result = criteria_set_import(file=set_file(_rows_with_bins("19; 15-18; 10-14; 5-9; 0-4")), dry_run=False)
    assert not result.ok
    (error,) = result.errors
    assert error.column == "Nhóm số tiêu chí đạt"
    assert "vượt quá số tiêu chí của bộ (10)" in error.message
    assert not CriteriaSet.objects.exists()


def test_a_workbook_without_the_bins_column_keeps_the_sets_bins(db):
    assert criteria_set_import(file=set_file(_rows_with_bins("10; 0-9")), dry_run=False).ok
    rows = synthetic_set_rows()
    result = criteria_set_import(file=_file_without_bins_column(rows), dry_run=False)
    assert result.ok and CriteriaSet.objects.get(code=SET_CODE).distribution_bins == "10; 0-9"


def _file_without_bins_column(rows):
    from criteria.set_imports import CRITERION_COLUMNS, INDICATOR_COLUMNS, SET_COLUMNS, THRESHOLD_COLUMNS
    from shared.spreadsheets import write_xlsx

    set_headers = [h for k, h in SET_COLUMNS.items() if k != "distribution_bins"]
    return upload(
        write_xlsx(
            [
                ("Bộ tiêu chí", set_headers, rows["set"]),
                ("Tiêu chí", list(CRITERION_COLUMNS.values()), rows["criteria"]),
                ("Chỉ tiêu", list(INDICATOR_COLUMNS.values()), rows["indicators"]),
                ("Mức đạt", list(THRESHOLD_COLUMNS.values()), rows["thresholds"]),
            ]
        ),
        "bo.xlsx",
    )


def test_the_set_page_shows_the_bins_and_says_when_they_are_the_default(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = client.get("/bo-tieu-chi/xa-ntm-2021-2025/").content.decode()
    assert 'data-testid="bins">19; 15-18; 10-14; 5-9; 0-4 <span class="muted">(mặc định' in page
    CriteriaSet.objects.filter(code="xa-ntm-2021-2025").update(distribution_bins="19; 17-18; 0-16")
    page = client.get("/bo-tieu-chi/xa-ntm-2021-2025/").content.decode()
    assert 'data-testid="bins">19; 17-18; 0-16</dd>' in page


def test_the_admin_form_refuses_bins_that_leave_a_count_out(demo):
    criteria_set = CriteriaSet.objects.get(code="xa-ntm-2021-2025")
    criteria_set.distribution_bins = "19; 0-17"
    with pytest.raises(ValidationError) as error:
        criteria_set.full_clean()
    assert "thiếu 18" in str(error.value.message_dict["distribution_bins"])
