"""Criteria sets (bộ tiêu chí), their criteria (tiêu chí), indicators (chỉ tiêu) and targets,
which units pursue which set, and recognitions (công nhận). Achievement records live in `records`.

A criterion is met when all its indicators are met; a standard when all its criteria are. The
arithmetic lives in `reports.engine`; this module only stores facts.
"""

import operator
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import AdministrativeUnit, Level
from criteria.bins import default_bins, parse_bins
from criteria.querysets import EnrolmentQuerySet, RecognitionQuerySet
from shared.formatting import vi_number


class SetLevel(models.TextChoices):
    COMMUNE = Level.COMMUNE.value, _("Cấp xã")
    DISTRICT = Level.DISTRICT.value, _("Cấp huyện")


class Tier(models.TextChoices):
    BASIC = "basic", _("Nông thôn mới")
    ADVANCED = "advanced", _("Nông thôn mới nâng cao")
    MODEL = "model", _("Nông thôn mới kiểu mẫu")


TIER_RANK = {Tier.BASIC: 0, Tier.ADVANCED: 1, Tier.MODEL: 2}


class Scope(models.TextChoices):
    NATIONAL = "national", _("Quốc gia")
    PROVINCIAL = "provincial", _("Cấp tỉnh")


class CriteriaSet(models.Model):
    """Bộ tiêu chí: a national or provincial set for communes or districts, for one period."""

    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    level = models.CharField(_("áp dụng cho"), max_length=16, choices=SetLevel.choices)
    tier = models.CharField(_("mức"), max_length=16, choices=Tier.choices)
    period_start = models.PositiveSmallIntegerField(_("giai đoạn từ năm"))
    period_end = models.PositiveSmallIntegerField(_("đến năm"))
    decision_number = models.CharField(_("số quyết định"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    scope = models.CharField(_("phạm vi"), max_length=16, choices=Scope.choices, default=Scope.NATIONAL)
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh ban hành"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="provincial_criteria_sets",
    )
    is_illustrative = models.BooleanField(
        _("minh hoạ"),
        default=False,
        help_text=_("Cấu trúc hoặc số chỉ tiêu chưa đối chiếu với văn bản chính thức."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    distribution_bins = models.CharField(
        _("nhóm số tiêu chí đạt"),
        max_length=200,
        blank=True,
        help_text=_(
            "Các nhóm báo cáo số xã theo số tiêu chí đạt, ví dụ “19; 15-18; 10-14; 5-9; 0-4”. "
            "Để trống: đủ tiêu chí, rồi từng nhóm 5 tiêu chí tính từ 0."
        ),
    )

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        # Spreadsheet import/export in the admin (IMPORT_EXPORT_*_PERMISSION_CODE).
        permissions = [
            ("import_criteriaset", _("Nhập bộ tiêu chí từ tệp")),
            ("export_criteriaset", _("Xuất bộ tiêu chí ra tệp")),
        ]
        ordering = ["level", "-period_start", "tier", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="set_period_ordered"),
            models.CheckConstraint(
                condition=Q(scope=Scope.NATIONAL, province__isnull=True)
                | Q(scope=Scope.PROVINCIAL, province__isnull=False),
                name="set_province_iff_provincial",
            ),
            models.CheckConstraint(
                condition=Q(level__in=SetLevel.values) & Q(tier__in=Tier.values),
                name="set_level_and_tier_valid",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def period(self):
        return f"{self.period_start}-{self.period_end}"

    @property
    def legal_basis(self):
        """'Quyết định 318/QĐ-TTg ngày 08/03/2022', or '' when unknown."""
        if not self.decision_number:
            return ""
        text = f"Quyết định {self.decision_number}"
        if self.decision_date:
            text += f" ngày {self.decision_date:%d/%m/%Y}"
        return text

    @property
    def report_order(self):
        """Commune sets before district sets; basic, advanced, model; newest period first."""
        return (self.level != SetLevel.COMMUNE, TIER_RANK[self.tier], -self.period_start, self.code)

    def clean(self):
        """Bins that do not parse, overlap or (once criteria are loaded) leave a count out are refused."""
        super().clean()
        total = self.criteria.count() if self.pk else None
        try:
            parse_bins(self.distribution_bins, total or None)
        except ValidationError as error:
            raise ValidationError({"distribution_bins": error.messages}) from None

    def bins_error(self, total):
        """Why the set's own bins do not fit `total` criteria ('' when they do or are blank)."""
        try:
            parse_bins(self.distribution_bins, total)
        except ValidationError as error:
            return error.messages[0]
        return ""

    def bins(self, total):
        """The bins counting units of this set with `total` criteria: its own, or the default when
        blank or no longer covering `total` (criteria changed after the bins were written)."""
        try:
            return parse_bins(self.distribution_bins, total)
        except ValidationError:
            return default_bins(total)

    @property
    def unit_noun(self):
        """What the committee calls the units pursuing this set: 'xã' or 'huyện'."""
        return "huyện" if self.level == SetLevel.DISTRICT else "xã"


class Criterion(models.Model):
    """Tiêu chí: met when every one of its indicators is met."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE, related_name="criteria"
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    name = models.CharField(_("tên"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    group = models.CharField(_("nhóm tiêu chí"), max_length=200, blank=True)
    source_status = models.CharField(
        _("độ tin cậy của nguồn"),
        max_length=100,
        blank=True,
        help_text=_("Ví dụ: published, recalled, illustrative."),
    )

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set", "number"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "number"], name="criterion_number_unique_in_set")
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """'13. Tổ chức sản xuất và phát triển kinh tế nông thôn': how charts, the brief and pages
        name a criterion (never a bare 'TC13')."""
        return f"{self.number}. {self.name}"


# An any-of value as a cell and a record keep it: the met items' codes, and "0" for none met.
ITEM_SEPARATOR = "; "
NONE_MET = "0"


class IndicatorKind(models.TextChoices):
    BOOLEAN = "boolean", _("Đạt / không đạt")
    NUMERIC = "numeric", _("Số liệu")
    # Met when at least `min_items` of its listed items are (e.g. criterion 7 of 2021-2025: a
    # standard market, or where there is none a mini-supermarket or store meeting the standard).
    ANY_OF = "any_of", _("Đạt khi đủ số mục")


class Comparator(models.TextChoices):
    GTE = ">=", "≥"
    GT = ">", ">"
    LTE = "<=", "≤"
    LT = "<", "<"
    EQ = "=", "="
    # A score band, e.g. criterion 3 ("4 tại chỗ") of 2021-2025: from 50 to under 70. The
    # threshold's value is the lower bound (reached), its `upper` the bound not reached.
    BAND = "[)", _("từ … đến dưới …")


_COMPARE = {
    Comparator.GTE: operator.ge,
    Comparator.GT: operator.gt,
    Comparator.LTE: operator.le,
    Comparator.LT: operator.lt,
    Comparator.EQ: operator.eq,
}


class Indicator(models.Model):
    """Chỉ tiêu: one measurable indicator within a criterion."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("tiêu chí"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("mã"), max_length=16, help_text=_("Ví dụ: 17.3"))
    name = models.CharField(
        _("tên"),
        max_length=500,
        blank=True,
        help_text=_("Để trống khi chưa có văn bản chính thức; chỉ tiêu sẽ hiển thị theo mã."),
    )
    kind = models.CharField(_("loại"), max_length=16, choices=IndicatorKind.choices, default=IndicatorKind.BOOLEAN)
    comparator = models.CharField(_("so sánh"), max_length=2, choices=Comparator.choices, blank=True)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=50, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    min_items = models.PositiveSmallIntegerField(
        _("số mục cần đạt"),
        null=True,
        blank=True,
        help_text=_("Chỉ với loại “Đạt khi đủ số mục”: đạt khi có ít nhất chừng này mục trong danh sách đạt."),
    )
    guidance = models.CharField(
        _("văn bản hướng dẫn"),
        max_length=300,
        blank=True,
        help_text=_("Văn bản hướng dẫn cách đánh giá chỉ tiêu, ví dụ: Quyết định 1680/QĐ-BNN-VPĐP."),
    )

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["criterion__criteria_set", "criterion__number", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "code"], name="indicator_code_unique_in_criterion"),
            models.CheckConstraint(
                condition=Q(kind=IndicatorKind.BOOLEAN, comparator="", min_items__isnull=True)
                | Q(kind=IndicatorKind.NUMERIC, comparator__in=Comparator.values, min_items__isnull=True)
                | Q(kind=IndicatorKind.ANY_OF, comparator="", min_items__gte=1),
                name="indicator_comparator_iff_numeric",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """The one way an indicator is named on every page, chart, brief and export: its official
        name; while that is not loaded (empty, or only the code), the code with its criterion's
        name, '17.7 (Môi trường và an toàn thực phẩm)', since no indicator name is ever made up.
        Reads `criterion`: querysets that list indicators select it."""
        if self.has_official_name:
            return self.name.strip()
        return f"{self.code} ({self.criterion.name})"

    @property
    def has_official_name(self):
        name = self.name.strip()
        return bool(name) and name != self.code

    def passes(self, value, threshold):
        """Whether a numeric value meets `threshold` (a Threshold) under this indicator's comparator."""
        value = Decimal(value)
        if self.comparator == Comparator.BAND:
            return threshold.value <= value < threshold.upper
        return _COMPARE[self.comparator](value, threshold.value)

    def any_of_value(self, raw):
        """(codes, count) of a typed list of met items: "a; c" (or "a, c"), "0" for none met."""
        typed = str(raw if raw is not None else "").strip()
        if typed == NONE_MET:
            return NONE_MET, 0
        items = self.items_met(re.split(r"[;,]", typed))
        if not items:
            raise ValidationError(
                _("Chỉ tiêu %(code)s: ghi mã các mục đạt, cách nhau bởi dấu chấm phẩy, hoặc 0 nếu không mục nào đạt.")
                % {"code": self.code}
            )
        return ITEM_SEPARATOR.join(item.code for item in items), len(items)

    @property
    def items_rule_text(self):
        """An any-of indicator's rule in words: 'ít nhất 1 mục đạt'."""
        return _("ít nhất %(n)d mục đạt") % {"n": self.min_items or 0}

    def items_met(self, codes):
        """The listed items among `codes` (an iterable of item codes), in the list's order;
        ValidationError naming any code the list does not have."""
        listed = {item.code: item for item in self.items.all()}
        wanted = {code.strip() for code in codes if code.strip()}
        unknown = sorted(wanted - set(listed))
        if unknown:
            raise ValidationError(
                _("Chỉ tiêu %(code)s không có mục %(items)s (các mục: %(listed)s).")
                % {"code": self.code, "items": ", ".join(unknown), "listed": ", ".join(listed) or "—"}
            )
        return [item for item in listed.values() if item.code in wanted]

    def decides_with(self, threshold):
        """Whether `threshold` is enough to judge a value: a band needs both of its bounds."""
        return threshold is not None and (self.comparator != Comparator.BAND or threshold.upper is not None)


def prefetch_items(indicators):
    """Load the listed items of the any-of ones among `indicators` (one query, none without any)."""
    any_of = [i for i in indicators if i.kind == IndicatorKind.ANY_OF]
    if any_of:
        models.prefetch_related_objects(any_of, "items")
    return indicators


class IndicatorItem(models.Model):
    """Mục: one listed item of an any-of indicator (met when at least `min_items` of them are)."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("mã mục"), max_length=16)
    name = models.CharField(_("tên mục"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("mục của chỉ tiêu")
        verbose_name_plural = _("mục của chỉ tiêu")
        ordering = ["indicator", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["indicator", "code"], name="indicator_item_code_unique")]

    def __str__(self):
        return f"{self.code}. {self.name}" if self.name else self.code


def indicators_display(indicators):
    """Several indicators in one phrase, by the rule of `Indicator.display_name`, without saying a
    criterion's name once per indicator: '13.2 (Tổ chức sản xuất…), 17.4, 17.7 (Môi trường và an
    toàn thực phẩm)'. Unnamed indicators of one criterion that follow each other share its name."""
    parts, codes, criterion = [], [], None
    for indicator in [*indicators, None]:
        if codes and (indicator is None or indicator.has_official_name or indicator.criterion_id != criterion.pk):
            parts.append(f"{', '.join(codes)} ({criterion.name})")
            codes = []
        if indicator is None:
            break
        if indicator.has_official_name:
            parts.append(indicator.display_name)
        else:
            codes.append(indicator.code)
            criterion = indicator.criterion
    return ", ".join(parts)


class Threshold(models.Model):
    """Mức đạt: the pass value of a numeric indicator, for all units or one region / commune group.

    The most specific row applies: region and group, then region, then group, then the default.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="thresholds"
    )
    region = models.CharField(
        _("vùng"), max_length=8, blank=True, choices=AdministrativeUnit._meta.get_field("region").choices
    )
    commune_group = models.PositiveSmallIntegerField(
        _("nhóm xã"), null=True, blank=True, choices=[(1, _("Nhóm 1")), (2, _("Nhóm 2")), (3, _("Nhóm 3"))]
    )
    value = models.DecimalField(_("mức đạt"), max_digits=14, decimal_places=4)
    upper = models.DecimalField(
        _("đến dưới"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Chỉ với phép so sánh “từ … đến dưới …”: giá trị đạt khi nhỏ hơn mức này."),
    )

    class Meta:
        verbose_name = _("mức đạt")
        verbose_name_plural = _("mức đạt")
        constraints = [
            # Two partial constraints, because NULL never equals NULL in a plain unique index.
            models.UniqueConstraint(
                fields=["indicator", "region"],
                condition=Q(commune_group__isnull=True),
                name="threshold_unique_without_group",
            ),
            models.UniqueConstraint(
                fields=["indicator", "region", "commune_group"],
                condition=Q(commune_group__isnull=False),
                name="threshold_unique_with_group",
            ),
            models.CheckConstraint(
                condition=Q(commune_group__isnull=True) | Q(commune_group__in=[1, 2, 3]),
                name="threshold_commune_group_1_to_3",
            ),
            models.CheckConstraint(
                condition=Q(upper__isnull=True) | Q(upper__gt=F("value")), name="threshold_upper_above_value"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.rule_text}"

    def clean(self):
        """A band needs its upper bound, and only a band has one (the admin's forms ask this)."""
        band = self.indicator_id is not None and self.indicator.comparator == Comparator.BAND
        if band and self.upper is None:
            raise ValidationError({"upper": _("Mức đạt dạng khoảng cần cận trên (“Đến dưới”).")})
        if not band and self.upper is not None:
            raise ValidationError({"upper": _("Chỉ ghi “Đến dưới” cho chỉ tiêu so sánh dạng khoảng “[)”.")})
        if band and self.value is not None and self.upper <= self.value:
            raise ValidationError({"upper": _("Cận trên phải lớn hơn mức đạt (cận dưới).")})

    @property
    def rule_text(self):
        """'≥ 95', '≤ 3', 'từ 50 đến dưới 70': the target as every page and export writes it."""
        comparator = self.indicator.comparator
        if comparator == Comparator.BAND:
            upper = vi_number(self.upper, max_decimals=4) if self.upper is not None else "?"
            return _("từ %(low)s đến dưới %(high)s") % {"low": vi_number(self.value, max_decimals=4), "high": upper}
        return f"{self.indicator.get_comparator_display()} {vi_number(self.value, max_decimals=4)}"

    def applies_to(self, unit, commune_group=None):
        """Whether this target is the unit's: its region, and its commune group in the set's period
        (`commune_group`, from the enrolment) or else the unit's own group."""
        group = commune_group if commune_group is not None else unit.commune_group
        return (not self.region or self.region == unit.target_region) and (
            self.commune_group is None or self.commune_group == group
        )

    @property
    def specificity(self):
        return (2 if self.region else 0) + (1 if self.commune_group is not None else 0)


class CommuneGroup(models.Model):
    """Nhóm xã: a group of communes with its own targets in a set (1, 2, 3 in QĐ 51/2025/QĐ-TTg),
    with the definition as the decision words it. Which group a commune is in is not kept here."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE, related_name="commune_groups"
    )
    number = models.PositiveSmallIntegerField(_("nhóm"), choices=Threshold._meta.get_field("commune_group").choices)
    definition = models.TextField(_("định nghĩa"))
    source = models.CharField(_("nguồn"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("nhóm xã")
        verbose_name_plural = _("nhóm xã")
        ordering = ["criteria_set", "number"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "number"], name="commune_group_unique_in_set"),
            models.CheckConstraint(condition=Q(number__in=[1, 2, 3]), name="commune_group_number_1_to_3"),
        ]

    def __str__(self):
        return f"{self.get_number_display()} — {self.criteria_set.name}"


def applicable_threshold(thresholds, unit, commune_group=None):
    """The most specific of `thresholds` that applies to `unit` (in `commune_group` for the set's
    period when the enrolment names one), or None."""
    candidates = [t for t in thresholds if t.applies_to(unit, commune_group)]
    return max(candidates, key=lambda t: t.specificity, default=None)


# Default of the `commune_group` arguments of the record judge and the engine's unit detail: ask the
# enrolment, and only when a target depends on the group. None means "the unit's own group".
ASK_ENROLMENT = object()


def needs_commune_group(thresholds):
    """Whether any of `thresholds` depends on the commune group (only then is the enrolment asked)."""
    return any(t.commune_group is not None for t in thresholds)


class Enrolment(models.Model):
    """A unit pursues (đăng ký thực hiện) a criteria set, aiming to meet it by a target year."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="enrolments"
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT, related_name="enrolments"
    )
    target_year = models.PositiveSmallIntegerField(_("năm phấn đấu đạt chuẩn"), null=True, blank=True)
    # A commune's group can change with re-zoning, so it belongs to the commune per period: here,
    # per set (whose period it is). Blank: the unit's own group applies.
    commune_group = models.PositiveSmallIntegerField(
        _("nhóm xã trong giai đoạn"),
        null=True,
        blank=True,
        choices=Threshold._meta.get_field("commune_group").choices,
        help_text=_("Nhóm xã của đơn vị trong giai đoạn của bộ tiêu chí; để trống thì dùng nhóm xã của đơn vị."),
    )
    # Where the group comes from (a decision, or "minh hoạ" in the demo): groups choose targets.
    note = models.TextField(_("ghi chú"), blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("đăng ký thực hiện")
        verbose_name_plural = _("đăng ký thực hiện")
        ordering = ["criteria_set", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "criteria_set"], name="enrolment_unique"),
            models.CheckConstraint(
                condition=Q(commune_group__isnull=True) | Q(commune_group__in=[1, 2, 3]),
                name="enrolment_commune_group_1_to_3",
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.criteria_set.name}"


class Recognition(models.Model):
    """Công nhận đạt chuẩn: the decision that a unit meets a set; it can later be revoked."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="recognitions"
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT, related_name="recognitions"
    )
    decision_number = models.CharField(_("số quyết định"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày quyết định"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    revoked_on = models.DateField(_("ngày thu hồi"), null=True, blank=True)
    revocation_reason = models.TextField(_("lý do thu hồi"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = RecognitionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("công nhận đạt chuẩn")
        verbose_name_plural = _("công nhận đạt chuẩn")
        ordering = ["-decision_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=F("decision_date")),
                name="recognition_revoked_after_decision",
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.criteria_set.code} ({self.decision_date:%d/%m/%Y})"

    def is_in_force_on(self, day):
        """`RecognitionQuerySet.in_force_on` for a recognition already read."""
        return self.decision_date <= day and (self.revoked_on is None or self.revoked_on > day)
