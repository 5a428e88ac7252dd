from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import Profile


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["unit"]


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserWithProfileAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "first_name", "profile_role", "profile_unit", "is_active"]
    list_select_related = ["profile__unit"]
    list_filter = ["profile__role", "is_active"]

    @admin.display(description="vai trò")
    def profile_role(self, user):
        profile = getattr(user, "profile", None)
        return profile.get_role_display() if profile else ""

    @admin.display(description="đơn vị")
    def profile_unit(self, user):
        profile = getattr(user, "profile", None)
        return profile.unit if profile else ""


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]
