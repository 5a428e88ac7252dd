"""factory_boy factories for the rows tests need; reference data comes from the real loaders."""

from datetime import date

import factory

from communes.models import AdministrativeUnit, Kind
from criteria.models import CriteriaSet, Criterion, Enrolment, Indicator, IndicatorKind, Recognition, Threshold
from records.models import AchievementRecord, RecordStatus, ReportingRound


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = Kind.COMMUNE


class ProvinceFactory(UnitFactory):
    kind = Kind.PROVINCE


class DistrictFactory(UnitFactory):
    kind = Kind.DISTRICT
    parent = factory.SubFactory(ProvinceFactory)


class CommuneFactory(UnitFactory):
    kind = Kind.COMMUNE
    parent = factory.SubFactory(DistrictFactory)


class CriteriaSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriteriaSet

    code = factory.Sequence(lambda n: f"set-{n}")
    name = factory.Sequence(lambda n: f"Bộ tiêu chí thử {n}")
    level = "commune"
    tier = "basic"
    period_start = 2021
    period_end = 2025


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Tiêu chí {n + 1}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    criterion = factory.SubFactory(CriterionFactory)
    code = factory.Sequence(lambda n: f"{n + 1}.1")
    kind = IndicatorKind.BOOLEAN


class NumericIndicatorFactory(IndicatorFactory):
    kind = IndicatorKind.NUMERIC
    comparator = ">="
    unit_of_measure = "%"


class ThresholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Threshold

    indicator = factory.SubFactory(NumericIndicatorFactory)
    value = 50


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    unit = factory.SubFactory(CommuneFactory)
    criteria_set = factory.SubFactory(CriteriaSetFactory)


class RecognitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recognition

    unit = factory.SubFactory(CommuneFactory)
    criteria_set = factory.SubFactory(CriteriaSetFactory)
    decision_number = factory.Sequence(lambda n: f"{n}/QĐ-UBND")
    decision_date = date(2022, 6, 1)
    issuer = "UBND tỉnh"


class RecordFactory(factory.django.DjangoModelFactory):
    """A yes/no record; pass `met=False` for an unmet one."""

    class Meta:
        model = AchievementRecord

    class Params:
        met = True

    unit = factory.SubFactory(CommuneFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    as_of = date(2022, 8, 19)
    value_bool = factory.LazyAttribute(lambda o: o.met)
    is_met = factory.LazyAttribute(lambda o: o.met)
    # Verified unless a test says otherwise: reports count verified records only.
    status = RecordStatus.VERIFIED


class RoundFactory(factory.django.DjangoModelFactory):
    """Đợt báo cáo, open, organised by a district."""

    class Meta:
        model = ReportingRound

    unit = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Đợt báo cáo {n}")
    as_of = date(2022, 8, 19)
    deadline = date(2022, 8, 31)


def build_set(criteria_sizes, **set_fields):
    """A criteria set whose criteria have the given numbers of yes/no indicators."""
    criteria_set = CriteriaSetFactory(**set_fields)
    for number, size in enumerate(criteria_sizes, start=1):
        criterion = CriterionFactory(criteria_set=criteria_set, number=number)
        for k in range(1, size + 1):
            IndicatorFactory(criterion=criterion, code=f"{number}.{k}", order=k)
    return criteria_set


class PlanItemFactory(factory.django.DjangoModelFactory):
    """Nhiệm vụ khắc phục for one indicator of a commune."""

    class Meta:
        model = "steering.PlanItem"

    unit = factory.SubFactory(CommuneFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    criteria_set = factory.LazyAttribute(lambda o: o.indicator.criterion.criteria_set)
    action = "Rà soát, bổ sung hồ sơ (thử)"


class WorkFactory(factory.django.DjangoModelFactory):
    """Công trình NTM (made-up figures, for tests)."""

    class Meta:
        model = "steering.Work"

    name = factory.Sequence(lambda n: f"Công trình thử {n}")
    unit = factory.SubFactory(CommuneFactory)
    approved_capital = 1_000_000_000
    start_date = date(2024, 1, 1)
    due_date = date(2024, 12, 31)


class DossierConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "steering.DossierCondition"

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    text = factory.Sequence(lambda n: f"Điều kiện thử {n}")


class DossierFactory(factory.django.DjangoModelFactory):
    """Hồ sơ đề nghị công nhận of a unit for a set."""

    class Meta:
        model = "steering.Dossier"

    unit = factory.SubFactory(CommuneFactory)
    criteria_set = factory.SubFactory(CriteriaSetFactory)


# The two record dates of the `district_of` fixture (conftest.py), for tests that pin query counts
# at 10 and at 200 communes.
DISTRICT_EARLIER = date(2021, 12, 31)
DISTRICT_DAY = date(2022, 8, 19)
