"""Writes on plans and dossiers, and the readiness check of a dossier.

Whether criteria and indicators are met always comes from `reports.engine`.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit
from criteria.models import Enrolment, Recognition
from reports.engine import UnitDetail, unit_detail
from steering.evidence import indicators_without_evidence
from steering.models import (
    ConditionConfirmation,
    Dossier,
    DossierCondition,
    DossierStatus,
    PlanItem,
    PlanStatus,
)

# ---------------------------------------------------------------------------------------------
# Gap plans


@transaction.atomic
def plan_items_from_gaps(*, unit, criteria_set, as_of, user=None):
    """Create a draft item for every indicator `unit` has not met as of `as_of` (engine's answer)
    that has no open item yet; returns the new items. Running it twice creates nothing new.
    """
    if not Enrolment.objects.filter(unit=unit, criteria_set=criteria_set).exists():
        raise ValidationError(
            _("%(unit)s chưa đăng ký thực hiện %(set)s.") % {"unit": unit.display_name, "set": criteria_set.name}
        )
    # Lock the unit row so two clicks at once cannot both create the same drafts.
    AdministrativeUnit.objects.select_for_update().get(pk=unit.pk)
    gaps = [status.indicator for status in unit_detail(unit, criteria_set, as_of).unmet]
    covered = set(PlanItem.objects.open().filter(unit=unit, indicator__in=gaps).values_list("indicator_id", flat=True))
    items = [
        PlanItem(unit=unit, criteria_set=criteria_set, indicator=indicator, status=PlanStatus.DRAFT, created_by=user)
        for indicator in gaps
        if indicator.pk not in covered
    ]
    return PlanItem.objects.bulk_create(items)


# ---------------------------------------------------------------------------------------------
# Recognition dossiers


@dataclass(frozen=True)
class ConditionState:
    condition: DossierCondition
    confirmation: ConditionConfirmation | None

    @property
    def confirmed(self):
        return self.confirmation is not None


@dataclass
class Readiness:
    """Everything that stands between a unit and proposing it for recognition on a set."""

    detail: UnitDetail
    evidence_missing: list  # indicators whose latest verified record has no evidence file
    conditions: list[ConditionState]

    @property
    def unmet_criteria(self):
        return [c for c in self.detail.criteria if not c.met]

    @property
    def unmet_by_criterion(self):
        """[(criterion detail, its indicators not met)] for the criteria not met."""
        return [(c, [i for i in c.indicators if not i.met]) for c in self.unmet_criteria]

    @property
    def unconfirmed_conditions(self):
        return [c for c in self.conditions if not c.confirmed]

    @property
    def blockers(self):
        """Why the dossier cannot be called ready, in the words shown to district staff."""
        reasons = []
        if self.unmet_criteria:
            reasons.append(
                _("Còn %(n)s tiêu chí chưa đạt: %(list)s.")
                % {
                    "n": len(self.unmet_criteria),
                    "list": ", ".join(str(c.criterion.number) for c in self.unmet_criteria),
                }
            )
        if self.evidence_missing:
            reasons.append(
                _("Còn %(n)s chỉ tiêu chưa có minh chứng: %(list)s.")
                % {"n": len(self.evidence_missing), "list": ", ".join(i.code for i in self.evidence_missing)}
            )
        if self.unconfirmed_conditions:
            reasons.append(
                _("Còn %(n)s điều kiện bổ sung chưa được xác nhận.") % {"n": len(self.unconfirmed_conditions)}
            )
        return reasons

    @property
    def can_be_ready(self):
        return not self.blockers


def dossier_readiness(*, unit, criteria_set, as_of, dossier=None):
    """The readiness of `unit` on `criteria_set` as of `as_of` (engine: four queries; conditions
    and their confirmations: two more)."""
    detail = unit_detail(unit, criteria_set, as_of)
    confirmations = {}
    if dossier is not None and dossier.pk:
        confirmations = {
            c.condition_id: c
            for c in ConditionConfirmation.objects.filter(dossier=dossier).select_related("confirmed_by")
        }
    conditions = [
        ConditionState(condition, confirmations.get(condition.pk))
        for condition in DossierCondition.objects.filter(criteria_set=criteria_set)
    ]
    return Readiness(
        detail=detail,
        evidence_missing=indicators_without_evidence(unit, criteria_set, as_of),
        conditions=conditions,
    )


# Which status may follow which; RECOGNISED is reached only through `dossier_recognise`.
TRANSITIONS = {
    DossierStatus.NOT_READY: {DossierStatus.READY},
    DossierStatus.READY: {DossierStatus.NOT_READY, DossierStatus.SUBMITTED},
    DossierStatus.SUBMITTED: {DossierStatus.RETURNED},
    DossierStatus.RETURNED: {DossierStatus.NOT_READY, DossierStatus.READY},
    DossierStatus.RECOGNISED: set(),
}


def dossier_get_or_create(*, unit, criteria_set):
    """The dossier of `unit` on `criteria_set`; the unit must be pursuing the set."""
    if not Enrolment.objects.filter(unit=unit, criteria_set=criteria_set).exists():
        raise ValidationError(
            _("%(unit)s chưa đăng ký thực hiện %(set)s.") % {"unit": unit.display_name, "set": criteria_set.name}
        )
    dossier, _created = Dossier.objects.get_or_create(unit=unit, criteria_set=criteria_set)
    return dossier


def _set_status(dossier, status, user):
    dossier.status = status
    dossier.status_changed_at = timezone.now()
    dossier.status_changed_by = user


@transaction.atomic
def dossier_change_status(*, dossier, status, user, as_of, reason="", submitted_on=None):
    """Move `dossier` to `status`, refusing "ready" (and "submitted") while anything blocks it."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if status not in TRANSITIONS[dossier.status]:
        raise ValidationError(
            _("Không thể chuyển hồ sơ từ “%(old)s” sang “%(new)s”.")
            % {"old": dossier.get_status_display(), "new": DossierStatus(status).label}
        )
    if status in (DossierStatus.READY, DossierStatus.SUBMITTED):
        readiness = dossier_readiness(
            unit=dossier.unit, criteria_set=dossier.criteria_set, as_of=as_of, dossier=dossier
        )
        if not readiness.can_be_ready:
            raise ValidationError([_("Hồ sơ chưa đủ điều kiện đề nghị công nhận.")] + readiness.blockers)
    if status == DossierStatus.RETURNED:
        if not reason.strip():
            raise ValidationError(_("Cần ghi lý do trả lại hồ sơ."))
        dossier.return_reason = reason.strip()
    if status == DossierStatus.SUBMITTED:
        dossier.submitted_on = submitted_on or timezone.localdate()
    _set_status(dossier, status, user)
    dossier.save()
    return dossier


@transaction.atomic
def dossier_recognise(*, dossier, decision_number, decision_date, issuer, user):
    """Record the recognition decision: creates the criteria.Recognition and closes the dossier."""
    dossier = Dossier.objects.select_for_update().select_related("unit", "criteria_set").get(pk=dossier.pk)
    if dossier.status != DossierStatus.SUBMITTED:
        raise ValidationError(_("Chỉ ghi quyết định công nhận cho hồ sơ đã trình."))
    if not decision_number.strip() or not issuer.strip() or decision_date is None:
        raise ValidationError(_("Cần đủ số quyết định, ngày quyết định và cơ quan ban hành."))
    if dossier.submitted_on and decision_date < dossier.submitted_on:
        raise ValidationError(_("Ngày quyết định không thể trước ngày trình hồ sơ."))
    recognition = Recognition.objects.create(
        unit=dossier.unit,
        criteria_set=dossier.criteria_set,
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        issuer=issuer.strip(),
    )
    dossier.recognition = recognition
    _set_status(dossier, DossierStatus.RECOGNISED, user)
    dossier.save()
    return recognition


@transaction.atomic
def condition_confirm(*, dossier, condition, user, note=""):
    """Record that `user` confirmed `condition` for `dossier` (once; later calls change nothing)."""
    if condition.criteria_set_id != dossier.criteria_set_id:
        raise ValidationError(_("Điều kiện này không thuộc bộ tiêu chí của hồ sơ."))
    if dossier.status in (DossierStatus.SUBMITTED, DossierStatus.RECOGNISED):
        raise ValidationError(_("Hồ sơ đã trình, không sửa danh mục điều kiện được nữa."))
    confirmation, _created = ConditionConfirmation.objects.get_or_create(
        dossier=dossier, condition=condition, defaults={"confirmed_by": user, "note": note}
    )
    return confirmation


@transaction.atomic
def condition_withdraw(*, dossier, condition):
    """Withdraw a confirmation; a ready dossier falls back to not ready."""
    if dossier.status in (DossierStatus.SUBMITTED, DossierStatus.RECOGNISED):
        raise ValidationError(_("Hồ sơ đã trình, không sửa danh mục điều kiện được nữa."))
    ConditionConfirmation.objects.filter(dossier=dossier, condition=condition).delete()
    if dossier.status == DossierStatus.READY:
        dossier.status = DossierStatus.NOT_READY
        dossier.save(update_fields=["status"])
