"""Achievement records (kết quả thực hiện), reporting rounds (đợt báo cáo) and evidence (minh chứng).

Rows here are written only by `records.services` (see docs/workflow.md). The tables keep the names
they had when these models lived in `criteria` (migration records/0001 moved them without SQL).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import AdministrativeUnit
from criteria.models import NONE_MET, CriteriaSet, Indicator
from records.evidence import EvidenceStorage, evidence_path
from records.querysets import IntervalQuerySet, RecordQuerySet, RoundQuerySet
from shared.formatting import vi_number


def value_display(record):
    """'Đạt', 'Không đạt', '95,5', or an any-of indicator's '2 mục: a; c' — as pages show a record's
    (or a historical version's) value."""
    if record.value_bool is not None:
        return gettext("Đạt") if record.value_bool else gettext("Không đạt")
    if record.value_items == NONE_MET:
        return gettext("Không mục nào đạt")
    if record.value_items:
        return gettext("%(n)s mục: %(items)s") % {
            "n": vi_number(record.value_number, max_decimals=0),
            "items": record.value_items,
        }
    if record.value_number is None:
        return "—"
    return vi_number(record.value_number, max_decimals=4)


class ReportingRound(models.Model):
    """Đợt báo cáo: communes under `unit` report their indicators as of one date, by a deadline.

    While a round is closed nobody enters, submits or verifies its records; district staff reopen it.
    """

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị tổ chức"),
        on_delete=models.PROTECT,
        related_name="reporting_rounds",
        help_text=_("Huyện (hoặc tỉnh) tổ chức đợt báo cáo; áp dụng cho các xã trực thuộc."),
    )
    name = models.CharField(_("tên đợt"), max_length=200)
    as_of = models.DateField(_("số liệu tính đến ngày"))
    deadline = models.DateField(_("hạn nộp"))
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đóng"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RoundQuerySet.as_manager()
    history = HistoricalRecords(table_name="criteria_historicalreportinground")

    class Meta:
        db_table = "criteria_reportinground"
        verbose_name = _("đợt báo cáo")
        verbose_name_plural = _("đợt báo cáo")
        ordering = ["-as_of", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["unit", "as_of"], name="round_unique_per_unit_and_date")]

    def __str__(self):
        return f"{self.name} ({self.as_of:%d/%m/%Y})"

    @property
    def is_open(self):
        return self.closed_at is None

    def is_overdue(self, day):
        """Quá hạn: still open after its deadline (hạn nộp), on `day`."""
        return self.is_open and self.deadline < day

    @property
    def overdue(self):
        """Quá hạn today (the server's local date), as the round list and entry pages mark it."""
        return self.is_overdue(timezone.localdate())


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
    VERIFIED = "verified", _("Đã duyệt")
    RETURNED = "returned", _("Bị trả lại")


# A record still being worked on: at most one per unit, indicator and date, beside the verified one.
PENDING_STATUSES = [RecordStatus.DRAFT, RecordStatus.SUBMITTED, RecordStatus.RETURNED]


class AchievementRecord(models.Model):
    """Kết quả thực hiện: one unit's status on one indicator as of one date.

    Per unit, indicator and date there is at most one verified record (the one reports count) and
    at most one pending record (draft, submitted or returned): a commune's correction never touches
    the counted value until the district verifies it. See docs/workflow.md.
    """

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="records"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="records"
    )
    as_of = models.DateField(_("tính đến ngày"))
    reporting_round = models.ForeignKey(
        ReportingRound,
        verbose_name=_("đợt báo cáo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        help_text=_("Để trống với số liệu nhập ngoài đợt báo cáo (nhập từ tệp, số liệu cũ)."),
    )
    status = models.CharField(_("trạng thái"), max_length=16, choices=RecordStatus.choices, default=RecordStatus.DRAFT)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    value_bool = models.BooleanField(_("đạt (có/không)"), null=True, blank=True)
    value_number = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=4, null=True, blank=True)
    # An any-of indicator's value: the codes of its items met, "; "-separated in the list's order,
    # or "0" for none (value_number holds how many); blank for every other kind.
    value_items = models.CharField(_("các mục đạt"), max_length=500, blank=True, default="")
    is_met = models.BooleanField(_("đạt"), editable=False)
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("thời điểm cập nhật"), auto_now=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("thời điểm duyệt"), null=True, blank=True)
    # Optimistic locking: every write through the services adds one; a form posts the version it
    # showed, and a save based on an older version is refused instead of overwriting.
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)

    objects = RecordQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["recorded_at"], table_name="criteria_historicalachievementrecord")

    class Meta:
        db_table = "criteria_achievementrecord"
        verbose_name = _("kết quả chỉ tiêu")
        verbose_name_plural = _("kết quả chỉ tiêu")
        # Spreadsheet export in the admin (IMPORT_EXPORT_EXPORT_PERMISSION_CODE).
        permissions = [("export_achievementrecord", _("Xuất kết quả chỉ tiêu ra tệp"))]
        ordering = ["unit__code", "indicator__criterion__number", "indicator__order", "-as_of"]
        indexes = [
            models.Index(fields=["unit", "indicator", "as_of"], name="record_unit_indicator_date"),
            # The nation's report dates: one probe per date (RecordQuerySet.every_report_date).
            models.Index(fields=["as_of", "status"], name="record_date_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "indicator", "as_of"],
                condition=Q(status="verified"),
                name="record_one_verified_per_date",
            ),
            models.UniqueConstraint(
                fields=["unit", "indicator", "as_of"],
                condition=~Q(status="verified"),
                name="record_one_pending_per_date",
            ),
            models.CheckConstraint(condition=Q(status__in=RecordStatus.values), name="record_status_valid"),
            models.CheckConstraint(
                condition=Q(value_bool__isnull=False, value_number__isnull=True)
                | Q(value_bool__isnull=True, value_number__isnull=False),
                name="record_exactly_one_value",
            ),
            # A yes/no record is met exactly when its value is yes.
            models.CheckConstraint(
                condition=Q(value_bool__isnull=True) | Q(is_met=F("value_bool")),
                name="record_boolean_met_matches_value",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="record_returned_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.unit.code} {self.indicator.code} @ {self.as_of:%d/%m/%Y}"

    @property
    def value(self):
        return self.value_bool if self.value_number is None else self.value_number

    @property
    def value_display(self):
        return value_display(self)

    @property
    def is_pending(self):
        return self.status != RecordStatus.VERIFIED


class Evidence(models.Model):
    """Minh chứng: a file backing a record. Stored outside MEDIA and served only by a view that
    checks the reader may see the record's unit."""

    record = models.ForeignKey(
        AchievementRecord, verbose_name=_("kết quả"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("tệp"), storage=EvidenceStorage(), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)

    history = HistoricalRecords(table_name="criteria_historicalevidence")

    class Meta:
        db_table = "criteria_evidence"
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class StatusInterval(models.Model):
    """A unit's verified status on one indicator over a span of dates: met (or not) from
    `valid_from` until `valid_to` (exclusive; empty while still in force).

    Derived from the verified records alone, by database triggers (`records.intervals`): per unit
    and indicator, records sorted by date, consecutive records with the same is_met merged into one
    interval. So "the latest verified record on or before D" is the one interval in force on D,
    and a national summary reads one row per unit and indicator instead of every record ever
    written. Never written by code; no history of its own (the records keep it).
    """

    # No foreign-key constraints: the records the rows derive from already hold them, and the
    # table is rebuilt from the records at will (`rebuild_status_intervals`). No index of their
    # own: the unique constraint's index leads with the unit.
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("chỉ tiêu"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến trước ngày"), null=True, blank=True)
    is_met = models.BooleanField(_("đạt"))

    objects = IntervalQuerySet.as_manager()

    class Meta:
        verbose_name = _("giai đoạn trạng thái chỉ tiêu")
        verbose_name_plural = _("giai đoạn trạng thái chỉ tiêu")
        constraints = [
            # Its index serves a subtree's reads (unit_id IN the listed units). No index on the
            # dates: nationally 85% of the rows are in force on the latest date, and PostgreSQL
            # reads the table sequentially (a partial index on the rows in force went unused).
            models.UniqueConstraint(fields=["unit", "indicator", "valid_from"], name="interval_one_per_start"),
        ]

    def __str__(self):
        return f"{self.unit_id}/{self.indicator_id} {self.valid_from}–{self.valid_to or ''}: {self.is_met}"


class SetStanding(models.Model):
    """A unit's figures on one criteria set over a span of dates, from its status intervals:
    indicators recorded and met, criteria met, and which indicators are not met or have no record
    (comma-separated ids), from `valid_from` until `valid_to` (exclusive; empty while in force).

    Kept by database triggers from the intervals (`records.standings`), so a country's figures
    on a date are one row per unit and set. Never written by code.
    """

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("bộ tiêu chí"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến trước ngày"), null=True, blank=True)
    indicators_recorded = models.PositiveIntegerField(_("chỉ tiêu có kết quả"))
    indicators_met = models.PositiveIntegerField(_("chỉ tiêu đạt"))
    criteria_met = models.PositiveIntegerField(_("tiêu chí đạt"))
    unmet = models.TextField(_("chỉ tiêu chưa đạt"), blank=True)
    missing = models.TextField(_("chỉ tiêu chưa có kết quả"), blank=True)

    objects = IntervalQuerySet.as_manager()

    class Meta:
        verbose_name = _("giai đoạn kết quả bộ tiêu chí")
        verbose_name_plural = _("giai đoạn kết quả bộ tiêu chí")
        constraints = [
            # Leads with the unit, as the intervals': a subtree's reads list its units.
            models.UniqueConstraint(fields=["unit", "criteria_set", "valid_from"], name="standing_one_per_start"),
        ]

    def __str__(self):
        return f"{self.unit_id}/{self.criteria_set_id} {self.valid_from}–{self.valid_to or ''}"
