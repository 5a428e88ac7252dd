"""How a province writes its report figures: the rule its averages are shown by and its own
"cơ bản đạt chuẩn" threshold per set. Settings belong to a province (or to the national root, as
the default of every province); a report uses those of its unit's province, else the national
root's, else the deployment's (NTM_AVERAGE_MODE). The engine reads them (`reports.engine.sql`).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit, Level
from criteria.models import CriteriaSet


class AverageRule(models.TextChoices):
    """How an average is written: 143/8 = 17,875 shows 17,87 / 17,88 / 17,9 / 18."""

    TRUNCATE_2 = "truncate2", _("Hai chữ số thập phân, bỏ phần sau (17,87)")
    ROUND_2 = "round2", _("Hai chữ số thập phân, làm tròn (17,88)")
    ONE_DECIMAL = "one_decimal", _("Một chữ số thập phân, làm tròn (17,9)")
    WHOLE = "whole", _("Số nguyên, làm tròn (18)")


SETTINGS_LEVELS = (Level.PROVINCE, Level.NATIONAL)


class ReportSettingsQuerySet(models.QuerySet):
    def for_report_of(self, unit):
        """The settings of `unit` and its ancestors, nearest first: a report of `unit` writes
        each figure by the nearest that sets it (its province, else the national root)."""
        return self.filter(unit__in=unit.lineage_ids).order_by(Length("unit__path").desc())


class BasicStandardThresholdQuerySet(models.QuerySet):
    def for_report_of(self, unit):
        """The thresholds set by `unit` and its ancestors, nearest first (as `ReportSettings`)."""
        return self.filter(settings__unit__in=unit.lineage_ids).order_by(Length("settings__unit__path").desc())


class ReportSettings(models.Model):
    """Cách tỉnh viết số liệu báo cáo: one province's (or the national default's) report settings."""

    unit = models.OneToOneField(
        AdministrativeUnit,
        verbose_name=_("tỉnh"),
        on_delete=models.CASCADE,
        related_name="report_settings",
    )
    average_rule = models.CharField(
        _("cách viết số bình quân"),
        max_length=16,
        choices=AverageRule.choices,
        blank=True,
        help_text=_("Để trống: theo cấu hình chung của hệ thống."),
    )
    is_illustrative = models.BooleanField(
        _("minh hoạ"),
        default=False,
        help_text=_("Ngưỡng nhập để minh hoạ, không phải ngưỡng tỉnh đã ban hành."),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = ReportSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("cách viết báo cáo của tỉnh")
        verbose_name_plural = _("cách viết báo cáo của tỉnh")

    def __str__(self):
        return str(self.unit)

    def clean(self):
        super().clean()
        if self.unit_id and self.unit.level not in SETTINGS_LEVELS:
            raise ValidationError({"unit": _("Chỉ tỉnh (hoặc cấp toàn quốc) có cách viết báo cáo riêng.")})


class BasicStandardThreshold(models.Model):
    """Ngưỡng "cơ bản đạt chuẩn": a unit meeting at least `min_criteria` criteria of the set (and
    not all) basically meets the standard, in this province's reports. The province's own rule:
    no row, no such status in its reports."""

    settings = models.ForeignKey(
        ReportSettings, verbose_name=_("cách viết báo cáo"), on_delete=models.CASCADE, related_name="basic_thresholds"
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE, related_name="basic_thresholds"
    )
    min_criteria = models.PositiveSmallIntegerField(_("số tiêu chí đạt tối thiểu"))

    objects = BasicStandardThresholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("ngưỡng cơ bản đạt chuẩn")
        verbose_name_plural = _("ngưỡng cơ bản đạt chuẩn")
        constraints = [
            models.UniqueConstraint(fields=["settings", "criteria_set"], name="basic_threshold_once_per_set"),
            models.CheckConstraint(condition=models.Q(min_criteria__gte=1), name="basic_threshold_positive"),
        ]

    def __str__(self):
        return f"{self.criteria_set}: {self.min_criteria}"
