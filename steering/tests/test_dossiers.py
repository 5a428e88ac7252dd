from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from criteria.models import Recognition
from records.models import AchievementRecord
from records.services import evidence_add
from steering.models import Dossier, DossierCondition, DossierStatus
from steering.services import (
    condition_confirm,
    dossier_change_status,
    dossier_get_or_create,
    dossier_readiness,
    dossier_recognise,
)
from tests.factories import CommuneFactory, EnrolmentFactory, RecordFactory, build_set

DAY = date(2022, 8, 19)


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("staff", first_name="Cán bộ BCĐ")


def _unit_on_set(met_everything):
    criteria_set = build_set([1, 1])
    commune = CommuneFactory()
    EnrolmentFactory(unit=commune, criteria_set=criteria_set)
    indicators = list(criteria_set.criteria.get(number=1).indicators.all()) + list(
        criteria_set.criteria.get(number=2).indicators.all()
    )
    RecordFactory(unit=commune, indicator=indicators[0], met=True)
    RecordFactory(unit=commune, indicator=indicators[1], met=met_everything)
    return commune, criteria_set


PDF = b"%PDF-1.4\n%minh chung\n"


def _attach_evidence(commune, criteria_set, user, skip=()):
    """A real PDF on the latest record of every indicator except those in `skip`."""
    for record in AchievementRecord.objects.filter(unit=commune, indicator__criterion__criteria_set=criteria_set):
        if record.indicator.code not in skip:
            evidence_add(record=record, upload=SimpleUploadedFile("bien-ban.pdf", PDF), user=user)


@pytest.fixture
def evidence_root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"


def test_readiness_refuses_ready_while_a_criterion_is_unmet(db, staff, evidence_root):
    commune, criteria_set = _unit_on_set(met_everything=False)
    _attach_evidence(commune, criteria_set, staff)
    dossier = dossier_get_or_create(unit=commune, criteria_set=criteria_set)
    with pytest.raises(ValidationError) as error:
        dossier_change_status(dossier=dossier, status=DossierStatus.READY, user=staff, as_of=DAY)
    assert "Còn 1 tiêu chí chưa đạt: 2." in error.value.messages
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.NOT_READY


def test_readiness_refuses_ready_while_no_indicator_has_evidence(db, staff):
    commune, criteria_set = _unit_on_set(met_everything=True)
    dossier = dossier_get_or_create(unit=commune, criteria_set=criteria_set)
    readiness = dossier_readiness(unit=commune, criteria_set=criteria_set, as_of=DAY, dossier=dossier)
    assert readiness.unmet_criteria == []
    assert [i.code for i in readiness.evidence_missing] == ["1.1", "2.1"]
    with pytest.raises(ValidationError, match="minh chứng"):
        dossier_change_status(dossier=dossier, status=DossierStatus.READY, user=staff, as_of=DAY)
    assert Dossier.objects.get().status == DossierStatus.NOT_READY


def test_readiness_refuses_ready_while_an_indicator_lacks_evidence(db, staff, evidence_root):
    commune, criteria_set = _unit_on_set(met_everything=True)
    _attach_evidence(commune, criteria_set, staff, skip={"1.1"})
    dossier = dossier_get_or_create(unit=commune, criteria_set=criteria_set)
    with pytest.raises(ValidationError) as error:
        dossier_change_status(dossier=dossier, status=DossierStatus.READY, user=staff, as_of=DAY)
    assert "Còn 1 chỉ tiêu chưa có minh chứng: 1.1." in error.value.messages


def test_readiness_accepts_ready_once_criteria_evidence_and_conditions_are_complete(db, staff, evidence_root):
    commune, criteria_set = _unit_on_set(met_everything=True)
    _attach_evidence(commune, criteria_set, staff)
    dossier = dossier_get_or_create(unit=commune, criteria_set=criteria_set)
    dossier_change_status(dossier=dossier, status=DossierStatus.READY, user=staff, as_of=DAY)
    assert Dossier.objects.get().status == DossierStatus.READY


def test_readiness_refuses_ready_until_every_further_condition_is_confirmed(db, staff, evidence_root):
    commune, criteria_set = _unit_on_set(met_everything=True)
    _attach_evidence(commune, criteria_set, staff)
    condition = DossierCondition.objects.create(criteria_set=criteria_set, text="Không còn nợ đọng xây dựng cơ bản")
    dossier = dossier_get_or_create(unit=commune, criteria_set=criteria_set)
    with pytest.raises(ValidationError, match="điều kiện bổ sung"):
        dossier_change_status(dossier=dossier, status=DossierStatus.READY, user=staff, as_of=DAY)
    confirmation = condition_confirm(dossier=dossier, condition=condition, user=staff, note="Biên bản số 1")
    assert confirmation.confirmed_by == staff and confirmation.confirmed_at is not None
    dossier = dossier_change_status(dossier=dossier, status=DossierStatus.READY, user=staff, as_of=DAY)
    assert dossier.status == DossierStatus.READY
    assert dossier.status_changed_by == staff


def test_recognition_from_a_dossier_creates_the_recognition_record(db, staff, evidence_root):
    commune, criteria_set = _unit_on_set(met_everything=True)
    _attach_evidence(commune, criteria_set, staff)
    dossier = dossier_get_or_create(unit=commune, criteria_set=criteria_set)
    dossier_change_status(dossier=dossier, status=DossierStatus.READY, user=staff, as_of=DAY)
    dossier_change_status(
        dossier=dossier, status=DossierStatus.SUBMITTED, user=staff, as_of=DAY, submitted_on=date(2022, 9, 1)
    )
    recognition = dossier_recognise(
        dossier=dossier, decision_number="123/QĐ-UBND", decision_date=date(2022, 10, 10), issuer="UBND tỉnh", user=staff
    )
    assert (
        Recognition.objects.in_force_on(date(2022, 10, 10)).filter(unit=commune, criteria_set=criteria_set).get()
        == recognition
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RECOGNISED and dossier.recognition == recognition


def test_a_decision_cannot_be_recorded_before_the_dossier_is_submitted(db, staff):
    commune, criteria_set = _unit_on_set(met_everything=True)
    dossier = dossier_get_or_create(unit=commune, criteria_set=criteria_set)
    with pytest.raises(ValidationError, match="đã trình"):
        dossier_recognise(dossier=dossier, decision_number="1/QĐ", decision_date=DAY, issuer="UBND tỉnh", user=staff)
    assert not Recognition.objects.exists()


def test_a_decision_dated_before_submission_is_refused_and_nothing_is_saved(db, staff, evidence_root):
    commune, criteria_set = _unit_on_set(met_everything=True)
    _attach_evidence(commune, criteria_set, staff)
    dossier = dossier_get_or_create(unit=commune, criteria_set=criteria_set)
    dossier_change_status(dossier=dossier, status=DossierStatus.READY, user=staff, as_of=DAY)
    dossier_change_status(dossier=dossier, status=DossierStatus.SUBMITTED, user=staff, as_of=DAY, submitted_on=DAY)
    with pytest.raises(ValidationError, match="trước ngày trình"):
        dossier_recognise(
            dossier=dossier, decision_number="1/QĐ", decision_date=date(2022, 8, 1), issuer="UBND tỉnh", user=staff
        )
    assert not Recognition.objects.exists()
    assert Dossier.objects.get().status == DossierStatus.SUBMITTED


def test_a_returned_dossier_needs_a_reason_and_keeps_it(db, staff, evidence_root):
    commune, criteria_set = _unit_on_set(met_everything=True)
    _attach_evidence(commune, criteria_set, staff)
    dossier = dossier_get_or_create(unit=commune, criteria_set=criteria_set)
    dossier_change_status(dossier=dossier, status=DossierStatus.READY, user=staff, as_of=DAY)
    dossier_change_status(dossier=dossier, status=DossierStatus.SUBMITTED, user=staff, as_of=DAY)
    with pytest.raises(ValidationError, match="lý do"):
        dossier_change_status(dossier=dossier, status=DossierStatus.RETURNED, user=staff, as_of=DAY, reason="  ")
    dossier = dossier_change_status(
        dossier=dossier, status=DossierStatus.RETURNED, user=staff, as_of=DAY, reason="Thiếu biên bản khảo sát"
    )
    assert dossier.status == DossierStatus.RETURNED and dossier.return_reason == "Thiếu biên bản khảo sát"


def test_a_not_ready_dossier_cannot_jump_to_submitted(db, staff, evidence_root):
    commune, criteria_set = _unit_on_set(met_everything=True)
    _attach_evidence(commune, criteria_set, staff)
    dossier = dossier_get_or_create(unit=commune, criteria_set=criteria_set)
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        dossier_change_status(dossier=dossier, status=DossierStatus.SUBMITTED, user=staff, as_of=DAY)
