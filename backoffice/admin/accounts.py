from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.access import AdminAccess, InlineAccess, may_use_admin
from accounts.models import Profile
from accounts.services import account_role_applied


class ProfileInline(InlineAccess, admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["unit"]


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserWithProfileAdmin(AdminAccess, UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "first_name", "profile_role", "profile_unit", "is_active"]
    list_select_related = ["profile__unit"]
    list_filter = ["profile__role", "is_active"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The role may have changed in the inline: staff access follows it, whatever was ticked.
        account_role_applied(user=form.instance)

    @admin.display(description=_("vai trò"))
    def profile_role(self, user):
        profile = getattr(user, "profile", None)
        return profile.get_role_display() if profile else ""

    @admin.display(description=_("đơn vị"))
    def profile_unit(self, user):
        profile = getattr(user, "profile", None)
        return profile.unit if profile else ""


@admin.register(Profile)
class ProfileAdmin(AdminAccess, admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        account_role_applied(user=obj.user)


class OtherAppAdmin(AdminAccess):
    """AdminAccess in front of another app's ModelAdmin: both must allow (login records stay
    read-only even for administrators, as their app made them)."""

    def has_module_permission(self, request):
        return super().has_module_permission(request) and super(AdminAccess, self).has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and super(AdminAccess, self).has_view_permission(request, obj)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and super(AdminAccess, self).has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and super(AdminAccess, self).has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and super(AdminAccess, self).has_delete_permission(request, obj)


def guard_admin_site():
    """Let accounts.access decide the whole admin: who may enter it at all (by role, not by the
    `is_staff` flag alone), and the screens other apps register (groups, login records), which
    get AdminAccess in front. Called once every admin module is loaded."""
    admin.site.has_permission = lambda request: may_use_admin(request.user)
    for model, model_admin in list(admin.site._registry.items()):
        if isinstance(model_admin, AdminAccess):
            continue
        base = type(model_admin)
        admin.site.unregister(model)
        admin.site.register(model, type(base.__name__, (OtherAppAdmin, base), {}))
