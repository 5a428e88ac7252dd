"""NTM_FOUR_EYES (on by default): whoever entered or submitted a value may not verify it."""

import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from accounts.services import account_create
from records.models import AchievementRecord, RecordStatus
from records.services import records_verify
from tests.workflow_helpers import submit


@pytest.fixture
def colleague(demo_accounts):
    """A second staff member of BCĐ huyện Đầm Hà."""
    return account_create(
        username="bcd2", password="x", role=Role.DISTRICT_STAFF, unit=demo_accounts["bcd"].profile.unit
    )


def test_staff_cannot_verify_a_value_they_submitted_and_nothing_of_the_batch_is_verified(demo_accounts, meeting_round):
    bcd = demo_accounts["bcd"]
    (officers,) = submit(demo_accounts["xa_quangtan"], meeting_round, ["13.7"])
    (own,) = submit(bcd, meeting_round, ["17.3"], unit=demo_accounts["xa_quangtan"].profile.unit)

    with pytest.raises(ValidationError) as error:
        records_verify(records=[officers, own], user=bcd)

    message = " ".join(error.value.messages)
    assert "không tự duyệt được" in message
    assert "Xã Quảng Tân 17.3 (19/08/2022)" in message
    assert "13.7" not in message  # only the records the user entered are named
    statuses = dict(AchievementRecord.objects.filter(pk__in=[officers.pk, own.pk]).values_list("pk", "status"))
    assert statuses == {officers.pk: RecordStatus.SUBMITTED, own.pk: RecordStatus.SUBMITTED}


def test_a_second_staff_member_verifies_what_the_first_entered(demo_accounts, meeting_round, colleague):
    (own,) = submit(demo_accounts["bcd"], meeting_round, ["17.3"], unit=demo_accounts["xa_quangtan"].profile.unit)
    (verified,) = records_verify(records=[own], user=colleague)
    assert verified.status == RecordStatus.VERIFIED
    assert verified.verified_by == colleague


def test_with_four_eyes_off_staff_may_verify_their_own_entry(demo_accounts, meeting_round, settings):
    settings.NTM_FOUR_EYES = False
    bcd = demo_accounts["bcd"]
    (own,) = submit(bcd, meeting_round, ["17.3"], unit=demo_accounts["xa_quangtan"].profile.unit)
    (verified,) = records_verify(records=[own], user=bcd)
    assert verified.status == RecordStatus.VERIFIED


@pytest.mark.parametrize(("env", "expected"), [({}, "True"), ({"NTM_FOUR_EYES": "false"}, "False")])
def test_four_eyes_is_on_unless_the_environment_turns_it_off(env, expected):
    result = subprocess.run(
        [sys.executable, "-c", "import ntm_dashboard.settings as s; print(s.NTM_FOUR_EYES)"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true", **env},
    )
    assert result.stdout.strip() == expected, result.stderr
