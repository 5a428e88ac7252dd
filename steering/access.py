"""Who may change what on the steering pages: kept as names for the steering views, decided by
accounts.access (reading follows `visible_units`; district staff manage everything under their
district; commune officers their own commune's plan items; leaders only read)."""

from django.core.exceptions import PermissionDenied

from accounts import access


def manages_district(user):
    """District (or province) staff or a site administrator."""
    return access.manages_district(user)


def can_manage_plans(user, unit):
    """Whether `user` may create or edit plan items of `unit`."""
    return access.can_manage_plans(user, unit)


def can_manage_district(user, unit):
    """Whether `user` may manage dossiers and works of `unit` (district staff over their area)."""
    return access.can_manage_district(user, unit)


def require(allowed):
    """Raise 403 unless `allowed`; views call it after they have fetched the unit in scope."""
    if not allowed:
        raise PermissionDenied("Tài khoản không có quyền thực hiện thao tác này.")
