"""What a user may see, decided in one place from their profile, never from the request.

Every page, API endpoint, export and admin screen asks these helpers. A unit outside the
user's scope is answered with 404, so its existence is not revealed.
"""

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


def unit_for_user(user, code):
    """The unit with `code` if the user may read it; Http404 otherwise."""
    try:
        return visible_units(user).get(code=code)
    except AdministrativeUnit.DoesNotExist:
        raise Http404("Không tìm thấy đơn vị") from None
