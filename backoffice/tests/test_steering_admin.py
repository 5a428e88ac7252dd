import pytest

from steering.models import Office


@pytest.mark.parametrize("model", ["office", "planitem", "dossier", "work"])
def test_district_staff_manage_the_steering_lists_in_the_admin(steering_demo, client, model):
    client.force_login(steering_demo["bcd"])
    assert client.get(f"/admin/steering/{model}/").status_code == 200
    assert client.get(f"/admin/steering/{model}/add/").status_code == 200


def test_district_staff_read_but_do_not_add_dossier_conditions_of_national_sets(steering_demo, client):
    # The demo's sets are national: their further conditions belong to the national administrators.
    client.force_login(steering_demo["bcd"])
    assert client.get("/admin/steering/dossiercondition/").status_code == 200
    assert client.get("/admin/steering/dossiercondition/add/").status_code == 403


def test_district_staff_add_an_office_named_in_the_meeting(steering_demo, client):
    client.force_login(steering_demo["bcd"])
    district = Office.objects.get(short_name="Phòng KT-HT").unit
    response = client.post(
        "/admin/steering/office/add/",
        {
            "name": "Văn phòng điều phối nông thôn mới",
            "kind": "district_office",
            "unit": district.pk,
            "short_name": "",
            "email": "",
        },
    )
    assert response.status_code == 302
    assert Office.objects.filter(name="Văn phòng điều phối nông thôn mới").exists()


@pytest.mark.parametrize("username", ["lanhdao", "xa_tanlap"])
def test_leaders_and_commune_officers_are_sent_to_the_admin_login(steering_demo, client, username):
    # Not staff: leaders read the steering pages, officers keep their plan items on the site.
    client.force_login(steering_demo[username])
    for url in ("/admin/steering/office/", "/admin/steering/office/add/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
        assert "BCĐ xã Quảng Tân" not in response.content.decode()
