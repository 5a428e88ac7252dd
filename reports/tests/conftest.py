"""A district of any size, for tests that pin query counts at 10 and at 200 communes."""

from datetime import date

import pytest

from accounts.services import account_create
from criteria.models import Enrolment, Indicator, Recognition
from records.models import AchievementRecord
from tests.factories import CommuneFactory, DistrictFactory, build_set

EARLIER = date(2021, 12, 31)
DAY = date(2022, 8, 19)


@pytest.fixture
def district_of(db):
    """`district_of(n)`: a district with n communes pursuing one 3-criteria set, records on two
    dates (commune k misses indicator 1.1 when k is odd), one recognition, and a leader `lead`."""

    def build(n):
        district = DistrictFactory(code="huyen-thu", name="Thử")
        criteria_set = build_set([2, 3, 1], code="bo-thu", name="Bộ tiêu chí thử")
        indicators = list(Indicator.objects.filter(criterion__criteria_set=criteria_set))
        communes = [CommuneFactory(parent=district, code=f"xa-{k:03d}", name=f"Xã số {k}") for k in range(n)]
        Enrolment.objects.bulk_create(Enrolment(unit=c, criteria_set=criteria_set) for c in communes)
        records = []
        for k, commune in enumerate(communes):
            for day in (EARLIER, DAY):
                for indicator in indicators:
                    met = not (k % 2 and indicator.code == "1.1")
                    records.append(
                        AchievementRecord(
                            unit=commune, indicator=indicator, as_of=day, value_bool=met, is_met=met, status="verified"
                        )
                    )
        AchievementRecord.objects.bulk_create(records)
        Recognition.objects.create(
            unit=communes[0], criteria_set=criteria_set, decision_date=DAY, issuer="UBND tỉnh"
        )
        user = account_create(username="lead", password="x", role="leader", unit=district)
        return district, criteria_set, communes, user

    return build
