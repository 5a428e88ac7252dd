"""Writes on criteria and records. Whether a record is met is decided here and nowhere else."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import AchievementRecord, IndicatorKind, applicable_threshold


def record_evaluate(*, unit, indicator, value_bool=None, value_number=None, thresholds=None):
    """Whether the value meets `indicator` for `unit`; ValidationError in Vietnamese if it cannot.

    `thresholds` may be passed in (already fetched) to avoid a query per record in bulk writes.
    """
    if indicator.kind == IndicatorKind.BOOLEAN:
        if value_bool is None or value_number is not None:
            raise ValidationError(
                _("Chỉ tiêu %(code)s chỉ nhận giá trị Đạt / Không đạt.") % {"code": indicator.code}
            )
        return bool(value_bool)
    if value_number is None or value_bool is not None:
        raise ValidationError(_("Chỉ tiêu %(code)s cần một giá trị số.") % {"code": indicator.code})
    try:
        number = Decimal(value_number)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(_("Giá trị “%(value)s” không phải là số.") % {"value": value_number}) from None
    if not number.is_finite():
        raise ValidationError(_("Giá trị “%(value)s” không phải là số.") % {"value": value_number})
    if thresholds is None:
        thresholds = list(indicator.thresholds.all())
    threshold = applicable_threshold(thresholds, unit)
    if threshold is None:
        raise ValidationError(
            _("Chỉ tiêu %(code)s chưa có mức đạt áp dụng cho %(unit)s (theo vùng hoặc nhóm xã).")
            % {"code": indicator.code, "unit": unit.display_name}
        )
    return indicator.passes(number, threshold.value)


@transaction.atomic
def record_save(*, unit, indicator, as_of, value_bool=None, value_number=None, note="", user=None):
    """Create or replace the record of `unit` on `indicator` dated `as_of`."""
    is_met = record_evaluate(unit=unit, indicator=indicator, value_bool=value_bool, value_number=value_number)
    record, _created = AchievementRecord.objects.update_or_create(
        unit=unit,
        indicator=indicator,
        as_of=as_of,
        defaults={
            "value_bool": value_bool,
            "value_number": value_number,
            "is_met": is_met,
            "note": note,
            "recorded_by": user,
        },
    )
    return record


@transaction.atomic
def records_reevaluate(*, indicator):
    """Recompute `is_met` on every numeric record of `indicator`, after its targets changed.

    Records whose unit has no applicable target any more are left as they were and returned,
    so the caller can tell the user which ones need a target.
    """
    if indicator.kind != IndicatorKind.NUMERIC:
        return []
    thresholds = list(indicator.thresholds.all())
    changed, undecidable = [], []
    for record in indicator.records.select_related("unit").filter(value_number__isnull=False):
        threshold = applicable_threshold(thresholds, record.unit)
        if threshold is None:
            undecidable.append(record)
            continue
        is_met = indicator.passes(record.value_number, threshold.value)
        if is_met != record.is_met:
            record.is_met = is_met
            changed.append(record)
    AchievementRecord.objects.bulk_update(changed, ["is_met"])
    return undecidable
