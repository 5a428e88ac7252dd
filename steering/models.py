"""Acting on the figures: gap plans (kế hoạch khắc phục), recognition dossiers (hồ sơ đề nghị
công nhận), NTM works (công trình) and the reminders sent about them.

Whether an indicator or criterion is met is never stored here: pages ask `reports.engine`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit
from criteria.models import CriteriaSet, Criterion, Indicator, Recognition
from steering.querysets import DossierQuerySet, PlanItemQuerySet, WorkQuerySet


class OfficeKind(models.TextChoices):
    DISTRICT_OFFICE = "district_office", _("Phòng, ban cấp huyện")
    COMMUNE_BODY = "commune_body", _("Cơ quan, tổ chức cấp xã")


class Office(models.Model):
    """Cơ quan phụ trách: a district office or commune body that can own a task."""

    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=50, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=OfficeKind.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("thuộc đơn vị"),
        on_delete=models.PROTECT,
        related_name="offices",
        help_text=_("Huyện (với phòng, ban cấp huyện) hoặc xã (với cơ quan cấp xã)."),
    )
    email = models.EmailField(_("thư điện tử"), blank=True)

    class Meta:
        verbose_name = _("cơ quan phụ trách")
        verbose_name_plural = _("cơ quan phụ trách")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="office_name_unique_in_unit")]

    def __str__(self):
        return self.short_name or self.name


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")
    CANCELLED = "cancelled", _("Huỷ")


OPEN_PLAN_STATUSES = (PlanStatus.DRAFT, PlanStatus.IN_PROGRESS)


class PlanItem(models.Model):
    """Một nhiệm vụ trong kế hoạch khắc phục: an action to meet one indicator in one commune."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="plan_items"
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT, related_name="plan_items"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="plan_items"
    )
    action = models.TextField(_("nội dung thực hiện"), blank=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("cơ quan phụ trách"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_items",
    )
    person = models.CharField(_("người phụ trách"), max_length=200, blank=True)
    person_email = models.EmailField(_("thư điện tử người phụ trách"), blank=True)
    estimated_cost = models.DecimalField(
        _("kinh phí dự kiến (đồng)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    funding_source = models.CharField(_("nguồn vốn"), max_length=200, blank=True)
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    progress_note = models.TextField(_("tiến độ, ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("thời điểm cập nhật"), auto_now=True)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ kế hoạch")
        verbose_name_plural = _("nhiệm vụ kế hoạch")
        ordering = ["unit__code", "indicator__criterion__number", "indicator__order", "deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_cost__isnull=True) | Q(estimated_cost__gte=0), name="plan_cost_not_negative"
            ),
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values), name="plan_status_valid"),
        ]

    def __str__(self):
        return f"{self.unit.code} {self.indicator.code}: {self.action[:40]}"

    @property
    def is_open(self):
        return self.status in OPEN_PLAN_STATUSES

    def is_overdue(self, day):
        """Quá hạn: still open and its deadline is before `day`."""
        return self.is_open and self.deadline is not None and self.deadline < day


class DossierStatus(models.TextChoices):
    NOT_READY = "not_ready", _("Chưa đủ điều kiện")
    READY = "ready", _("Đủ điều kiện đề nghị")
    SUBMITTED = "submitted", _("Đã trình đề nghị")
    RECOGNISED = "recognised", _("Đã được công nhận")
    RETURNED = "returned", _("Bị trả lại")


class Dossier(models.Model):
    """Hồ sơ đề nghị công nhận: one unit's proposal for recognition against one set."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="dossiers"
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT, related_name="dossiers"
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=DossierStatus.choices, default=DossierStatus.NOT_READY
    )
    status_changed_at = models.DateTimeField(_("thời điểm đổi trạng thái"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đổi trạng thái"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_on = models.DateField(_("ngày trình"), null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    recognition = models.OneToOneField(
        Recognition,
        verbose_name=_("quyết định công nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossier",
    )
    note = models.TextField(_("ghi chú"), blank=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ đề nghị công nhận")
        verbose_name_plural = _("hồ sơ đề nghị công nhận")
        ordering = ["criteria_set", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "criteria_set"], name="dossier_unique_per_unit_and_set"),
            models.CheckConstraint(condition=Q(status__in=DossierStatus.values), name="dossier_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=DossierStatus.RECOGNISED) | Q(recognition__isnull=False),
                name="dossier_recognised_has_decision",
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.criteria_set.code}"


class DossierCondition(models.Model):
    """Điều kiện bổ sung: a further condition district staff require for a set's dossiers."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE, related_name="dossier_conditions"
    )
    text = models.CharField(_("nội dung điều kiện"), max_length=300)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("điều kiện hồ sơ")
        verbose_name_plural = _("điều kiện hồ sơ")
        ordering = ["criteria_set", "order", "pk"]

    def __str__(self):
        return self.text


class ConditionConfirmation(models.Model):
    """Who confirmed that a dossier meets one further condition, and when."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="confirmations")
    condition = models.ForeignKey(DossierCondition, on_delete=models.CASCADE, related_name="confirmations")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người xác nhận"), on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("thời điểm xác nhận"), auto_now_add=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("xác nhận điều kiện")
        verbose_name_plural = _("xác nhận điều kiện")
        constraints = [models.UniqueConstraint(fields=["dossier", "condition"], name="confirmation_once_per_condition")]

    def __str__(self):
        return f"{self.dossier} — {self.condition}"


class Work(models.Model):
    """Công trình nông thôn mới: an investment in a commune serving some criteria."""

    name = models.CharField(_("tên công trình"), max_length=300)
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="works"
    )
    criteria = models.ManyToManyField(Criterion, verbose_name=_("phục vụ tiêu chí"), blank=True, related_name="works")
    approved_capital = models.DecimalField(_("vốn được duyệt (đồng)"), max_digits=18, decimal_places=0)
    funding_sources = models.CharField(_("nguồn vốn"), max_length=300, blank=True)
    disbursed = models.DecimalField(_("đã giải ngân (đồng)"), max_digits=18, decimal_places=0, default=0)
    physical_progress = models.PositiveSmallIntegerField(_("khối lượng hoàn thành (%)"), default=0)
    start_date = models.DateField(_("ngày khởi công"))
    due_date = models.DateField(_("ngày hoàn thành theo kế hoạch"))
    office = models.ForeignKey(
        Office,
        verbose_name=_("cơ quan phụ trách"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="works",
    )
    person = models.CharField(_("người phụ trách"), max_length=200, blank=True)
    person_email = models.EmailField(_("thư điện tử người phụ trách"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = WorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("công trình")
        verbose_name_plural = _("công trình")
        ordering = ["due_date", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(approved_capital__gt=0), name="work_capital_positive"),
            models.CheckConstraint(
                condition=Q(disbursed__gte=0) & Q(disbursed__lte=F("approved_capital")),
                name="work_disbursed_within_capital",
            ),
            models.CheckConstraint(condition=Q(physical_progress__lte=100), name="work_progress_at_most_100"),
            models.CheckConstraint(condition=Q(due_date__gte=F("start_date")), name="work_due_after_start"),
        ]

    def __str__(self):
        return self.name

    def scheduled_progress(self, day):
        """The share of the planned duration elapsed on `day`, in percent (0 to 100)."""
        if day <= self.start_date:
            return 0
        if day >= self.due_date:
            return 100
        total = (self.due_date - self.start_date).days
        return round((day - self.start_date).days * 100 / total)

    def is_late(self, day):
        """Chậm tiến độ: past its due date unfinished, or behind the elapsed share of its schedule."""
        return self.physical_progress < 100 and self.physical_progress < self.scheduled_progress(day)
