"""District staff manage the units of their own district in the admin, and no others."""

import pytest

from communes.models import AdministrativeUnit, Kind


@pytest.fixture
def other_district(demo):
    district = AdministrativeUnit.objects.create(
        code="huyen-khac", name="Khác", kind=Kind.DISTRICT, parent=demo["quang-ninh"]
    )
    commune = AdministrativeUnit.objects.create(code="xa-khac", name="Xã Khác", kind=Kind.COMMUNE, parent=district)
    return district, commune


def test_district_staff_list_only_their_district(demo_accounts, other_district, client):
    client.force_login(demo_accounts["bcd"])
    page = client.get("/admin/communes/administrativeunit/").content.decode()
    assert "xa-quang-tan" in page
    assert "xa-khac" not in page and "quang-ninh" not in page


def test_district_staff_cannot_change_another_districts_commune(demo_accounts, other_district, client):
    _district, commune = other_district
    client.force_login(demo_accounts["bcd"])
    url = f"/admin/communes/administrativeunit/{commune.pk}/change/"
    assert client.get(url).status_code in (302, 404)  # the admin redirects a hidden row to the index
    response = client.post(url, {"code": "xa-khac", "name": "Đổi tên", "kind": "xa", "parent": commune.parent_id})
    assert response.status_code in (302, 403, 404)
    commune.refresh_from_db()
    assert commune.name == "Xã Khác"


def test_district_staff_cannot_move_a_commune_out_of_their_district(demo_accounts, other_district, client):
    other, _commune = other_district
    quang_tan = demo_accounts["xa_quangtan"].profile.unit
    client.force_login(demo_accounts["bcd"])
    response = client.post(
        f"/admin/communes/administrativeunit/{quang_tan.pk}/change/",
        {"code": quang_tan.code, "name": quang_tan.name, "kind": "xa", "parent": other.pk},
    )
    assert response.status_code == 200  # the form comes back with an error
    quang_tan.refresh_from_db()
    assert quang_tan.parent.code == "dam-ha"


def test_district_staff_can_rename_their_own_commune(demo_accounts, client):
    quang_tan = demo_accounts["xa_quangtan"].profile.unit
    client.force_login(demo_accounts["bcd"])
    response = client.post(
        f"/admin/communes/administrativeunit/{quang_tan.pk}/change/",
        {"code": quang_tan.code, "name": "Quảng Tân (mới)", "kind": "xa", "parent": quang_tan.parent_id},
    )
    assert response.status_code == 302
    quang_tan.refresh_from_db()
    assert quang_tan.name == "Quảng Tân (mới)"


def test_commune_officer_is_kept_out_of_the_admin_and_changes_nothing(demo_accounts, client):
    # Officers are not staff: every task they have is a page of the site.
    client.force_login(demo_accounts["xa_quangtan"])
    response = client.get("/admin/communes/administrativeunit/")
    assert response.status_code == 302 and "xa-tan-lap" not in response.content.decode()
    quang_tan = demo_accounts["xa_quangtan"].profile.unit
    assert client.post(
        f"/admin/communes/administrativeunit/{quang_tan.pk}/change/",
        {"code": quang_tan.code, "name": "X", "kind": "xa", "parent": quang_tan.parent_id},
    )["Location"].startswith("/admin/login/")
    quang_tan.refresh_from_db()
    assert quang_tan.name == "Quảng Tân"


def test_district_staff_cannot_import_a_unit_into_another_district(demo_accounts, other_district, client):
    import io

    other, _commune = other_district
    client.force_login(demo_accounts["bcd"])
    data = io.BytesIO(f"Mã đơn vị,Tên,Loại,Mã đơn vị cấp trên\nxa-lan-sang,Xã Lấn Sang,xa,{other.code}\n".encode())
    data.name = "don-vi.csv"
    response = client.post(
        "/admin/communes/administrativeunit/import/", {"import_file": data, "format": "1", "resource": "0"}
    )
    assert "ngoài phạm vi quản lý" in response.content.decode()
    assert "confirm_form" not in (response.context or {})
    assert not AdministrativeUnit.objects.filter(code="xa-lan-sang").exists()
