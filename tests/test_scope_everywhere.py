"""A commune officer reaches only their own commune, through every door: pages, the API, the
exports, the spreadsheet template and the admin. Checked for xa_quangtan against Tân Lập."""

import pytest

from records.models import AchievementRecord

TAN_LAP_DOORS = [
    "/?unit=xa-tan-lap",
    "/don-vi/xa-tan-lap/",
    "/bao-cao-nhanh/?unit=xa-tan-lap",
    "/bao-cao-nhanh/xlsx/?unit=xa-tan-lap",
    "/api/v1/units/xa-tan-lap/summary/",
    "/api/v1/units/xa-tan-lap/detail/",
    "/du-lieu/xuat/ket-qua.xlsx?unit=xa-tan-lap",
    "/du-lieu/xuat/ket-qua.csv?unit=xa-tan-lap",
    "/du-lieu/xuat/tong-hop.xlsx?unit=xa-tan-lap",
    "/du-lieu/ket-qua/mau/?pair=xa-tan-lap|xa-ntm-2021-2025",
    "/du-lieu/xuat/ket-qua.xlsx?unit=dam-ha",
    "/api/v1/units/dam-ha/summary/",
]


@pytest.mark.parametrize("url", TAN_LAP_DOORS)
def test_commune_officer_cannot_read_another_commune_anywhere(demo_accounts, client, url):
    client.force_login(demo_accounts["xa_quangtan"])
    response = client.get(url)
    assert response.status_code in (403, 404), url
    assert "Tân Lập" not in response.content.decode(errors="ignore")


def test_commune_officer_reads_their_own_commune_through_the_same_doors(demo_accounts, client):
    client.force_login(demo_accounts["xa_quangtan"])
    for url in [u.replace("xa-tan-lap", "xa-quang-tan") for u in TAN_LAP_DOORS if "xa-tan-lap" in u]:
        assert client.get(url).status_code == 200, url


def test_commune_officer_cannot_change_another_communes_record_in_the_admin(demo_accounts, client):
    client.force_login(demo_accounts["xa_quangtan"])
    record = AchievementRecord.objects.filter(unit__code="xa-tan-lap").first()
    before = _records()
    assert client.get(f"/admin/records/achievementrecord/{record.pk}/change/").status_code in (302, 403, 404)
    response = client.post(
        f"/admin/records/achievementrecord/{record.pk}/change/",
        {"unit": record.unit_id, "indicator": record.indicator_id, "as_of": "2022-08-19", "value_bool": "false"},
    )
    assert response.status_code in (302, 403, 404)
    assert _records() == before


def _records():
    """Every record's value and status, read afresh from the database."""
    return list(AchievementRecord.objects.values_list("pk", "value_bool", "status", "version").order_by("pk"))


def test_leader_can_read_everything_under_the_district_and_export_it(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    for url in TAN_LAP_DOORS[:9]:
        assert client.get(url).status_code == 200, url
