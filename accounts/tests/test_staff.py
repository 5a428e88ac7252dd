"""Staff access (the Django admin) follows the role: district and province staff and site
administrators have it; commune officers and leaders never do, however their account was made."""

import importlib

from django.apps import apps
from django.contrib.auth import get_user_model

from accounts.models import Profile, Role
from accounts.services import officer_create


def _staff(*usernames):
    return list(
        get_user_model().objects.filter(username__in=usernames).order_by("username").values_list("is_staff", flat=True)
    )


def test_demo_accounts_are_staff_only_for_district_staff(demo_accounts):
    assert _staff("bcd", "lanhdao", "xa_quangtan", "xa_tanlap") == [True, False, False, False]


def test_an_officer_created_by_district_staff_is_not_staff(demo_accounts):
    commune = demo_accounts["bcd"].profile.unit.children.get(code="xa-quang-an")
    user = officer_create(actor=demo_accounts["bcd"], username="xa_quangan", password="Ngay-mua-thu-2022", unit=commune)
    assert user.is_staff is False


def test_the_migration_clears_staff_for_existing_officers_and_leaders(demo_accounts, django_user_model):
    get_user_model().objects.update(is_staff=True)
    root = django_user_model.objects.create_superuser("root", password="x")
    migration = importlib.import_module("accounts.migrations.0003_staff_follows_role")

    migration.clear_staff(apps, None)

    assert _staff("bcd", "lanhdao", "xa_quangtan", "xa_tanlap") == [True, False, False, False]
    root.refresh_from_db()
    assert root.is_staff


def test_changing_a_role_in_the_admin_moves_staff_access_with_it(demo_accounts, admin_client):
    officer = demo_accounts["xa_quangtan"]
    profile = officer.profile
    data = {"user": officer.pk, "role": Role.DISTRICT_STAFF, "unit": profile.unit.parent_id}
    assert admin_client.post(f"/admin/accounts/profile/{profile.pk}/change/", data).status_code == 302
    officer.refresh_from_db()
    assert officer.is_staff

    data["role"] = Role.LEADER
    assert admin_client.post(f"/admin/accounts/profile/{profile.pk}/change/", data).status_code == 302
    officer.refresh_from_db()
    assert not officer.is_staff
    assert Profile.objects.get(pk=profile.pk).role == Role.LEADER


def test_the_menu_offers_the_admin_only_to_those_who_may_enter_it(demo_accounts, client):
    for username, sees_admin in (("bcd", True), ("lanhdao", False), ("xa_quangtan", False)):
        client.force_login(demo_accounts[username])
        page = client.get("/").content.decode()
        assert ('href="/admin/"' in page) is sees_admin, username
