"""Pages and messages name the committee that actually verifies a unit's records: the province
(BCĐ tỉnh) for a commune of the two-tier system since 1/7/2025, the district (BCĐ huyện) for a
2021-2025 commune, "Ban chỉ đạo" where no unit is known (issue 14)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.access import verifier_words, verifying_unit
from accounts.services import account_create
from criteria.models import Indicator
from devdata.quang_ninh_2026 import FIRST_HALF, NEW_SET, load_quang_ninh_2026, load_quang_ninh_2026_accounts
from records.models import ReportingRound
from records.services import entry_save
from tests.factories import CommuneFactory, EnrolmentFactory, ProvinceFactory, build_set
from tests.html_forms import open_form

pytestmark = pytest.mark.django_db

NEW_COMMUNE = "xa-quang-tan-2025"


@pytest.fixture
def quang_ninh():
    units = load_quang_ninh_2026()
    users = {u.username: u for u in load_quang_ninh_2026_accounts()}
    return units, users


def test_a_new_commune_is_verified_by_its_province_and_a_2022_commune_by_its_district(quang_ninh):
    units, _users = quang_ninh
    assert verifying_unit(units[NEW_COMMUNE]).code == "quang-ninh"
    assert verifying_unit(units["xa-quang-tan"]).code == "dam-ha"
    assert verifying_unit(units["dam-ha"]).code == "dam-ha"  # its own district-level set
    assert verifier_words(units[NEW_COMMUNE]) == ("tỉnh", "BCĐ tỉnh")
    assert verifier_words(units["xa-quang-tan"]) == ("huyện", "BCĐ huyện")
    assert verifier_words(None) == ("Ban chỉ đạo", "Ban chỉ đạo")


def test_a_province_officer_is_told_the_province_verifies_on_every_entry_page(client, quang_ninh):
    _units, users = quang_ninh
    client.force_login(users["xa_quangtan_moi"])

    unit_page = client.get(f"/nhap-lieu/{NEW_COMMUNE}/").content.decode()
    assert "Kết quả chỉ tính số liệu đã được tỉnh duyệt." in unit_page
    form_page = client.get(f"/nhap-lieu/{NEW_COMMUNE}/{NEW_SET}/1/").content.decode()
    assert "Gửi tỉnh duyệt" in form_page
    assert "Chỉ số liệu đã được tỉnh duyệt mới được tính vào báo cáo." in form_page
    for page in (unit_page, form_page):
        assert "huyện duyệt" not in page and "BCĐ huyện" not in page


def test_a_province_officer_who_submits_is_told_the_province_will_verify(client, quang_ninh):
    _units, users = quang_ninh
    client.force_login(users["xa_quangtan_moi"])
    url = f"/nhap-lieu/{NEW_COMMUNE}/{NEW_SET}/1/"
    data = open_form(client, url, having="round")
    indicator = Indicator.objects.get(criterion__criteria_set__code=NEW_SET, code="1.1")  # met, verified
    data.update({"action": "submit", f"i{indicator.pk}-value": "no"})
    response = client.post(url, data, follow=True)
    assert "Đã gửi 1 chỉ tiêu để tỉnh duyệt." in response.content.decode()


def test_a_2022_district_officer_still_sends_to_the_district(client, demo_accounts):
    client.force_login(demo_accounts["xa_quangtan"])
    form_page = client.get("/nhap-lieu/xa-quang-tan/xa-ntm-2021-2025/1/").content.decode()
    assert "Gửi huyện duyệt" in form_page
    assert "Chỉ số liệu đã được huyện duyệt mới được tính vào báo cáo." in form_page
    assert "tỉnh duyệt" not in form_page


def test_a_closed_province_round_says_the_province_committee_reopens_it(client, quang_ninh):
    units, users = quang_ninh
    closed = ReportingRound.objects.get(unit__code="quang-ninh", as_of=FIRST_HALF)
    client.force_login(users["xa_quangtan_moi"])
    page = client.get(f"/nhap-lieu/{NEW_COMMUNE}/{NEW_SET}/1/?round={closed.pk}").content.decode()
    assert "Đợt báo cáo đã đóng: số liệu chỉ còn xem được. BCĐ tỉnh có thể mở lại đợt." in page

    with pytest.raises(ValidationError) as refused:
        entry_save(
            unit=units[NEW_COMMUNE], reporting_round=closed, entries=[], submit=True, user=users["xa_quangtan_moi"]
        )
    assert refused.value.messages == [f"Đợt báo cáo “{closed.name}” đã đóng; chỉ BCĐ tỉnh mở lại được."]


def test_a_commune_with_no_round_is_told_its_province_must_open_one(client):
    province = ProvinceFactory(name="Thử")
    commune = CommuneFactory(parent=province, valid_from=date(2025, 7, 1))
    EnrolmentFactory(unit=commune, criteria_set=build_set([1], period_start=2026, period_end=2030))
    officer = account_create(username="canbo.thu", password="Mat-khau-thu-2026", role="commune_officer", unit=commune)
    client.force_login(officer)
    page = client.get(f"/nhap-lieu/{commune.code}/").content.decode()
    assert "Chưa có đợt báo cáo nào; BCĐ tỉnh cần mở một đợt trước khi xã nhập số liệu." in page


def test_a_province_opens_a_round_on_the_rounds_page_and_its_new_communes_enter_into_it(client, quang_ninh):
    _units, users = quang_ninh
    client.force_login(users["bcd_tinh"])
    page = client.get("/dot-bao-cao/").content.decode()
    assert "Tỉnh Quảng Ninh" in page and 'name="as_of"' in page
    response = client.post(
        "/dot-bao-cao/", {"name": "Đợt cuối năm 2026", "as_of": "31/12/2026", "deadline": "15/01/2027"}
    )
    assert response.status_code == 302

    client.force_login(users["xa_quangtan_moi"])
    unit_page = client.get(f"/nhap-lieu/{NEW_COMMUNE}/").content.decode()
    assert "Đợt cuối năm 2026" in unit_page
    form_page = client.get(f"/nhap-lieu/{NEW_COMMUNE}/{NEW_SET}/1/").content.decode()
    assert "Đợt cuối năm 2026" in form_page and "Gửi tỉnh duyệt" in form_page


def test_a_record_file_for_a_closed_province_round_says_the_province_committee_reopens_it(quang_ninh):
    from records.imports import records_import
    from tests.io_helpers import record_file, record_row

    units, users = quang_ninh
    closed = ReportingRound.objects.get(unit__code="quang-ninh", as_of=FIRST_HALF)
    upload = record_file([record_row(NEW_COMMUNE, NEW_SET, "1.1", "Không đạt", as_of=FIRST_HALF)])
    result = records_import(file=upload, user=users["xa_quangtan_moi"], unit=units[NEW_COMMUNE], dry_run=True)
    assert [e.message for e in result.errors] == [f"Đợt báo cáo “{closed.name}” đã đóng; chỉ BCĐ tỉnh mở lại được."]
