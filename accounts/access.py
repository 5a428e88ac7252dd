"""Who may see and do what, decided in one place from the user's profile, never from the request.

Every page, API endpoint, export, import and admin screen asks these helpers; every ModelAdmin
has `AdminAccess` (and `HistoryAccess`, `InlineAccess`) first in its bases. A unit outside the
user's scope is answered with 404, so its existence is not revealed.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Role, steering_words
from communes.models import AdministrativeUnit, Level, kinds_at
from criteria.models import CriteriaSet, Scope


def profile_of(user):
    """The user's Profile (role and unit), or None."""
    return getattr(user, "profile", None) if user.is_authenticated else None


def is_site_admin(user):
    """Superusers and accounts with the site-administrator role (national administrators)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:  # first, so a superuser's pages need no profile query
        return True
    profile = profile_of(user)
    return profile is not None and profile.role == Role.SITE_ADMIN


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


def may_read_parent_of(user, unit):
    """Whether the user may read the parent of `unit`, a unit they may read (no query): everyone
    above commune officers reads their own unit's subtree, so a unit below their own has a readable
    parent and their own unit has not (administrators read everything)."""
    if unit.parent_id is None:
        return False
    if is_site_admin(user):
        return True
    profile = profile_of(user)
    if profile is None or profile.role == Role.COMMUNE_OFFICER:
        return False
    return unit.pk != profile.unit_id


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
    """Staff of a district (or province) steering committee, with their unit."""
    profile = profile_of(user)
    return profile is not None and profile.role == Role.DISTRICT_STAFF and profile.unit_id is not None


def is_told_of_returns(user):
    """Whether the menu and banner count records returned to the user's unit: commune officers,
    whose commune they are (district staff are shown their verification queue instead)."""
    if is_site_admin(user):  # first: a superuser has no profile, and asking for it is a query
        return False
    profile = profile_of(user)
    return profile is not None and profile.role == Role.COMMUNE_OFFICER and profile.unit_id is not None


def can_edit(user, unit):
    """Whether the user may enter or submit records of `unit`."""
    return editable_units(user).filter(pk=unit.pk).exists()


def can_verify(user, unit):
    """Whether the user may verify or return records of `unit` (and close or reopen its rounds)."""
    return verifiable_units(user).filter(pk=unit.pk).exists()


# Who verifies a unit's records (ai duyệt), and so what its pages call that committee: a
# 2021-2025 commune answers to its district ("huyện duyệt"); since 1/7/2025 there are no districts
# and a commune answers to its province ("tỉnh duyệt"). Every page and message asks here.
STEERING_LEVELS = (Level.PROVINCE, Level.DISTRICT)


def verifying_unit(unit):
    """The unit whose steering committee (BCĐ) verifies `unit`'s records and opens, closes and
    reopens its rounds: a province or district itself, a commune's district or, once districts
    are gone, its province; None when unknown. Staff above it may verify too (`verifiable_units`).
    Reads `unit.parent`: callers that loop over units select it with them."""
    if unit is None:
        return None
    if unit.level in STEERING_LEVELS:
        return unit
    parent = unit.parent if unit.parent_id is not None else None
    return parent if parent is not None and parent.level in STEERING_LEVELS else None


def verifier_words(unit):
    """How pages name who verifies `unit`'s records: 'tỉnh' / 'BCĐ tỉnh', 'huyện' / 'BCĐ huyện',
    or the generic 'Ban chỉ đạo' when no steering unit is known (`steering_words`)."""
    verifier = verifying_unit(unit)
    return steering_words(verifier.level if verifier is not None else None)


def can_manage_rounds(user):
    """District staff and administrators open, close and reopen reporting rounds."""
    return is_site_admin(user) or is_district_staff(user)


def may_manage_accounts(user):
    """Steering staff and administrators: the menu's Tài khoản (officer and BCĐ accounts of
    their area; `manageable_communes`, `manageable_steering_units`). Decided without a query."""
    return is_site_admin(user) or is_district_staff(user)


def manageable_communes(user):
    """Communes for which the user may create commune-officer accounts: their district's."""
    return verifiable_units(user).at_level(Level.COMMUNE)


def manageable_steering_units(user):
    """Provinces and districts for which the user may create steering-committee (BCĐ) accounts:
    their own unit and those under it; province staff thus add BCĐ tỉnh colleagues."""
    return verifiable_units(user).filter(kind__in=[*kinds_at(Level.PROVINCE), *kinds_at(Level.DISTRICT)])


def enrollable_units(user):
    """Units the user may enrol in criteria sets (đăng ký thực hiện): steering staff their area."""
    return verifiable_units(user)


def unit_for_user(user, code):
    """The unit with `code` if the user may read it; Http404 otherwise."""
    if "\x00" in str(code):  # no code has one, and PostgreSQL refuses text with NUL (a 500)
        raise Http404("Không tìm thấy đơn vị")
    try:
        # With its parent: pages name who verifies the unit's records (verifier_words).
        return visible_units(user).select_related("parent").get(code=code)
    except AdministrativeUnit.DoesNotExist:
        raise Http404("Không tìm thấy đơn vị") from None


def editable_unit_for_user(user, code):
    """The unit with `code` if the user may enter its records; Http404 if they may not even read
    it, PermissionDenied (403) if they may read but not change it (leaders)."""
    unit = unit_for_user(user, code)
    if not can_edit(user, unit):
        raise PermissionDenied(_("Tài khoản chỉ được xem số liệu của đơn vị này."))
    return unit


def manages_district(user):
    """District (or province) staff and site administrators: they manage dossiers, works, rounds
    and every plan item in their scope."""
    return is_site_admin(user) or is_district_staff(user)


def is_province_staff(user):
    """Staff whose unit is a province (the province's steering office)."""
    return is_district_staff(user) and profile_of(user).unit.level == Level.PROVINCE


def require(allowed):
    """Raise 403 unless `allowed`; views call it after they have fetched the unit in scope."""
    if not allowed:
        raise PermissionDenied(_("Tài khoản không có quyền thực hiện thao tác này."))


def can_manage_plans(user, unit):
    """Whether `user` may create or edit plan items of `unit`: staff over their area, a commune
    officer over their own commune."""
    if manages_district(user):
        return visible_units(user).filter(pk=unit.pk).exists()
    profile = profile_of(user)
    return profile is not None and profile.role == Role.COMMUNE_OFFICER and profile.unit_id == unit.pk


def can_manage_district(user, unit):
    """Whether `user` may manage dossiers and works of `unit` (staff over their area)."""
    return manages_district(user) and visible_units(user).filter(pk=unit.pk).exists()


def may_import_records(user):
    """Commune officers (their commune), district staff (their district) and administrators;
    `None` is the command line."""
    if user is None or is_site_admin(user):
        return True
    profile = profile_of(user)
    return profile is not None and profile.role in (Role.DISTRICT_STAFF, Role.COMMUNE_OFFICER)


def may_import_units(user):
    """Who may load unit and lineage files on the site: administrators (any unit) and steering
    staff (units below their own province or district, `unit_import_scope`)."""
    return is_site_admin(user) or is_district_staff(user)


def unit_import_scope(user):
    """The unit below which `user`'s unit and lineage files may write: None for administrators
    (anywhere), the staff member's own unit otherwise. Ask `may_import_units` first."""
    if is_site_admin(user):
        return None
    if not is_district_staff(user):
        raise PermissionDenied
    return profile_of(user).unit


# Reference data (criteria sets, their criteria, indicators, targets and dossier conditions) has an
# owner: a national set belongs to the national administrators, a provincial set to the staff of
# its province. Everyone reads every set.


def changeable_criteria_sets(user):
    """Sets whose structure, targets and dossier conditions `user` may change."""
    if is_site_admin(user):
        return CriteriaSet.objects.all()
    if not is_district_staff(user):
        return CriteriaSet.objects.none()
    return CriteriaSet.objects.filter(scope=Scope.PROVINCIAL, province_id=profile_of(user).unit_id)


def may_change_criteria_set(user, criteria_set):
    """Whether `user` may change (or create) `criteria_set` as it stands, scope and province
    included: administrators any; a province's staff only a provincial set of their province."""
    if is_site_admin(user):
        return True
    return (
        is_district_staff(user)
        and criteria_set.scope == Scope.PROVINCIAL
        and criteria_set.province_id is not None
        and criteria_set.province_id == profile_of(user).unit_id
    )


def may_import_sets(user):
    """Who may load criteria set workbooks at all: administrators and province staff (each set is
    then checked with `may_change_criteria_set`); `None` is the command line."""
    return user is None or is_site_admin(user) or is_province_staff(user)


# How a province writes its reports (reports.models.ReportSettings): a province's steering staff
# set their own province's; site administrators any province's and the national default.


def manages_report_settings(user):
    """Administrators and a province's steering staff: they have report settings to change."""
    return is_site_admin(user) or is_province_staff(user)


def report_settings_units(user):
    """Units whose report settings (average rule, cơ bản đạt chuẩn thresholds) `user` may change."""
    if is_site_admin(user):
        return AdministrativeUnit.objects.filter(kind__in=kinds_at(Level.PROVINCE) + kinds_at(Level.NATIONAL))
    if is_province_staff(user):
        return AdministrativeUnit.objects.filter(pk=profile_of(user).unit_id)
    return AdministrativeUnit.objects.none()


# --- Accounts and the Django admin ---------------------------------------------------------------

# Roles whose accounts are staff (use the Django admin). Commune officers and leaders are not:
# every task they have is a page of the site.
STAFF_ROLES = (Role.DISTRICT_STAFF, Role.SITE_ADMIN)


def is_staff_role(role):
    """Whether an account with `role` gets `is_staff` (the Django admin)."""
    return role in STAFF_ROLES


def may_use_admin(user):
    """The admin is for site administrators and district or province staff only, whatever the
    `is_staff` flag says (it may have been ticked by hand)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return is_site_admin(user) or is_district_staff(user)


# How the rows of each admin model belong to someone: to an administrative unit (the lookup path
# from the row to it; "" for units themselves) or to a criteria set (reference data). Models in
# neither table are for administrators only: accounts, login records, groups, sent reminders.
ADMIN_UNIT_PATHS = {
    "communes.administrativeunit": "",
    "communes.unitsuccession": "predecessor",
    "criteria.enrolment": "unit",
    "criteria.recognition": "unit",
    "records.reportinground": "unit",
    "records.achievementrecord": "unit",
    "steering.office": "unit",
    "steering.planitem": "unit",
    "steering.dossier": "unit",
    "steering.work": "unit",
    "steering.conditionconfirmation": "dossier__unit",
}
ADMIN_SET_PATHS = {
    "criteria.criteriaset": "",
    "criteria.criterion": "criteria_set",
    "criteria.indicator": "criterion__criteria_set",
    "criteria.threshold": "indicator__criterion__criteria_set",
    "criteria.indicatoritem": "indicator__criterion__criteria_set",
    "steering.dossiercondition": "criteria_set",
}
READ_ACTIONS = ("view", "export")


def _label(model):
    return model._meta.label_lower


def _lookup(path, suffix):
    return f"{path}__{suffix}" if path else f"pk__{suffix}"


def _follow(obj, path):
    """The row at the end of `path` from `obj` (obj itself for an empty path)."""
    for name in filter(None, path.split("__")):
        obj = getattr(obj, name, None) if obj is not None else None
    return obj


def _changeable_units(user, label):
    """Units whose rows of model `label` the user may add, change or delete in the admin."""
    if label == "communes.administrativeunit":  # units below their own, never their own
        unit = home_unit(user)
        return (
            AdministrativeUnit.objects.within(unit, include_self=False) if unit else AdministrativeUnit.objects.none()
        )
    if label == "records.achievementrecord":
        return editable_units(user)
    return verifiable_units(user)


def admin_rows(user, queryset):
    """The rows of `queryset` (any admin model) that `user` may see in the admin."""
    label = _label(queryset.model)
    if is_site_admin(user):
        return queryset
    if not may_use_admin(user):
        return queryset.none()
    if label in ADMIN_SET_PATHS:
        return queryset
    if label == "records.reportinground":  # rounds organised above the user's units apply too
        return queryset.visible_to(visible_units(user))
    if label in ADMIN_UNIT_PATHS:
        return queryset.filter(**{_lookup(ADMIN_UNIT_PATHS[label], "in"): visible_units(user).values("pk")})
    return queryset.none()


def _row_visible(user, label, obj):
    unit = _follow(obj, ADMIN_UNIT_PATHS[label])
    if unit is None:
        return False
    units = visible_units(user).values("pk")
    if label == "records.reportinground":
        above = Q(children__in=units) | Q(children__children__in=units)
        return AdministrativeUnit.objects.filter(Q(pk__in=units) | above, pk=unit.pk).exists()
    return AdministrativeUnit.objects.filter(pk=unit.pk, pk__in=units).exists()


def _row_changeable(user, label, obj):
    if label == "communes.administrativeunit":
        # The unit itself below the user's own (an existing one), and its parent within their area.
        own = home_unit(user)
        if own is None or obj.parent_id is None:
            return False
        if obj.pk is not None and not _changeable_units(user, label).filter(pk=obj.pk).exists():
            return False
        return AdministrativeUnit.objects.within(own).filter(pk=obj.parent_id).exists()
    unit = _follow(obj, ADMIN_UNIT_PATHS[label])
    return unit is not None and _changeable_units(user, label).filter(pk=unit.pk).exists()


def admin_may(user, action, model, obj=None):
    """Whether `user` may `action` ("view", "add", "change", "delete", "import", "export") rows of
    `model` in the admin: any row when `obj` is None, else `obj` as it stands (for "add" and
    "change", the row as the form would save it)."""
    if not may_use_admin(user):
        return False
    if is_site_admin(user):
        return True
    label = _label(model)
    if label in ADMIN_SET_PATHS:
        if action in READ_ACTIONS:
            return True
        if obj is None:
            if label == "criteria.criteriaset":
                return is_province_staff(user)
            return changeable_criteria_sets(user).exists()
        criteria_set = _follow(obj, ADMIN_SET_PATHS[label])
        return criteria_set is not None and may_change_criteria_set(user, criteria_set)
    if label in ADMIN_UNIT_PATHS:
        if action in READ_ACTIONS:
            return obj is None or _row_visible(user, label, obj)
        if obj is None:
            return _changeable_units(user, label).exists()
        return _row_changeable(user, label, obj)
    return False


def admin_choices(user, model, field_name, queryset):
    """The rows `user` may pick for `field_name` of `model` in the admin (form choices and
    autocomplete results), from `queryset` of the related model."""
    if is_site_admin(user):
        return queryset
    label, target = _label(model), _label(queryset.model)
    if target == "communes.administrativeunit":
        if label == "criteria.criteriaset":  # the issuing province: a province's staff, their own
            return queryset.filter(pk=profile_of(user).unit_id) if is_province_staff(user) else queryset.none()
        if label == "communes.administrativeunit":  # parent, successors: within the user's area
            unit = home_unit(user)
            return (
                queryset.filter(pk__in=AdministrativeUnit.objects.within(unit).values("pk"))
                if unit
                else queryset.none()
            )
        if label in ADMIN_UNIT_PATHS:
            return queryset.filter(pk__in=_changeable_units(user, label).values("pk"))
        return queryset.filter(pk__in=visible_units(user).values("pk"))
    if target == "steering.office":
        return queryset.filter(unit__in=visible_units(user).values("pk"))
    if target == "records.reportinground":
        return queryset.visible_to(_changeable_units(user, label))
    if target in ADMIN_SET_PATHS and label in ADMIN_SET_PATHS:  # reference data hangs off own sets
        return queryset.filter(**{_lookup(ADMIN_SET_PATHS[target], "in"): changeable_criteria_sets(user)})
    if target in ADMIN_SET_PATHS or target in ADMIN_UNIT_PATHS:
        return admin_rows(user, queryset)
    return queryset.none()


def _scope_field(field, user, model, field_name):
    if field is not None and getattr(field, "queryset", None) is not None:
        field.queryset = admin_choices(user, model, field_name, field.queryset)
    return field


def _autocomplete_source(request):
    """(model, field name) whose choices an admin autocomplete request asks for, else None."""
    from django.apps import apps
    from django.urls import reverse

    if request.path != reverse("admin:autocomplete"):
        return None
    try:
        model = apps.get_model(request.GET.get("app_label", ""), request.GET.get("model_name", ""))
    except (LookupError, ValueError):
        return None
    return model, request.GET.get("field_name", "")


class AdminAccess:
    """First base of every ModelAdmin: each admin view (list, change, delete, history, filters,
    autocomplete, import and export) asks the functions above, and nothing else decides."""

    def has_module_permission(self, request):
        return admin_may(request.user, "view", self.model)

    def has_view_permission(self, request, obj=None):
        return admin_may(request.user, "view", self.model, obj)

    def has_add_permission(self, request):
        return admin_may(request.user, "add", self.model)

    def has_change_permission(self, request, obj=None):
        return admin_may(request.user, "change", self.model, obj)

    def has_delete_permission(self, request, obj=None):
        return admin_may(request.user, "delete", self.model, obj)

    def has_import_permission(self, request):
        return admin_may(request.user, "import", self.model)

    def has_export_permission(self, request):
        return admin_may(request.user, "export", self.model)

    def get_queryset(self, request):
        return admin_rows(request.user, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        # A row outside the user's scope is a 404, like one that does not exist.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("Không tìm thấy")
        return obj

    def get_list_filter(self, request):
        """A filter on a relation lists only the related rows found among the user's own rows."""
        from django.contrib.admin import RelatedOnlyFieldListFilter
        from django.contrib.admin.utils import get_fields_from_path
        from django.core.exceptions import FieldDoesNotExist

        def scoped(spec):
            if not isinstance(spec, str):
                return spec
            try:
                is_relation = get_fields_from_path(self.model, spec)[-1].is_relation
            except FieldDoesNotExist:
                return spec
            return (spec, RelatedOnlyFieldListFilter) if is_relation else spec

        return [scoped(spec) for spec in super().get_list_filter(request)]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _scope_field(field, request.user, self.model, db_field.name)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _scope_field(field, request.user, self.model, db_field.name)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        source = _autocomplete_source(request)
        if source is not None:  # this admin's rows offered as choices for another model's field
            queryset = admin_choices(request.user, source[0], source[1], queryset)
        return queryset, may_have_duplicates

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The form refuses a row the user could not save (moved out of their scope, a set made
        national), with the reason, before anything is written."""
        form = super().get_form(request, obj, change=change, **kwargs)
        user, model = request.user, self.model

        class AccessCheckedForm(form):
            def _post_clean(self):
                super()._post_clean()
                action = "add" if self.instance._state.adding else "change"
                if not self.errors and not admin_may(user, action, model, self.instance):
                    self.add_error(None, _("Tài khoản không được lưu dòng này: nằm ngoài phạm vi quản lý của bạn."))

        AccessCheckedForm.__name__ = form.__name__
        return AccessCheckedForm


class InlineAccess:
    """First base of every admin inline: its rows are part of the row they belong to, so they
    are added, changed or deleted only by someone who may change that row."""

    def has_view_permission(self, request, obj=None):
        return admin_may(request.user, "view", self.parent_model, obj)

    def has_add_permission(self, request, obj):
        return self._may_change_parent(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_change_parent(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_change_parent(request, obj)

    def _may_change_parent(self, request, obj):
        if obj is None:
            return admin_may(request.user, "add", self.parent_model)
        return admin_may(request.user, "change", self.parent_model, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _scope_field(field, request.user, self.model, db_field.name)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _scope_field(field, request.user, self.model, db_field.name)


class HistoryAccess:
    """Before SimpleHistoryAdmin in a ModelAdmin's bases: history pages list only rows the user may
    see, and a history form only shows an old version; it never saves (reverting would bypass
    verification, and django-simple-history saves it with view permission alone)."""

    def history_view(self, request, object_id, extra_context=None):
        self._history_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        self._history_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def has_change_history_permission(self, request, obj=None):
        return False

    def _history_in_scope(self, request, object_id):
        from django.contrib.admin.utils import unquote
        from django.core.exceptions import ValidationError

        object_id = unquote(object_id)
        try:
            if self.get_queryset(request).filter(pk=object_id).exists():
                return
            version = (
                self.model.history.filter(**{self.model._meta.pk.attname: object_id}).order_by("-history_date").first()
            )
        except (ValueError, ValidationError):
            raise Http404("Không tìm thấy") from None
        # A deleted row: judged by its last version.
        if version is None or not admin_may(request.user, "view", self.model, version.instance):
            raise Http404("Không tìm thấy")
