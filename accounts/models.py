"""Who a user is in the programme: a role, and the administrative unit it applies to.

A user's scope always comes from here, never from a form field or a request parameter.
"""

from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from simple_history import register
from simple_history.models import HistoricalRecords

from communes.models import AdministrativeUnit, Level


class SteeringWords(NamedTuple):
    """What a page calls a steering committee inside a sentence: `level` as in "Gửi tỉnh duyệt",
    `committee` as in "chỉ BCĐ tỉnh mở lại được"."""

    level: str
    committee: str


def steering_words(level):
    """The words for the committee of a province or district (`Level`), generic for None; which
    committee verifies a unit is decided by accounts.access.verifying_unit."""
    if level == Level.PROVINCE:
        return SteeringWords(pgettext("ai duyệt", "tỉnh"), pgettext("ai duyệt", "BCĐ tỉnh"))
    if level == Level.DISTRICT:
        return SteeringWords(pgettext("ai duyệt", "huyện"), pgettext("ai duyệt", "BCĐ huyện"))
    return SteeringWords(pgettext("ai duyệt", "Ban chỉ đạo"), pgettext("ai duyệt", "Ban chỉ đạo"))


class Role(models.TextChoices):
    DISTRICT_STAFF = "district_staff", _("Cán bộ BCĐ / Văn phòng điều phối")
    LEADER = "leader", _("Lãnh đạo (chỉ xem)")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ xã")
    SITE_ADMIN = "site_admin", _("Quản trị hệ thống")


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("tài khoản"), on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        help_text=_("Đơn vị mà tài khoản được xem hoặc cập nhật số liệu."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hồ sơ người dùng")
        verbose_name_plural = _("hồ sơ người dùng")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="site_admin") | Q(unit__isnull=False), name="profile_unit_unless_site_admin"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="profile_role_valid"),
        ]

    def __str__(self):
        return f"{self.user.get_username()} — {self.role_name}"

    @property
    def role_name(self):
        """The role as the programme names it: steering staff are 'BCĐ tỉnh' on a province and
        'BCĐ huyện' on a district (one role, DISTRICT_STAFF, scoped by its unit)."""
        if self.role == Role.DISTRICT_STAFF and self.unit_id is not None:
            if self.unit.level == Level.PROVINCE:
                return str(_("BCĐ tỉnh"))
            if self.unit.level == Level.DISTRICT:
                return str(_("BCĐ huyện"))
        return str(self.get_role_display())


# The audit trail covers accounts too: who created, changed or deactivated a user, and when.
# Password hashes and login times are left out: they are secrets or noise, not decisions.
register(get_user_model(), app=__package__, excluded_fields=["password", "last_login"])
