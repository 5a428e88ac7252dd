import pytest


def test_anonymous_visitor_is_sent_to_the_login_page(db, client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/accounts/login/").status_code == 200


def test_login_page_is_vietnamese_and_switches_to_english(db, client):
    assert "Đăng nhập" in client.get("/accounts/login/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"


def test_overview_shows_the_committee_paragraphs_for_the_latest_date(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = client.get("/").content.decode()
    assert "19/08/2022" in page
    assert "có 8 xã đạt bình quân 17,87/19 tiêu chí (94,1%); 55,75/57 chỉ tiêu (97,8%)." in page


def test_overview_for_another_date(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = client.get("/?date=2021-12-31").content.decode()
    assert "31/12/2021" in page
    assert "15,87/19" in page


def test_overview_refuses_a_unit_outside_the_users_scope(demo_accounts, client):
    client.force_login(demo_accounts["xa_quangtan"])
    assert client.get("/?unit=xa-tan-lap").status_code == 404
    assert client.get("/?unit=xa-quang-tan").status_code == 200


@pytest.mark.parametrize("bad", ["hôm-nay", "2022-02-30"])
def test_overview_with_a_malformed_date_is_not_found(demo_accounts, client, bad):
    client.force_login(demo_accounts["lanhdao"])
    assert client.get(f"/?date={bad}").status_code == 404


def test_user_without_a_unit_is_told_so(db, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("khach", password="x"))
    response = client.get("/")
    assert response.status_code == 403
    assert "chưa được gán đơn vị" in response.content.decode()
