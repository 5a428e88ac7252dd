"""A small user-management page: district staff list and create their communes' officer accounts."""

from datetime import date

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import manageable_communes
from accounts.forms import OfficerForm, OfficerPasswordForm
from accounts.models import Role
from accounts.services import officer_create, officer_set_password


def _officers_of(communes):
    return (
        get_user_model()
        .objects.filter(profile__role=Role.COMMUNE_OFFICER, profile__unit__in=communes)
        .select_related("profile__unit")
        .order_by("profile__unit__code", "username")
    )


def officers(request, password_form=None):
    """Tài khoản cán bộ xã of the user's district, a form to create one and one to set a new
    password."""
    communes = manageable_communes(request.user)
    if not communes.exists():
        raise PermissionDenied
    # New accounts only for communes that exist today (not merged or abolished ones).
    form = OfficerForm(request.POST or None, communes=communes.valid_on(date.today()).order_by("code"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = officer_create(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                unit=data["unit"],
                full_name=data["full_name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã tạo tài khoản %(username)s.") % {"username": user.username})
            return redirect("accounts:officers")
    users = list(_officers_of(communes))
    password_form = password_form or OfficerPasswordForm(officers=_officers_of(communes))
    return render(request, "accounts/officers.html", {"users": users, "form": form, "password_form": password_form})


@require_POST
def officer_password(request):
    """Đặt lại mật khẩu: district staff give one of their officers a new password."""
    communes = manageable_communes(request.user)
    if not communes.exists():
        raise PermissionDenied
    form = OfficerPasswordForm(request.POST, officers=_officers_of(communes))
    if form.is_valid():
        try:
            officer = officer_set_password(
                actor=request.user, officer=form.cleaned_data["officer"], password=form.cleaned_data["new_password"]
            )
        except ValidationError as error:
            form.add_error("new_password", error)
        else:
            messages.success(request, _("Đã đặt mật khẩu mới cho %(username)s.") % {"username": officer.username})
            return redirect("accounts:officers")
    request.method = "GET"  # show the page with this form's errors, the creation form empty
    return officers(request, password_form=form)
