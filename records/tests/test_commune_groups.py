"""Targets by commune group (2026-2030): the group belongs to the commune per period, so it is
kept on the enrolment in the set (whose period it is) and falls back to the unit's own group.
Changing it judges the commune's records again. Targets here are made up, not official figures.
"""

import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from criteria.enrolments import ENROLMENT_COLUMNS
from criteria.models import Enrolment, Threshold, applicable_threshold
from records.models import AchievementRecord
from records.services import enrolments_file_import, record_save
from reports.engine import unit_detail
from shared.spreadsheets import write_xlsx
from tests.factories import (
    CommuneFactory,
    CriterionFactory,
    EnrolmentFactory,
    NumericIndicatorFactory,
    ThresholdFactory,
)
from tests.io_helpers import MEETING, record_file, record_row

pytestmark = pytest.mark.django_db
TARGETS = {1: 80, 2: 70, 3: 60}  # made up


groups = st.one_of(st.none(), st.integers(min_value=1, max_value=3))


@settings(max_examples=150, deadline=None)
@given(
    unit_group=groups,
    enrolment_group=groups,
    targets=st.dictionaries(st.one_of(st.none(), st.integers(1, 3)), st.integers(1, 99), min_size=1),
)
def test_the_target_is_the_enrolment_groups_else_the_units_else_the_default(unit_group, enrolment_group, targets):
    unit = CommuneFactory.build(commune_group=unit_group, region="")
    indicator = NumericIndicatorFactory.build()
    thresholds = [Threshold(indicator=indicator, commune_group=g, value=v) for g, v in targets.items()]
    chosen = applicable_threshold(thresholds, unit, enrolment_group)
    group = enrolment_group if enrolment_group is not None else unit_group
    expected = targets.get(group, targets.get(None)) if group is not None else targets.get(None)
    assert (chosen.value if chosen else None) == expected


@pytest.fixture
def grouped_indicator():
    indicator = NumericIndicatorFactory(criterion=CriterionFactory(), code="1.1")
    for group, value in TARGETS.items():
        ThresholdFactory(indicator=indicator, commune_group=group, value=value)
    return indicator


def _enrolment_file(rows, headers=None):
    headers = headers or list(ENROLMENT_COLUMNS.values())
    f = io.BytesIO(write_xlsx([("Đăng ký thực hiện", headers, rows)]))
    f.name = "dang-ky.xlsx"
    return f


def test_a_communes_record_is_judged_by_its_group_in_the_period_and_again_when_it_changes(grouped_indicator):
    criteria_set = grouped_indicator.criterion.criteria_set
    commune = CommuneFactory(commune_group=1)  # its group before re-zoning
    EnrolmentFactory(unit=commune, criteria_set=criteria_set, commune_group=2)
    record = record_save(unit=commune, indicator=grouped_indicator, as_of=MEETING, value_number=Decimal(75))
    assert record.is_met is True  # 75 ≥ 70, the target of group 2 (not 80, the unit's group 1)
    detail = unit_detail(commune, criteria_set, MEETING)
    assert detail.criteria[0].indicators[0].threshold.value == 70

    rows = [[commune.code, criteria_set.code, 2030, 1]]
    preview = enrolments_file_import(file=_enrolment_file(rows), allowed=[commune], dry_run=True)
    assert preview.ok and [(r.unit, r.commune_group) for r in preview.changed] == [(commune, 1)]
    record.refresh_from_db()
    assert record.is_met is True  # a preview changes nothing

    result = enrolments_file_import(file=_enrolment_file(rows), allowed=[commune], dry_run=False)
    assert result.saved, result.errors
    assert Enrolment.objects.get(unit=commune).commune_group == 1
    record.refresh_from_db()
    assert record.is_met is False  # 75 < 80
    assert unit_detail(commune, criteria_set, MEETING).criteria[0].met is False
    assert AchievementRecord.history.filter(id=record.pk).first().history_change_reason == "Đổi mức đạt"


def test_a_file_without_the_group_column_keeps_the_group_and_a_blank_cell_clears_it(grouped_indicator):
    criteria_set = grouped_indicator.criterion.criteria_set
    commune = CommuneFactory(commune_group=3)
    EnrolmentFactory(unit=commune, criteria_set=criteria_set, commune_group=1, target_year=2028)
    record = record_save(unit=commune, indicator=grouped_indicator, as_of=MEETING, value_number=Decimal(65))
    assert record.is_met is False  # group 1: 80

    headers = [ENROLMENT_COLUMNS[k] for k in ("unit", "criteria_set", "target_year")]
    kept = enrolments_file_import(
        file=_enrolment_file([[commune.code, criteria_set.code, 2029]], headers), allowed=[commune], dry_run=False
    )
    assert kept.saved and Enrolment.objects.get(unit=commune).commune_group == 1 and kept.regrouped == []

    cleared = enrolments_file_import(
        file=_enrolment_file([[commune.code, criteria_set.code, 2029, ""]]), allowed=[commune], dry_run=False
    )
    assert cleared.saved and Enrolment.objects.get(unit=commune).commune_group is None
    record.refresh_from_db()
    assert record.is_met is True  # the unit's own group 3: 65 ≥ 60


def test_a_group_outside_1_to_3_is_refused_with_its_row_and_nothing_is_saved(grouped_indicator):
    criteria_set = grouped_indicator.criterion.criteria_set
    communes = [CommuneFactory(), CommuneFactory()]
    rows = [[communes[0].code, criteria_set.code, 2030, 2], [communes[1].code, criteria_set.code, 2030, 4]]
    result = enrolments_file_import(file=_enrolment_file(rows), allowed=communes, dry_run=False)
    assert not result.saved
    assert [(e.row, e.column) for e in result.errors] == [(3, "Nhóm xã")]
    assert not Enrolment.objects.exists()


def test_the_record_import_judges_each_row_by_the_communes_group_in_the_set(grouped_indicator):
    criteria_set = grouped_indicator.criterion.criteria_set
    in_group_3, in_group_1 = CommuneFactory(commune_group=1), CommuneFactory(commune_group=3)
    EnrolmentFactory(unit=in_group_3, criteria_set=criteria_set, commune_group=3)
    EnrolmentFactory(unit=in_group_1, criteria_set=criteria_set, commune_group=1)
    from records.imports import records_import

    rows = [record_row(u.code, criteria_set.code, "1.1", 65) for u in (in_group_3, in_group_1)]
    result = records_import(file=record_file(rows), user=None, unit=None, dry_run=False)
    assert result.ok, result.errors
    met = dict(AchievementRecord.objects.values_list("unit__code", "is_met"))
    assert met == {in_group_3.code: True, in_group_1.code: False}
