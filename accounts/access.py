"""What a user may see, decided in one place from their profile, never from the request.

Every page, API endpoint, export and admin screen asks these helpers. A unit outside the
user's scope is answered with 404, so its existence is not revealed.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from communes.models import AdministrativeUnit

from .models import Role


def profile_of(user):
    return getattr(user, "profile", None) if user.is_authenticated else None


def is_site_admin(user):
    profile = profile_of(user)
    return user.is_superuser or (profile is not None and profile.role == Role.SITE_ADMIN)


def home_unit(user):
    """The unit a user's pages open on: their own; for site administrators, the first root."""
    profile = profile_of(user)
    if profile is not None and profile.unit_id:
        return profile.unit
    if is_site_admin(user):
        return AdministrativeUnit.objects.top_level().first()
    return None


def visible_units(user):
    """Units the user may read: their unit and everything under it (all, for administrators)."""
    if is_site_admin(user):
        return AdministrativeUnit.objects.all()
    unit = home_unit(user)
    if unit is None:
        return AdministrativeUnit.objects.none()
    if profile_of(user).role == Role.COMMUNE_OFFICER:
        return AdministrativeUnit.objects.filter(pk=unit.pk)
    return AdministrativeUnit.objects.within(unit)


def editable_units(user):
    """Units whose records the user may enter: a commune officer's own commune; a district staff
    member's district and everything under it; every unit for administrators; none for leaders."""
    if is_site_admin(user):
        return AdministrativeUnit.objects.all()
    profile = profile_of(user)
    if profile is None or profile.unit_id is None:
        return AdministrativeUnit.objects.none()
    if profile.role == Role.COMMUNE_OFFICER:
        return AdministrativeUnit.objects.filter(pk=profile.unit_id)
    if profile.role == Role.DISTRICT_STAFF:
        return AdministrativeUnit.objects.within(profile.unit)
    return AdministrativeUnit.objects.none()


def verifiable_units(user):
    """Units whose submitted records the user may verify or return: district staff's subtree."""
    if is_site_admin(user):
        return AdministrativeUnit.objects.all()
    if is_district_staff(user):
        return AdministrativeUnit.objects.within(profile_of(user).unit)
    return AdministrativeUnit.objects.none()


def is_district_staff(user):
    profile = profile_of(user)
    return profile is not None and profile.role == Role.DISTRICT_STAFF and profile.unit_id is not None


def can_edit(user, unit):
    """Whether the user may enter or submit records of `unit`."""
    return editable_units(user).filter(pk=unit.pk).exists()


def can_verify(user, unit):
    """Whether the user may verify or return records of `unit` (and close or reopen its rounds)."""
    return verifiable_units(user).filter(pk=unit.pk).exists()


def can_manage_rounds(user):
    """District staff and administrators open, close and reopen reporting rounds."""
    return is_site_admin(user) or is_district_staff(user)


def manageable_communes(user):
    """Communes for which the user may create commune-officer accounts: their district's."""
    from communes.models import Level

    return verifiable_units(user).at_level(Level.COMMUNE)


def unit_for_user(user, code):
    """The unit with `code` if the user may read it; Http404 otherwise."""
    if "\x00" in str(code):  # no code has one, and PostgreSQL refuses text with NUL (a 500)
        raise Http404("Không tìm thấy đơn vị")
    try:
        return visible_units(user).get(code=code)
    except AdministrativeUnit.DoesNotExist:
        raise Http404("Không tìm thấy đơn vị") from None


def editable_unit_for_user(user, code):
    """The unit with `code` if the user may enter its records; Http404 if they may not even read
    it, PermissionDenied (403) if they may read but not change it (leaders)."""
    unit = unit_for_user(user, code)
    if not can_edit(user, unit):
        raise PermissionDenied("Tài khoản chỉ được xem số liệu của đơn vị này.")
    return unit
