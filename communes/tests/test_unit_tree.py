"""Unit codes are slugs and the unit tree stays a tree, whichever way a unit is written."""

import importlib
import io

from django.apps import apps

from communes.models import AdministrativeUnit

ADD = "/admin/communes/administrativeunit/add/"


def _import(client, csv_text):
    data = io.BytesIO(csv_text.encode())
    data.name = "don-vi.csv"
    return client.post(
        "/admin/communes/administrativeunit/import/", {"import_file": data, "format": "1", "resource": "0"}
    )


def test_the_admin_refuses_a_unit_code_with_a_slash_and_the_district_pages_keep_working(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    district = demo_accounts["bcd"].profile.unit
    response = client.post(ADD, {"code": "xa/moi", "name": "Mới", "kind": "xa", "parent": district.pk})
    assert response.status_code == 200
    assert "Mã đơn vị chỉ gồm chữ cái không dấu" in response.content.decode()
    assert not AdministrativeUnit.objects.filter(name="Mới").exists()
    assert client.get("/nhap-lieu/").status_code == 200
    assert client.get("/chi-dao/ho-so/").status_code == 200


def test_a_unit_import_refuses_codes_that_are_not_slugs(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    response = _import(client, "Mã đơn vị,Tên,Loại,Mã đơn vị cấp trên\nxa moi/1,Xã Mới,xa,dam-ha\n")
    assert "Mã đơn vị chỉ gồm chữ cái không dấu" in response.content.decode()
    assert "confirm_form" not in (response.context or {})
    assert not AdministrativeUnit.objects.filter(name="Xã Mới").exists()


def test_existing_codes_that_are_not_slugs_are_rewritten_and_their_pages_load(demo_accounts, client):
    from criteria.models import CriteriaSet, Enrolment
    from devdata.demo import BASIC

    district = demo_accounts["bcd"].profile.unit
    bad = AdministrativeUnit.objects.create(code="xã/mới", name="Mới", kind="xa", parent=district)
    Enrolment.objects.create(unit=bad, criteria_set=CriteriaSet.objects.get(code=BASIC))
    AdministrativeUnit.objects.create(code="xa-moi", name="Đã có", kind="xa", parent=district)
    migration = importlib.import_module("communes.migrations.0005_unit_codes_as_slugs")

    migration.codes_to_slugs(apps, None)

    assert AdministrativeUnit.objects.get(name="Mới").code == "xa-moi-2"
    assert AdministrativeUnit.objects.get(name="Đã có").code == "xa-moi"
    client.force_login(demo_accounts["bcd"])
    assert "/nhap-lieu/xa-moi-2/" in client.get("/nhap-lieu/").content.decode()
    assert client.get("/chi-dao/ho-so/").status_code == 200


def test_district_staff_cannot_make_their_district_a_child_of_one_of_its_communes(demo_accounts, client):
    district = demo_accounts["bcd"].profile.unit
    commune = demo_accounts["xa_quangtan"].profile.unit
    client.force_login(demo_accounts["bcd"])
    response = client.post(
        f"/admin/communes/administrativeunit/{district.pk}/change/",
        {"code": district.code, "name": district.name, "kind": district.kind, "parent": commune.pk},
    )
    # Their district's own row belongs to the province: they may not change it at all.
    assert response.status_code == 403
    district.refresh_from_db()
    assert district.parent.code == "quang-ninh"


def test_no_one_can_make_a_district_a_child_of_one_of_its_communes(demo, admin_client):
    district = demo["dam-ha"]
    commune = demo["xa-quang-tan"]
    response = admin_client.post(
        f"/admin/communes/administrativeunit/{district.pk}/change/",
        {"code": district.code, "name": district.name, "kind": district.kind, "parent": commune.pk},
    )
    assert response.status_code == 200
    assert "không được là chính đơn vị này hoặc một đơn vị trực thuộc nó" in response.content.decode()
    district.refresh_from_db()
    assert district.parent.code == "quang-ninh"


def test_a_unit_cannot_be_its_own_parent_in_the_admin(demo_accounts, client):
    commune = demo_accounts["xa_quangtan"].profile.unit
    client.force_login(demo_accounts["bcd"])
    response = client.post(
        f"/admin/communes/administrativeunit/{commune.pk}/change/",
        {"code": commune.code, "name": commune.name, "kind": "xa", "parent": commune.pk},
    )
    assert response.status_code == 200
    commune.refresh_from_db()
    assert commune.parent.code == "dam-ha"


def test_a_unit_import_refuses_a_row_that_would_make_the_tree_cyclic(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    response = _import(client, "Mã đơn vị,Tên,Loại,Mã đơn vị cấp trên\ndam-ha,Đầm Hà,huyen,xa-quang-tan\n")
    assert "không được là chính đơn vị này hoặc một đơn vị trực thuộc nó" in response.content.decode()
    assert "confirm_form" not in (response.context or {})
    assert AdministrativeUnit.objects.get(code="dam-ha").parent.code == "quang-ninh"
