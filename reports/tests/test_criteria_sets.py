import pytest

from tests.factories import NumericIndicatorFactory, ThresholdFactory


def test_set_list_shows_legal_basis_and_the_illustrative_mark(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = client.get("/bo-tieu-chi/").content.decode()
    assert "Quyết định 318/QĐ-TTg ngày 08/03/2022" in page
    assert "minh hoạ" in page


def test_set_page_shows_structure_and_legal_basis(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = client.get("/bo-tieu-chi/xa-ntm-2021-2025/").content.decode()
    assert "Quyết định 318/QĐ-TTg ngày 08/03/2022" in page
    assert "19 tiêu chí, 57 chỉ tiêu" in page
    assert "Tiêu chí 17. Môi trường và an toàn thực phẩm" in page
    assert "Hạ tầng kinh tế - xã hội" in page
    assert "illustrative-banner" not in page


def test_illustrative_set_is_marked_on_its_page(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = client.get("/bo-tieu-chi/xa-ntm-nang-cao-2021-2025/").content.decode()
    assert "illustrative-banner" in page
    assert "chưa đối chiếu với văn bản chính thức" in page


def test_set_page_lists_thresholds_by_region_and_commune_group(demo_accounts, client):
    from criteria.models import Criterion

    criterion = Criterion.objects.get(criteria_set__code="xa-ntm-2021-2025", number=10)
    indicator = NumericIndicatorFactory(criterion=criterion, code="10.9", unit_of_measure="triệu đồng")
    ThresholdFactory(indicator=indicator, value=46)
    ThresholdFactory(indicator=indicator, region="tdmnpb", value="39.5")
    ThresholdFactory(indicator=indicator, commune_group=3, value=30)
    client.force_login(demo_accounts["lanhdao"])
    page = client.get("/bo-tieu-chi/xa-ntm-2021-2025/").content.decode()
    assert "Mọi đơn vị: ≥ 46 triệu đồng" in page
    assert "Trung du và miền núi phía Bắc: ≥ 39,5 triệu đồng" in page
    assert "Nhóm 3: ≥ 30 triệu đồng" in page


def test_unknown_set_is_not_found(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    assert client.get("/bo-tieu-chi/khong-co/").status_code == 404


@pytest.mark.parametrize("communes", [10, 200])
def test_set_pages_query_count_does_not_grow_with_communes(district_of, client, django_assert_num_queries, communes):
    _, criteria_set, _, user = district_of(communes)
    client.force_login(user)
    # session, user, profile, its unit, report dates, sets with counts
    with django_assert_num_queries(6):
        assert client.get("/bo-tieu-chi/").status_code == 200
    # session, user, profile, its unit, report dates, the set, criteria, indicators, thresholds
    with django_assert_num_queries(9):
        assert client.get(f"/bo-tieu-chi/{criteria_set.code}/").status_code == 200


def test_criterion_names_not_checked_against_the_decision_are_marked(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    advanced = client.get("/bo-tieu-chi/xa-ntm-nang-cao-2021-2025/").content.decode()
    basic = client.get("/bo-tieu-chi/xa-ntm-2021-2025/").content.decode()
    assert "Độ tin cậy của nguồn: assumed-same-as-basic" in advanced
    assert "tên chưa đối chiếu" not in basic
