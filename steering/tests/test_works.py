from datetime import date
from decimal import Decimal

import pytest

from communes.models import AdministrativeUnit
from steering.figures import works_summary
from steering.forms import WorkForm
from steering.models import Work
from tests.factories import CommuneFactory


def _work(unit, **fields):
    defaults = {
        "name": "Công trình thử",
        "approved_capital": 1_000_000_000,
        "disbursed": 0,
        "physical_progress": 0,
        "start_date": date(2022, 1, 1),
        "due_date": date(2022, 12, 31),
    }
    return Work.objects.create(unit=unit, **{**defaults, **fields})


def test_disbursement_rate_is_disbursed_over_approved_capital_overall_and_per_work(db):
    commune = CommuneFactory()
    _work(commune, name="A", approved_capital=1_200_000_000, disbursed=450_000_000)
    _work(commune, name="B", approved_capital=800_000_000, disbursed=800_000_000)
    summary = works_summary(Work.objects.order_by("name"), date(2022, 8, 19))
    assert summary.approved_total == 2_000_000_000
    assert summary.disbursed_total == 1_250_000_000
    assert summary.disbursement_rate == Decimal("62.5")
    assert [r.disbursement_rate for r in summary.rows] == [Decimal("37.5"), Decimal("100.0")]


def test_a_work_behind_its_schedule_or_past_its_due_date_is_late(db):
    commune = CommuneFactory()
    # 1/5 to 31/10 (183 days); on 19/8, 110 days have passed: 60% of the schedule.
    behind = _work(
        commune, name="behind", physical_progress=40, start_date=date(2022, 5, 1), due_date=date(2022, 10, 31)
    )
    on_track = _work(
        commune, name="on track", physical_progress=60, start_date=date(2022, 5, 1), due_date=date(2022, 10, 31)
    )
    overdue = _work(
        commune, name="overdue", physical_progress=70, start_date=date(2022, 4, 1), due_date=date(2022, 7, 31)
    )
    finished = _work(
        commune, name="finished", physical_progress=100, start_date=date(2022, 3, 1), due_date=date(2022, 7, 31)
    )
    day = date(2022, 8, 19)
    assert behind.scheduled_progress(day) == 60
    summary = works_summary([behind, on_track, overdue, finished], day)
    assert [(r.work.name, r.late, r.overdue) for r in summary.rows] == [
        ("behind", True, False),
        ("on track", False, False),
        ("overdue", True, True),
        ("finished", False, False),
    ]
    assert summary.late_count == 2


def test_the_work_form_reads_vietnamese_amounts_and_refuses_more_disbursed_than_approved(db):
    commune = CommuneFactory()
    data = {
        "name": "Lắp đặt biển báo",
        "unit": commune.pk,
        "approved_capital": "1.200.000.000",
        "disbursed": "1.300.000.000",
        "physical_progress": "40",
        "start_date": "2022-05-01",
        "due_date": "2022-04-01",
    }
    form = WorkForm(data, units=AdministrativeUnit.objects.all())
    assert not form.is_valid()
    assert form.errors["disbursed"] == ["Số đã giải ngân không thể lớn hơn vốn được duyệt."]
    assert form.errors["due_date"] == ["Ngày hoàn thành không thể trước ngày khởi công."]
    form = WorkForm(
        {**data, "disbursed": "450.000.000", "due_date": "2022-10-31"}, units=AdministrativeUnit.objects.all()
    )
    assert form.is_valid(), form.errors
    assert form.save().approved_capital == 1_200_000_000


@pytest.mark.parametrize("amount", ["1,5", "abc", "-1"])
def test_the_work_form_rejects_amounts_that_are_not_whole_dong(db, amount):
    commune = CommuneFactory()
    form = WorkForm(
        {
            "name": "X",
            "unit": commune.pk,
            "approved_capital": amount,
            "disbursed": "0",
            "physical_progress": "0",
            "start_date": "2022-05-01",
            "due_date": "2022-06-01",
        },
        units=AdministrativeUnit.objects.all(),
    )
    assert not form.is_valid()
    assert "approved_capital" in form.errors
    assert not Work.objects.exists()


def test_a_work_named_like_a_link_reaches_the_chart_as_plain_text(db):
    commune = CommuneFactory(name="Quảng Tân")
    _work(commune, name='<a href="https://evil.example">x</a>')
    data = works_summary(Work.objects.all(), date(2022, 8, 19)).chart_data()
    assert data["names"] == ['&lt;a href="https://evil.example"&gt;x&lt;/a&gt; (Quảng Tân)']
