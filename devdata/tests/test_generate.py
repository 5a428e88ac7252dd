import pytest
from django.core.management import CommandError, call_command

from communes.models import AdministrativeUnit, Kind
from criteria.models import Enrolment, Recognition
from devdata.synthetic import NOTE, generate, report_dates
from records.models import AchievementRecord
from reports.engine import summarise

pytestmark = pytest.mark.django_db

SMALL = {"provinces": 2, "communes": 60, "dates": 3, "seed": 7}


def _snapshot():
    """Everything generated, keyed by codes and dates rather than database ids."""
    units = sorted(
        AdministrativeUnit.objects.values_list("code", "parent__code", "kind", "valid_from", "commune_group")
    )
    records = sorted(
        AchievementRecord.objects.values_list(
            "unit__code", "indicator__code", "indicator__criterion__criteria_set__code", "as_of", "is_met"
        )
    )
    enrolments = sorted(Enrolment.objects.values_list("unit__code", "criteria_set__code"))
    recognitions = sorted(Recognition.objects.values_list("unit__code", "criteria_set__code", "decision_date"))
    return units, records, enrolments, recognitions


def _wipe():
    AchievementRecord.objects.all().delete()
    Recognition.objects.all().delete()
    Enrolment.objects.all().delete()
    for kind in [Kind.COMMUNE, Kind.DISTRICT, Kind.PROVINCE, Kind.COUNTRY]:
        AdministrativeUnit.objects.filter(kind=kind).delete()


def test_same_seed_gives_the_same_data_and_another_seed_does_not():
    generate(**SMALL, progress=lambda line: None)
    first = _snapshot()
    _wipe()
    generate(**SMALL, progress=lambda line: None)
    assert _snapshot() == first
    _wipe()
    generate(**{**SMALL, "seed": 8}, progress=lambda line: None)
    assert _snapshot()[1] != first[1]


def test_tree_has_districts_and_communes_directly_under_provinces_after_the_reform():
    generate(**SMALL, progress=lambda line: None)
    nation = AdministrativeUnit.objects.get(kind=Kind.COUNTRY)
    communes = AdministrativeUnit.objects.filter(kind=Kind.COMMUNE)
    assert communes.count() == 60
    assert AdministrativeUnit.objects.filter(kind=Kind.PROVINCE, parent=nation).count() == 2
    direct = communes.filter(parent__kind=Kind.PROVINCE)
    assert direct.exists() and all(c.valid_from.isoformat() == "2025-07-01" for c in direct)
    assert communes.filter(parent__kind=Kind.DISTRICT).count() == 60 - direct.count()
    # Communes created by the reform have no records before they existed.
    assert not AchievementRecord.objects.filter(unit__in=direct, as_of__lt="2025-07-01").exists()


def test_records_obey_the_constraints_and_progress_improves_over_time():
    generate(**SMALL, progress=lambda line: None)
    records = AchievementRecord.objects.all()
    assert records.exists()
    assert not records.exclude(value_bool=True, is_met=True).exclude(value_bool=False, is_met=False).exists()
    assert set(records.values_list("note", flat=True)) == {NOTE}
    nation = AdministrativeUnit.objects.get(kind=Kind.COUNTRY)
    first, *_, last = report_dates(SMALL["dates"])
    basic_first = summarise(nation, first).sets[0]
    basic_last = summarise(nation, last).sets[0]
    assert (
        basic_last.indicators_met_sum / basic_last.unit_count > basic_first.indicators_met_sum / basic_first.unit_count
    )
    assert basic_last.units_meeting_standard > 0
    assert len(summarise(nation, last).sets) == 2


def test_command_prints_a_summary_and_refuses_to_run_twice(capsys):
    call_command(
        "generate_synthetic", "--provinces", "1", "--communes", "12", "--dates", "2", "--seed", "3", "--sets", "1"
    )
    out = capsys.readouterr().out
    assert "Đã tạo" in out and "kết quả chỉ tiêu" in out and "31/12/2025" in out
    with pytest.raises(CommandError, match="đã có dữ liệu giả lập"):
        call_command("generate_synthetic", "--provinces", "1", "--communes", "12", "--dates", "2")


def test_command_rejects_impossible_sizes():
    with pytest.raises(CommandError, match="Tham số không hợp lệ"):
        call_command("generate_synthetic", "--provinces", "5", "--communes", "3")
    assert not AdministrativeUnit.objects.exists()


def test_copy_and_bulk_create_write_the_same_rows():
    generate(**SMALL, progress=lambda line: None)  # COPY on PostgreSQL
    copied = _snapshot()
    _wipe()
    generate(**SMALL, use_copy=False, progress=lambda line: None)
    assert _snapshot() == copied
