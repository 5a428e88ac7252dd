import pytest

from steering.models import Office


@pytest.mark.parametrize("model", ["office", "dossiercondition", "planitem", "dossier", "work"])
def test_district_staff_manage_the_steering_lists_in_the_admin(steering_demo, client, model):
    client.force_login(steering_demo["bcd"])
    assert client.get(f"/admin/steering/{model}/").status_code == 200
    assert client.get(f"/admin/steering/{model}/add/").status_code == 200


def test_district_staff_add_an_office_named_in_the_meeting(steering_demo, client):
    client.force_login(steering_demo["bcd"])
    district = Office.objects.get(short_name="Phòng KT-HT").unit
    response = client.post(
        "/admin/steering/office/add/",
        {"name": "Văn phòng điều phối nông thôn mới", "kind": "district_office", "unit": district.pk, "short_name": "", "email": ""},
    )
    assert response.status_code == 302
    assert Office.objects.filter(name="Văn phòng điều phối nông thôn mới").exists()


def test_a_leader_may_look_at_offices_but_not_add_one(steering_demo, client):
    client.force_login(steering_demo["lanhdao"])
    assert client.get("/admin/steering/office/").status_code == 200
    assert client.get("/admin/steering/office/add/").status_code == 403


def test_a_commune_officer_sees_only_their_communes_offices_in_the_admin(steering_demo, client):
    client.force_login(steering_demo["xa_tanlap"])
    page = client.get("/admin/steering/office/").content.decode()
    assert "BCĐ xã Tân Lập" in page and "BCĐ xã Quảng Tân" not in page
