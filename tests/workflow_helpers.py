"""Fixtures for the record workflow tests: the demo's open round and private evidence storage."""

from datetime import date

import pytest

from criteria.models import Indicator
from records.models import ReportingRound

MEETING = date(2022, 8, 19)
ADVANCED = "xa-ntm-nang-cao-2021-2025"


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    """Evidence files go to a throw-away folder."""
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return settings.EVIDENCE_ROOT


@pytest.fixture
def meeting_round(demo):
    """The demo's open round, as of 19/08/2022, organised by huyện Đầm Hà."""
    return ReportingRound.objects.get(unit__code="dam-ha", as_of=MEETING)


def advanced_indicator(code):
    return Indicator.objects.get(criterion__criteria_set__code=ADVANCED, code=code)


def submit(user, reporting_round, codes, value=True, submit=True, unit=None, note=""):
    """Enter the advanced-set indicators `codes` for `unit` (default: the user's own) as `user`."""
    from records.services import Entry, entry_save

    return entry_save(
        unit=unit or user.profile.unit,
        reporting_round=reporting_round,
        entries=[Entry(indicator=advanced_indicator(c), value_bool=value, note=note) for c in codes],
        submit=submit,
        user=user,
    )
