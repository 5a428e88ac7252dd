import pytest
from django.http import Http404

from accounts.access import can_edit, can_verify, editable_units, home_unit, unit_for_user, visible_units


def _codes(qs):
    return set(qs.values_list("code", flat=True))


def test_commune_officer_sees_only_their_commune(demo_accounts):
    officer = demo_accounts["xa_quangtan"]
    assert _codes(visible_units(officer)) == {"xa-quang-tan"}
    assert unit_for_user(officer, "xa-quang-tan").name == "Quảng Tân"
    with pytest.raises(Http404):
        unit_for_user(officer, "xa-tan-lap")
    with pytest.raises(Http404):
        unit_for_user(officer, "dam-ha")


def test_district_staff_and_leaders_see_the_district_and_everything_under_it(demo_accounts):
    for username in ["bcd", "lanhdao"]:
        codes = _codes(visible_units(demo_accounts[username]))
        assert {"dam-ha", "xa-tan-lap", "xa-quang-tan", "tt-dam-ha"} <= codes
        assert "quang-ninh" not in codes
        assert home_unit(demo_accounts[username]).code == "dam-ha"


def test_user_without_profile_sees_nothing(db, django_user_model):
    user = django_user_model.objects.create_user("khach", password="x")
    assert not visible_units(user).exists()
    with pytest.raises(Http404):
        unit_for_user(user, "dam-ha")


def test_superuser_sees_every_unit(demo, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x")
    assert "quang-ninh" in _codes(visible_units(admin))
    assert home_unit(admin).code == "quang-ninh"


def test_who_may_enter_and_verify_records(demo_accounts):
    quang_tan, tan_lap = demo_accounts["xa_quangtan"].profile.unit, demo_accounts["xa_tanlap"].profile.unit
    officer, staff, leader = demo_accounts["xa_quangtan"], demo_accounts["bcd"], demo_accounts["lanhdao"]
    assert _codes(editable_units(officer)) == {"xa-quang-tan"}
    assert (can_edit(officer, quang_tan), can_edit(officer, tan_lap)) == (True, False)
    assert (can_verify(officer, quang_tan), can_verify(leader, quang_tan)) == (False, False)
    assert not editable_units(leader).exists()
    assert can_edit(staff, tan_lap) and can_verify(staff, tan_lap)
    assert "quang-ninh" not in _codes(editable_units(staff))
