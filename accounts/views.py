"""A small user-management page: district staff list and create their communes' officer accounts."""

import io
from datetime import date

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import manageable_communes, manageable_steering_units, may_manage_accounts, require
from accounts.forms import OfficerForm, OfficerPasswordForm, SteeringStaffForm
from accounts.imports import accounts_import, accounts_template, role_kinds
from accounts.models import Role
from accounts.services import officer_create, officer_set_password, steering_staff_create
from communes.models import KIND_LEVEL
from shared.uploads import upload_keep, upload_take


def _officers_of(communes):
    return (
        get_user_model()
        .objects.filter(profile__role=Role.COMMUNE_OFFICER, profile__unit__in=communes)
        .select_related("profile__unit")
        .order_by("profile__unit__code", "username")
    )


def _account_roles(user):
    """The Vai trò words the user's account file and forms may use: BCĐ tỉnh, BCĐ huyện for the
    levels of the steering units in their area that exist today (a province of the two-tier system
    has no district), and Cán bộ xã (one query)."""
    kinds = manageable_steering_units(user).valid_on(date.today()).values_list("kind", flat=True).distinct()
    levels = {KIND_LEVEL[kind] for kind in kinds}
    return [name for name, role, level in role_kinds() if level in levels or role == Role.COMMUNE_OFFICER]


def officers(request, password_form=None):
    """Tài khoản cán bộ xã of the user's area, a form to create one and one to set a new password;
    the menu's Tài khoản opens here (an area with no commune yet says so)."""
    require(may_manage_accounts(request.user))
    communes = manageable_communes(request.user)
    # New accounts only for communes that exist today (not merged or abolished ones). Bound only
    # to a POST of its own: officer_password shows this page again, as a GET, with its errors.
    data = request.POST if request.method == "POST" else None
    open_communes = communes.valid_on(date.today()).order_by("code")
    form = OfficerForm(data, communes=open_communes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = officer_create(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                unit=data["unit"],
                full_name=data["full_name"],
                email=data["email"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã tạo tài khoản %(username)s.") % {"username": user.username})
            return redirect("accounts:officers")
    users = list(_officers_of(communes))
    password_form = password_form or OfficerPasswordForm(officers=_officers_of(communes))
    return render(
        request,
        "accounts/officers.html",
        {
            "users": users,
            "form": form,
            "has_communes": open_communes.exists(),
            "password_form": password_form,
            "roles": _account_roles(request.user),
        },
    )


def steering_staff(request):
    """Tài khoản BCĐ: steering-committee accounts (BCĐ tỉnh, BCĐ huyện) of the user's area, one
    form to create one and one to upload a file of accounts (officers included)."""
    require(may_manage_accounts(request.user))
    units = manageable_steering_units(request.user)
    # New accounts only for provinces and districts that exist today (not a district abolished
    # on 1/7/2025), as for officers.
    open_units = units.valid_on(date.today()).order_by("code")
    form = SteeringStaffForm(request.POST or None, units=open_units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = steering_staff_create(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                unit=data["unit"],
                full_name=data["full_name"],
                email=data["email"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã tạo tài khoản %(username)s.") % {"username": user.username})
            return redirect("accounts:steering_staff")
    users = list(
        get_user_model()
        .objects.filter(profile__role=Role.DISTRICT_STAFF, profile__unit__in=units)
        .select_related("profile__unit")
        .order_by("profile__unit__code", "username")
    )
    roles = _account_roles(request.user)
    steering_roles = [name for name, role, _level in role_kinds() if name in roles and role == Role.DISTRICT_STAFF]
    return render(
        request,
        "accounts/steering_staff.html",
        {
            "users": users,
            "form": form,
            "roles": roles,
            "steering_roles": steering_roles,
            "has_units": bool(steering_roles),
        },
    )


def _may_import_accounts(user):
    if not (manageable_steering_units(user).exists() or manageable_communes(user).exists()):
        raise PermissionDenied


@require_GET
def accounts_template_download(request):
    """Mẫu tệp tài khoản: the empty file the upload below reads."""
    _may_import_accounts(request.user)
    response = HttpResponse(
        accounts_template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="mau-tai-khoan.xlsx"'
    return response


@require_POST
def accounts_upload(request):
    """Check a file of accounts without saving and list the accounts it would create."""
    _may_import_accounts(request.user)
    upload = request.FILES.get("file")
    if upload is None:
        return render(request, "accounts/accounts_result.html", {"missing_file": True}, status=400)
    data = upload.read()
    result = accounts_import(file=_named(data, upload.name), actor=request.user, dry_run=True)
    token = upload_keep(user=request.user, purpose="accounts", filename=upload.name, data=data) if result.ok else ""
    return render(
        request,
        "accounts/accounts_result.html",
        {"result": result, "token": token, "filename": upload.name},
        status=200 if result.ok else 400,
    )


@require_POST
def accounts_confirm(request):
    """Create the previewed accounts: the same file checked again, all created or none."""
    _may_import_accounts(request.user)
    kept = upload_take(token=request.POST.get("token", ""), user=request.user, purpose="accounts")
    if kept is None:
        return render(request, "accounts/accounts_result.html", {"expired": True}, status=400)
    name, data, _extra = kept
    result = accounts_import(file=_named(data, name), actor=request.user, dry_run=False)
    return render(
        request,
        "accounts/accounts_result.html",
        {"result": result, "filename": name},
        status=200 if result.ok else 400,
    )


def _named(data, name):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


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
