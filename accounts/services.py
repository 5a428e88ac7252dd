"""Creating accounts with a role, and the permission groups that go with each role."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import Profile, Role

MANAGED_APPS = ("communes", "criteria")

# Which model permissions each role's group carries in the admin. Commune officers only read
# here: scoped entry of their own commune's records comes with the data-entry screens.
ROLE_ACTIONS = {
    Role.DISTRICT_STAFF: ("view", "add", "change", "delete", "import", "export"),
    Role.LEADER: ("view", "export"),
    Role.COMMUNE_OFFICER: ("view",),
}


def role_group(role):
    """The permission group of `role`, created and brought up to date."""
    group, _ = Group.objects.get_or_create(name=Role(role).label)
    actions = ROLE_ACTIONS.get(role, ())
    codenames = Permission.objects.filter(content_type__app_label__in=MANAGED_APPS)
    group.permissions.set(
        [p for p in codenames if p.codename.split("_", 1)[0] in actions]
    )
    return group


@transaction.atomic
def account_create(*, username, password, role, unit, first_name="", last_name=""):
    """Create or reset an account with `role` over `unit`; staff access lets it use the admin."""
    user, _ = get_user_model().objects.update_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "is_staff": True,
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
