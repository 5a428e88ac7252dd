"""Numbers typed into the entry form the Vietnamese way are read as the spreadsheet imports read them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.services import account_create
from records.models import AchievementRecord
from tests.factories import (
    CommuneFactory,
    EnrolmentFactory,
    NumericIndicatorFactory,
    RoundFactory,
    ThresholdFactory,
)


@pytest.fixture
def numeric_line(db, client):
    """An officer's entry form with one numeric indicator (met at >= 1.000 households)."""
    commune = CommuneFactory(code="xa-so-lieu")
    indicator = NumericIndicatorFactory(code="9.1", unit_of_measure="hộ")
    ThresholdFactory(indicator=indicator, value=1000)
    EnrolmentFactory(unit=commune, criteria_set=indicator.criterion.criteria_set)
    reporting_round = RoundFactory(unit=commune.parent)
    officer = account_create(username="can-bo-so", password="x", role=Role.COMMUNE_OFFICER, unit=commune)
    client.force_login(officer)
    url = (
        reverse(
            "entry:entry",
            args=[commune.code, indicator.criterion.criteria_set.code, indicator.criterion.number],
        )
        + f"?round={reporting_round.pk}"
    )
    return client, url, indicator


def _save(client, url, indicator, typed):
    prefix = f"i{indicator.pk}"
    return client.post(
        url,
        {
            "action": "save",
            f"{prefix}-value": typed,
            f"initial-{prefix}-value": "",
            f"{prefix}-version": 0,
            f"{prefix}-verified_version": 0,
            f"{prefix}-note": "",
            f"initial-{prefix}-note": "",
        },
    )


@pytest.mark.parametrize(
    "typed, stored", [("1.250", Decimal("1250")), ("12,5", Decimal("12.5")), ("1.250,75", Decimal("1250.75"))]
)
def test_a_number_typed_the_vietnamese_way_is_stored_as_meant(numeric_line, typed, stored):
    client, url, indicator = numeric_line
    assert _save(client, url, indicator, typed).status_code == 302
    record = AchievementRecord.objects.get(indicator=indicator)
    assert record.value_number == stored
    assert record.is_met == (stored >= 1000)


def test_an_ambiguous_number_is_refused_with_how_to_type_it(numeric_line):
    client, url, indicator = numeric_line
    response = _save(client, url, indicator, "1,250")
    assert response.status_code == 200
    assert "1.250" in response.content.decode()  # the message shows both ways to write it
    assert not AchievementRecord.objects.filter(indicator=indicator).exists()


def test_the_form_shows_a_stored_number_the_vietnamese_way(numeric_line):
    client, url, indicator = numeric_line
    _save(client, url, indicator, "1.250,5")
    page = client.get(url).content.decode()
    assert 'value="1.250,5"' in page
