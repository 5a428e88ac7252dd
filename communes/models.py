"""Administrative units (đơn vị hành chính) in one tree, with their history.

Province > district > commune-level unit before 1/7/2025; province > commune after the two-tier
reform. A deployment that reports nationally keeps one national root (`Kind.COUNTRY`) above the
provinces. Units are never deleted once records point at them: a merged or abolished unit gets a
`valid_to` date and successor links, so reports for past dates still see it.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Cast, StrIndex, Substr
from django.utils.translation import gettext_lazy as _

# Unit codes go into URLs (/don-vi/CODE/): a `/` or a space in one broke every page listing it.
# The same alphabet as Django's <slug:> path converter.
unit_code_validator = RegexValidator(
    r"^[-a-zA-Z0-9_]+\Z",
    _("Mã đơn vị chỉ gồm chữ cái không dấu, chữ số, dấu gạch ngang và gạch dưới (ví dụ: xa-quang-tan)."),
    code="invalid_unit_code",
)
# Mã đơn vị hành chính (the national list of the statistics office): digits only, kept as text so
# the leading zero of 06913 stays.
official_code_validator = RegexValidator(
    r"^[0-9]+\Z",
    _("Mã ĐVHC chỉ gồm chữ số (ví dụ: 06913)."),
    code="invalid_official_code",
)


class Level(models.TextChoices):
    NATIONAL = "national", _("Toàn quốc")
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class Kind(models.TextChoices):
    COUNTRY = "quoc_gia", _("Quốc gia")
    PROVINCE = "tinh", _("Tỉnh")
    CITY = "thanh_pho_tw", _("Thành phố trực thuộc trung ương")
    DISTRICT = "huyen", _("Huyện")
    DISTRICT_TOWN = "thi_xa", _("Thị xã")
    PROVINCIAL_CITY = "thanh_pho", _("Thành phố thuộc tỉnh")
    URBAN_DISTRICT = "quan", _("Quận")
    COMMUNE = "xa", _("Xã")
    WARD = "phuong", _("Phường")
    TOWNSHIP = "thi_tran", _("Thị trấn")
    SPECIAL_ZONE = "dac_khu", _("Đặc khu")


# Labels by kind, for display_name (get_kind_display rebuilds this dict on every call).
KIND_LABELS = dict(Kind.choices)

KIND_LEVEL = {
    Kind.COUNTRY: Level.NATIONAL,
    Kind.PROVINCE: Level.PROVINCE,
    Kind.CITY: Level.PROVINCE,
    Kind.DISTRICT: Level.DISTRICT,
    Kind.DISTRICT_TOWN: Level.DISTRICT,
    Kind.PROVINCIAL_CITY: Level.DISTRICT,
    Kind.URBAN_DISTRICT: Level.DISTRICT,
    Kind.COMMUNE: Level.COMMUNE,
    Kind.WARD: Level.COMMUNE,
    Kind.TOWNSHIP: Level.COMMUNE,
    Kind.SPECIAL_ZONE: Level.COMMUNE,
}


def kinds_at(level):
    return [kind for kind, kind_level in KIND_LEVEL.items() if kind_level == level]


class Region(models.TextChoices):
    """The 7 regions whose targets differ in the 2021-2025 sets (QĐ 318/QĐ-TTg)."""

    NORTHERN_MOUNTAINS = "tdmnpb", _("Trung du và miền núi phía Bắc")
    RED_RIVER_DELTA = "dbsh", _("Đồng bằng sông Hồng")
    NORTH_CENTRAL = "btb", _("Bắc Trung Bộ")
    SOUTH_CENTRAL_COAST = "dhntb", _("Duyên hải Nam Trung Bộ")
    CENTRAL_HIGHLANDS = "tn", _("Tây Nguyên")
    SOUTHEAST = "dnb", _("Đông Nam Bộ")
    MEKONG_DELTA = "dbscl", _("Đồng bằng sông Cửu Long")


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Units that exist on `day`: created on or before it and not yet merged or abolished."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )

    def within(self, unit, include_self=True):
        """The unit's subtree: the unit (unless `include_self` is false) and every unit whose
        stored path of ancestors starts with the unit's own.

        A prefix match on `path` (LIKE 'path%' on an index with pattern operators on PostgreSQL)
        is estimated from the column's histogram: 11 rows for a district of 11 units. The nested
        `parent IN (children)` form it replaces was estimated at about 8,300 of 11,001 units
        whatever the subtree, so every page's record queries scanned the whole country
        (README, "Scale and benchmark").
        """
        q = Q(path__startswith=unit.subtree_path)
        if include_self:
            q |= Q(pk=unit.pk)
        return self.filter(q)

    def at_level(self, level):
        """Units of one level (province, district or commune)."""
        return self.filter(kind__in=kinds_at(level))

    def top_level(self):
        """Units with no parent: provinces, or whatever root a deployment keeps."""
        return self.filter(parent__isnull=True)


def child_under(unit, field="unit"):
    """An expression: the id of the unit one level below `unit` that the row's `field` (a
    foreign key to a unit in `unit`'s subtree) sits under, or `unit`'s own id for `unit` itself.
    Read from the stored path (the segment after `unit.subtree_path`), so rows of a whole
    country group by province in one query: the per-child steering pages count with it."""
    prefix = unit.subtree_path
    path = f"{field}__path"
    rest = Substr(path, len(prefix) + 1)
    return Case(
        When(**{f"{field}_id": unit.pk}, then=Value(unit.pk)),
        When(**{path: prefix}, then=F(f"{field}_id")),
        default=Cast(Substr(rest, 1, StrIndex(rest, Value("/")) - 1), IntegerField()),
        output_field=IntegerField(),
    )


class TreePathField(models.CharField):
    """The ids of a unit's ancestors, root first, each followed by '/' ('' for a root; '1/2/' for a
    commune of district 2 in province 1). Set from the parent whenever the row is written, by
    save() as by bulk_create (like auto_now): every writer of units keeps it. A unit moved to
    another parent carries its subtree along through communes.services.unit_save."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, value in (("max_length", 255), ("editable", False), ("blank", True), ("default", "")):
            if kwargs.get(key) == value:
                del kwargs[key]
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        parent = model_instance.parent if model_instance.parent_id is not None else None
        value = parent.subtree_path if parent is not None else ""
        setattr(model_instance, self.attname, value)
        return value


class AdministrativeUnit(models.Model):
    """Đơn vị hành chính: a province, a district or a commune-level unit."""

    code = models.CharField(_("mã"), max_length=32, unique=True, validators=[unit_code_validator])
    # Unique when set: units loaded before official codes were kept (the demo's) have none.
    official_code = models.CharField(
        _("mã ĐVHC"), max_length=8, null=True, blank=True, unique=True, validators=[official_code_validator]
    )
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(
        _("hết hiệu lực từ"),
        null=True,
        blank=True,
        help_text=_("Ngày đơn vị bị sáp nhập hoặc giải thể; để trống nếu còn hiệu lực."),
    )
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        through="UnitSuccession",
        through_fields=("predecessor", "successor"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
    )
    region = models.CharField(
        _("vùng"),
        max_length=8,
        choices=Region.choices,
        blank=True,
        help_text=_("Vùng dùng để chọn mức chỉ tiêu của bộ tiêu chí 2021-2025."),
    )
    commune_group = models.PositiveSmallIntegerField(
        _("nhóm xã"),
        null=True,
        blank=True,
        choices=[(1, _("Nhóm 1")), (2, _("Nhóm 2")), (3, _("Nhóm 3"))],
        help_text=_("Nhóm xã dùng để chọn mức chỉ tiêu của bộ tiêu chí 2026-2030."),
    )
    is_disadvantaged = models.BooleanField(
        _("xã đặc biệt khó khăn / an toàn khu"),
        default=False,
        help_text=_("Áp dụng mức chỉ tiêu của vùng Trung du và miền núi phía Bắc."),
    )
    path = TreePathField(_("đường dẫn cây"))

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        # Spreadsheet import/export in the admin (IMPORT_EXPORT_*_PERMISSION_CODE).
        permissions = [
            ("import_administrativeunit", _("Nhập đơn vị hành chính từ tệp")),
            ("export_administrativeunit", _("Xuất đơn vị hành chính ra tệp")),
        ]
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="unit_valid_to_after_valid_from",
            ),
            models.CheckConstraint(
                condition=Q(commune_group__isnull=True) | Q(commune_group__in=[1, 2, 3]),
                name="unit_commune_group_1_to_3",
            ),
            models.CheckConstraint(condition=Q(kind__in=[c.value for c in Kind]), name="unit_kind_valid"),
        ]
        indexes = [
            # within(): LIKE 'prefix%' uses a b-tree only with pattern operators under a
            # non-C collation (PostgreSQL); other databases ignore opclasses.
            models.Index(fields=["path"], name="unit_path_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.display_name

    def clean(self):
        """Refuse a parent that is the unit itself or lies below it: the tree must stay a tree."""
        super().clean()
        if self.pk is None or self.parent_id is None:
            return
        seen = set()
        ancestor_id = self.parent_id
        while ancestor_id is not None and ancestor_id not in seen:
            if ancestor_id == self.pk:
                raise ValidationError(
                    {"parent": _("Đơn vị cấp trên không được là chính đơn vị này hoặc một đơn vị trực thuộc nó.")}
                )
            seen.add(ancestor_id)
            ancestor_id = AdministrativeUnit.objects.filter(pk=ancestor_id).values_list("parent_id", flat=True).first()

    @property
    def lineage_ids(self):
        """Ids of the unit's ancestors, root first, then its own: read from its path, no query."""
        return [int(pk) for pk in self.path.split("/") if pk] + [self.pk]

    @property
    def subtree_path(self):
        """The path every unit below this one starts with: '1/2/' for district 2 of province 1."""
        return f"{self.path}{self.pk}/"

    @property
    def level(self):
        return KIND_LEVEL[self.kind]

    def _kind_label(self):
        # As get_kind_display(), without rebuilding the choices dict on every call (it made
        # display_name cost half a millisecond: seconds on a page listing hundreds of units).
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def display_name(self):
        """'Xã Quảng Tân', 'Huyện Đầm Hà'."""
        return f"{self._kind_label()} {self.name}"

    @property
    def name_in_sentence(self):
        """'xã Quảng Tân', as written inside a sentence."""
        return f"{self._kind_label().lower()} {self.name}"

    @property
    def target_region(self):
        """The region whose targets apply: disadvantaged communes use the northern mountains'."""
        if self.is_disadvantaged:
            return Region.NORTHERN_MOUNTAINS
        return self.region

    def is_valid_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to > day)


class Share(models.TextChoices):
    """How much of the old unit went into the new one."""

    WHOLE = "whole", _("Toàn bộ")
    PART = "part", _("Một phần")


class SuccessionQuerySet(models.QuerySet):
    def touching(self, units):
        """Links whose old or new unit is among `units` (a queryset of pks), both units loaded."""
        return self.filter(Q(predecessor__in=units) | Q(successor__in=units)).select_related("predecessor", "successor")


class UnitSuccession(models.Model):
    """Kế thừa: the old unit (whole or in part) went into the new one on `effective_on`.

    The table is the one the plain `successors` many-to-many used; links made before dates were
    kept have no date, and the old unit's `valid_to` stands for it (`effective_date`).
    """

    predecessor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị cũ"),
        on_delete=models.CASCADE,
        related_name="successions",
        db_column="from_administrativeunit_id",
    )
    successor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị mới"),
        on_delete=models.CASCADE,
        related_name="succeeded",
        db_column="to_administrativeunit_id",
    )
    share = models.CharField(_("toàn bộ hay một phần"), max_length=8, choices=Share.choices, default=Share.WHOLE)
    effective_on = models.DateField(_("ngày hiệu lực"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=300, blank=True)

    objects = SuccessionQuerySet.as_manager()

    class Meta:
        db_table = "communes_administrativeunit_successors"
        verbose_name = _("kế thừa đơn vị hành chính")
        verbose_name_plural = _("kế thừa đơn vị hành chính")
        unique_together = [("predecessor", "successor")]
        constraints = [
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="unit_succession_not_itself"),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"

    @property
    def effective_date(self):
        """The link's date, else the old unit's end (links recorded without a date)."""
        return self.effective_on or self.predecessor.valid_to
