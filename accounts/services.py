"""Creating accounts with a role, and the permission groups that go with each role."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import is_staff_role
from accounts.models import Profile, Role

MANAGED_APPS = ("communes", "criteria", "records")

# Which model permissions each role's group carries. The admin does not consult them: who may see
# and change what there is decided by accounts.access from the role (AdminAccess); the groups
# remain so a site administrator can see at a glance what each role is meant to do.
ROLE_ACTIONS = {
    Role.DISTRICT_STAFF: ("view", "add", "change", "delete", "import", "export"),
    Role.LEADER: ("view", "export"),
    Role.COMMUNE_OFFICER: ("view",),
}
# Commune officers also add and change their own commune's records (as draft or submitted only).
ROLE_EXTRA = {
    Role.COMMUNE_OFFICER: ("add_achievementrecord", "change_achievementrecord"),
}


def role_group(role):
    """The permission group of `role`, created and brought up to date."""
    group, _created = Group.objects.get_or_create(name=Role(role).label)
    actions = ROLE_ACTIONS.get(role, ())
    extra = ROLE_EXTRA.get(role, ())
    codenames = Permission.objects.filter(content_type__app_label__in=MANAGED_APPS)
    group.permissions.set([p for p in codenames if p.codename.split("_", 1)[0] in actions or p.codename in extra])
    return group


@transaction.atomic
def account_create(*, username, password, role, unit, first_name="", last_name="", email=""):
    """Create or reset an account with `role` over `unit`; only staff roles may use the admin."""
    user, _created = get_user_model().objects.update_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "is_staff": is_staff_role(role),
            "is_superuser": role == Role.SITE_ADMIN,
            "is_active": True,
        },
    )
    user.set_password(password)
    user.save()
    Profile.objects.update_or_create(user=user, defaults={"role": role, "unit": unit})
    if role in ROLE_ACTIONS:
        user.groups.set([role_group(role)])
    return user


@transaction.atomic
def account_role_applied(*, user):
    """After a role change (the admin's user or profile form): staff access and the permission
    group follow the role, whatever the `is_staff` box said. Superusers stay staff."""
    profile = Profile.objects.filter(user=user).first()
    role = profile.role if profile else None
    is_staff = user.is_superuser or is_staff_role(role)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    if role in ROLE_ACTIONS:
        user.groups.set([role_group(role)])


@transaction.atomic
def officer_create(*, actor, username, password, unit, full_name="", email=""):
    """District staff create a commune-officer account for one of their own communes.

    Refuses a commune outside the actor's district, an existing username (never resets someone
    else's account) and a weak password (Django's validators), each with a Vietnamese message.
    """
    from accounts.access import manageable_communes

    if not manageable_communes(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied
    return _new_account(
        username=username, password=password, role=Role.COMMUNE_OFFICER, unit=unit, full_name=full_name, email=email
    )


@transaction.atomic
def steering_staff_create(*, actor, username, password, unit, full_name="", email=""):
    """Create a steering-committee account (BCĐ tỉnh on a province, BCĐ huyện on a district) for
    the actor's own unit or one under it; the same refusals as `officer_create`."""
    from accounts.access import manageable_steering_units

    if not manageable_steering_units(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied
    return _new_account(
        username=username, password=password, role=Role.DISTRICT_STAFF, unit=unit, full_name=full_name, email=email
    )


def _new_account(*, username, password, role, unit, full_name, email):
    from django.contrib.auth.password_validation import validate_password

    if get_user_model().objects.filter(username__iexact=username).exists():
        raise ValidationError(_("Tên đăng nhập “%(username)s” đã có người dùng.") % {"username": username})
    validate_password(password, user=get_user_model()(username=username, first_name=full_name, email=email))
    return account_create(username=username, password=password, role=role, unit=unit, first_name=full_name, email=email)


@transaction.atomic
def officer_set_password(*, actor, officer, password):
    """District staff set a new password for an officer of one of their communes (there is no
    public password-reset page: accounts are created and looked after by the district)."""
    from django.contrib.auth.password_validation import validate_password

    from accounts.access import manageable_communes

    profile = getattr(officer, "profile", None)
    if (
        profile is None
        or profile.role != Role.COMMUNE_OFFICER
        or not manageable_communes(actor).filter(pk=profile.unit_id).exists()
    ):
        raise PermissionDenied
    validate_password(password, user=officer)
    officer.set_password(password)
    officer._history_user = actor
    officer.save()
    return officer
