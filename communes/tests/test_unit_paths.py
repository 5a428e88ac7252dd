"""Every unit stores the path of its ancestors, whichever way it is written, and within() follows it."""

import importlib

import pytest
from django.apps import apps

from communes.models import AdministrativeUnit, Kind
from communes.services import unit_paths_rebuild, unit_save
from tests.factories import CommuneFactory, DistrictFactory, ProvinceFactory

pytestmark = pytest.mark.django_db


def _codes(queryset):
    return sorted(queryset.values_list("code", flat=True))


def test_units_created_one_by_one_or_in_bulk_get_their_ancestors_path():
    commune = CommuneFactory(code="xa")
    district, province = commune.parent, commune.parent.parent
    (bulk,) = AdministrativeUnit.objects.bulk_create(
        [AdministrativeUnit(code="xa-2", name="Hai", kind=Kind.COMMUNE, parent=district)]
    )
    assert province.path == ""
    assert AdministrativeUnit.objects.get(code="xa").path == f"{province.pk}/{district.pk}/"
    assert AdministrativeUnit.objects.get(pk=bulk.pk).path == f"{province.pk}/{district.pk}/"
    assert _codes(AdministrativeUnit.objects.within(province)) == sorted([province.code, district.code, "xa", "xa-2"])
    assert _codes(AdministrativeUnit.objects.within(district, include_self=False)) == ["xa", "xa-2"]


def test_a_district_moved_to_another_province_takes_its_communes_along():
    old, new = ProvinceFactory(code="tinh-cu"), ProvinceFactory(code="tinh-moi")
    district = DistrictFactory(code="huyen", parent=old)
    CommuneFactory(code="xa", parent=district)

    district.parent = new
    unit_save(unit=district)

    assert _codes(AdministrativeUnit.objects.within(old)) == ["tinh-cu"]
    assert _codes(AdministrativeUnit.objects.within(new)) == ["huyen", "tinh-moi", "xa"]
    assert AdministrativeUnit.objects.get(code="xa").path == f"{new.pk}/{district.pk}/"


def test_the_admin_moves_a_subtree_too(admin_client):
    old, new = ProvinceFactory(code="tinh-cu"), ProvinceFactory(code="tinh-moi")
    district = DistrictFactory(code="huyen", name="Huyện", parent=old)
    CommuneFactory(code="xa", parent=district)

    response = admin_client.post(
        f"/admin/communes/administrativeunit/{district.pk}/change/",
        {"code": "huyen", "name": "Huyện", "kind": Kind.DISTRICT, "parent": new.pk},
    )

    assert response.status_code == 302
    assert _codes(AdministrativeUnit.objects.within(new)) == ["huyen", "tinh-moi", "xa"]


def test_paths_written_behind_the_orms_back_are_rebuilt_and_filled_by_the_migration():
    commune = CommuneFactory(code="xa")
    AdministrativeUnit.objects.update(path="")
    assert unit_paths_rebuild() == 2  # the district's and the commune's; the province's was right
    expected = f"{commune.parent.parent_id}/{commune.parent_id}/"
    assert AdministrativeUnit.objects.get(code="xa").path == expected

    AdministrativeUnit.objects.update(path="")
    importlib.import_module("communes.migrations.0007_fill_unit_paths").fill_paths(apps, None)
    assert AdministrativeUnit.objects.get(code="xa").path == expected
