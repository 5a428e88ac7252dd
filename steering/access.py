"""Who may change what on the steering pages, decided from the user's profile on the server.

Reading follows `accounts.access.visible_units`. Writing: district staff manage everything under
their district; commune officers manage their own commune's plan items only; leaders only read.
"""

from django.core.exceptions import PermissionDenied

from accounts.access import is_site_admin, profile_of, visible_units
from accounts.models import Role


def manages_district(user):
    """District staff or a site administrator: may manage dossiers, works and every plan item in
    their scope. (Unlike accounts.access.is_district_staff, administrators count here.)"""
    profile = profile_of(user)
    return is_site_admin(user) or (profile is not None and profile.role == Role.DISTRICT_STAFF)


def can_manage_plans(user, unit):
    """Whether `user` may create or edit plan items of `unit`."""
    profile = profile_of(user)
    if profile is None and not is_site_admin(user):
        return False
    if manages_district(user):
        return visible_units(user).filter(pk=unit.pk).exists()
    return profile.role == Role.COMMUNE_OFFICER and profile.unit_id == unit.pk


def can_manage_district(user, unit):
    """Whether `user` may manage dossiers and works of `unit` (district staff over their area)."""
    return manages_district(user) and visible_units(user).filter(pk=unit.pk).exists()


def require(allowed):
    """Raise 403 unless `allowed`; views call it after they have fetched the unit in scope."""
    if not allowed:
        raise PermissionDenied("Tài khoản không có quyền thực hiện thao tác này.")
