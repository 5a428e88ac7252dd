"""A small user-management page: district staff list and create their communes' officer accounts."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .access import manageable_communes
from .forms import OfficerForm
from .models import Role
from .services import officer_create


def officers(request):
    """Tài khoản cán bộ xã of the user's district, and a form to create one."""
    communes = manageable_communes(request.user)
    if not communes.exists():
        raise PermissionDenied
    form = OfficerForm(request.POST or None, communes=communes.order_by("code"))
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
    users = list(
        get_user_model()
        .objects.filter(profile__role=Role.COMMUNE_OFFICER, profile__unit__in=communes)
        .select_related("profile__unit")
        .order_by("profile__unit__code", "username")
    )
    return render(request, "accounts/officers.html", {"users": users, "form": form})
