"""Bad input everywhere: every form and endpoint gets malformed values, one field at a time.

Nothing may answer 500, and a script typed into any field may be stored as text but must come
back escaped on every page. To cover a new page, add it to ENDPOINTS (or its admin model to
ADMIN_MODELS); the malformed values and the checks apply to it automatically.
"""

from dataclasses import dataclass, field

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import ModelMultipleChoiceField, MultiWidget
from django.test import Client, RequestFactory

SCRIPT = '<script>alert("ntm-xss")</script>'
# gunicorn refuses request lines over 4094 bytes (limit_request_line) before Django sees them,
# so the longest query value that can arrive is a little under that; form bodies may be huge.
LONGEST_QUERY_VALUE = 3_500
MALFORMED = {
    "wrong type": "không phải số",
    "huge number": "9" * 40,
    "negative": "-1",
    "impossible date": "2022-02-30",
    "huge string": "x" * 100_000,
    "script": SCRIPT,
    "unknown id": "987654321",
    "nul byte": "a\x00b",
    "odd unicode": "Quảng Tân ٩(◕‿◕)۶ 𝔘 \u202e",
}

# Every model with admin screens (list, add form, change form, unknown id): all of the registry.
ADMIN_MODELS = sorted(m._meta.label_lower for m in admin.site._registry)
SET = "xa-ntm-2021-2025"


@dataclass(frozen=True)
class Endpoint:
    """A URL and the parameters (GET) or fields (POST) to fill with malformed values.

    `path` may hold {value}: the malformed value then goes into the URL itself (unknown ids).
    Other {names} in the path, the fields and the baseline are filled from the `targets` fixture
    (existing rows of the demo). A field named "@name" is a file upload: the malformed value is
    both the file's content and its name. `form` names a form in FORMS whose every field gets the
    malformed value in turn, over the values of an existing row.
    `user` is a demo account name, "admin" for a superuser, or None for an anonymous visitor.
    """

    name: str
    method: str
    path: str
    fields: tuple = ()
    user: str | None = "admin"
    baseline: dict = field(default_factory=dict)
    form: str = ""


REPORT = ("date", "unit", "submitted", "due")
ENTRY_LINE = ("i{ind}-value", "i{ind}-note", "i{ind}-version")
ENDPOINTS = [
    Endpoint("login", "post", "/accounts/login/", ("username", "password", "next"), user=None),
    Endpoint("language switch", "post", "/i18n/setlang/", ("language", "next"), user=None),
    Endpoint("overview as leader", "get", "/", REPORT, user="lanhdao"),
    Endpoint("overview as commune officer", "get", "/", REPORT, user="xa_quangtan"),
    Endpoint("readiness probe", "get", "/readyz", ("unit",), user=None),
    # Reports (issue 3).
    Endpoint("unit page", "get", "/don-vi/xa-quang-tan/", REPORT, user="lanhdao"),
    Endpoint("unit page unknown code", "get", "/don-vi/{value}/", user="xa_quangtan"),
    Endpoint("criteria sets", "get", "/bo-tieu-chi/", REPORT, user="lanhdao"),
    Endpoint("criteria set", "get", f"/bo-tieu-chi/{SET}/", REPORT, user="xa_quangtan"),
    Endpoint("criteria set unknown code", "get", "/bo-tieu-chi/{value}/", user="lanhdao"),
    Endpoint("brief", "get", "/bao-cao-nhanh/", REPORT, user="lanhdao"),
    Endpoint("brief as commune officer", "get", "/bao-cao-nhanh/", REPORT, user="xa_quangtan"),
    Endpoint("brief xlsx", "get", "/bao-cao-nhanh/xlsx/", REPORT, user="bcd"),
    Endpoint("api summary", "get", "/api/v1/units/dam-ha/summary/", REPORT, user="lanhdao"),
    Endpoint("api summary unknown code", "get", "/api/v1/units/{value}/summary/", user="xa_quangtan"),
    Endpoint("api detail", "get", "/api/v1/units/xa-quang-tan/detail/", REPORT, user="xa_quangtan"),
    Endpoint("api detail unknown code", "get", "/api/v1/units/{value}/detail/", user="lanhdao"),
    # Record entry and verification (issue 4).
    Endpoint("entry units", "get", "/nhap-lieu/", ("unit", "date"), user="xa_quangtan"),
    Endpoint("entry unit", "get", "/nhap-lieu/xa-quang-tan/", ("include_submitted",), user="xa_quangtan"),
    Endpoint("entry unit unknown code", "get", "/nhap-lieu/{value}/", user="bcd"),
    Endpoint("entry form page", "get", f"/nhap-lieu/xa-quang-tan/{SET}/{{num}}/", ("round",), user="xa_quangtan"),
    Endpoint("entry form unknown criterion", "get", f"/nhap-lieu/xa-quang-tan/{SET}/{{value}}/", user="xa_quangtan"),
    Endpoint(
        "entry form save",
        "post",
        f"/nhap-lieu/xa-quang-tan/{SET}/{{num}}/",
        ("round", "action", *ENTRY_LINE, "@i{ind}-files"),
        user="xa_quangtan",
        baseline={"round": "{round}", "action": "submit", "i{ind}-value": "yes", "i{ind}-version": "0"},
    ),
    Endpoint(
        "entry form save as district staff",
        "post",
        f"/nhap-lieu/xa-quang-tan/{SET}/{{num}}/",
        ("round", *ENTRY_LINE),
        user="bcd",
        baseline={"round": "{round}", "action": "save", "i{ind}-value": "no", "i{ind}-version": "0"},
    ),
    Endpoint("record page", "get", "/ket-qua/xa-quang-tan/{ind}/{value}/", user="xa_quangtan"),
    Endpoint("record page unknown indicator", "get", "/ket-qua/xa-quang-tan/{value}/2022-08-19/", user="bcd"),
    Endpoint(
        "record return",
        "post",
        "/ket-qua/{record}/tra-lai/",
        ("reason", "version"),
        user="bcd",
        baseline={"reason": "Thiếu minh chứng", "version": "1"},
    ),
    Endpoint("record return unknown id", "post", "/ket-qua/{value}/tra-lai/", ("reason",), user="bcd"),
    Endpoint("queue", "get", "/duyet/", ("unit", "date"), user="bcd"),
    Endpoint("queue bulk verify", "post", "/duyet/", ("record",), user="bcd"),
    Endpoint("queue as commune officer", "post", "/duyet/", ("record",), user="xa_quangtan"),
    Endpoint("evidence unknown id", "get", "/minh-chung/{value}/", user="xa_quangtan"),
    Endpoint("rounds", "post", "/dot-bao-cao/", user="bcd", form="round"),
    Endpoint("round toggle", "post", "/dot-bao-cao/{value}/dong-mo/", user="bcd"),
    Endpoint("round completeness", "get", "/dot-bao-cao/{round}/tien-do/", ("unit", "date"), user="bcd"),
    Endpoint("round completeness unknown id", "get", "/dot-bao-cao/{value}/tien-do/", user="lanhdao"),
    # Spreadsheet import and export (issue 5).
    Endpoint("imports index", "get", "/du-lieu/", ("unit", "date", "set"), user="bcd"),
    Endpoint(
        "record template",
        "get",
        "/du-lieu/ket-qua/mau/",
        ("pair", "unit", "set", "date"),
        user="xa_quangtan",
        baseline={"unit": "xa-quang-tan", "set": SET},
    ),
    Endpoint(
        "records upload",
        "post",
        "/du-lieu/ket-qua/nhap/",
        ("unit", "@file"),
        user="xa_quangtan",
        baseline={"unit": "xa-quang-tan"},
    ),
    Endpoint("records confirm forged token", "post", "/du-lieu/ket-qua/xac-nhan/", ("token",), user="xa_quangtan"),
    Endpoint("set template", "get", "/du-lieu/bo-tieu-chi/mau/", ("set",), user="bcd"),
    Endpoint("set upload", "post", "/du-lieu/bo-tieu-chi/nhap/", ("@file",), user="admin"),
    Endpoint("set confirm forged token", "post", "/du-lieu/bo-tieu-chi/xac-nhan/", ("token",), user="admin"),
    Endpoint("records export", "get", "/du-lieu/xuat/ket-qua.xlsx", ("unit", "date", "set"), user="bcd"),
    Endpoint("records export format", "get", "/du-lieu/xuat/ket-qua.{value}", user="bcd"),
    Endpoint("summary export", "get", "/du-lieu/xuat/tong-hop.csv", ("unit", "date", "table"), user="xa_quangtan"),
    # Steering (issues 8 and 9).
    Endpoint("plans", "get", "/chi-dao/", ("unit", "date", "group", "due"), user="bcd"),
    Endpoint("commune plan", "get", "/chi-dao/ke-hoach/xa-quang-tan/", ("date", "unit"), user="xa_quangtan"),
    Endpoint("commune plan unknown code", "get", "/chi-dao/ke-hoach/{value}/", user="bcd"),
    Endpoint("plan generate", "post", "/chi-dao/ke-hoach/xa-quang-tan/{value}/tao-tu-chi-tieu-chua-dat/", user="bcd"),
    Endpoint(
        "plan item new",
        "post",
        f"/chi-dao/ke-hoach/xa-quang-tan/{SET}/chi-tieu/{{ind_code}}/them/",
        user="bcd",
        form="plan_item",
    ),
    Endpoint(
        "plan item new unknown indicator",
        "post",
        f"/chi-dao/ke-hoach/xa-quang-tan/{SET}/chi-tieu/{{value}}/them/",
        user="bcd",
    ),
    Endpoint("plan item edit", "post", "/chi-dao/nhiem-vu/{plan_item}/", user="bcd", form="plan_item"),
    Endpoint(
        "plan item edit as commune officer",
        "post",
        "/chi-dao/nhiem-vu/{plan_item}/",
        user="xa_quangtan",
        form="plan_item",
    ),
    Endpoint("plan item unknown id", "get", "/chi-dao/nhiem-vu/{value}/", user="bcd"),
    Endpoint("dossiers", "get", "/chi-dao/ho-so/", ("unit", "date"), user="bcd"),
    Endpoint("dossier", "get", "/chi-dao/ho-so/{dossier_unit}/{dossier_set}/", ("date", "unit"), user="xa_quangtan"),
    Endpoint("dossier unknown set", "get", "/chi-dao/ho-so/{dossier_unit}/{value}/", user="bcd"),
    Endpoint(
        "dossier status",
        "post",
        "/chi-dao/ho-so/{dossier_unit}/{dossier_set}/trang-thai/",
        ("status", "reason"),
        user="bcd",
        baseline={"status": "returned", "reason": "Thiếu biên bản"},
    ),
    Endpoint(
        "dossier condition",
        "post",
        "/chi-dao/ho-so/{dossier_unit}/{dossier_set}/dieu-kien/{condition}/",
        ("action", "note"),
        user="bcd",
    ),
    Endpoint(
        "dossier condition unknown id",
        "post",
        "/chi-dao/ho-so/{dossier_unit}/{dossier_set}/dieu-kien/{value}/",
        user="bcd",
    ),
    Endpoint(
        "dossier decision",
        "post",
        "/chi-dao/ho-so/{dossier_unit}/{dossier_set}/cong-nhan/",
        ("decision_number", "decision_date", "issuer"),
        user="bcd",
        baseline={"decision_number": "123/QĐ-UBND", "decision_date": "2022-09-01", "issuer": "UBND huyện"},
    ),
    Endpoint("dossier xlsx", "get", "/chi-dao/ho-so/{dossier_unit}/{dossier_set}/tong-hop.xlsx", ("date",), user="bcd"),
    Endpoint("works", "get", "/chi-dao/cong-trinh/", ("unit", "date", "status", "q"), user="lanhdao"),
    Endpoint("work new", "post", "/chi-dao/cong-trinh/them/", user="bcd", form="work"),
    Endpoint("work edit", "post", "/chi-dao/cong-trinh/{work}/", user="bcd", form="work"),
    Endpoint("work unknown id", "get", "/chi-dao/cong-trinh/{value}/", user="bcd"),
    # Accounts (issue 4).
    Endpoint(
        "officer creation",
        "post",
        "/nguoi-dung/can-bo-xa/",
        ("username", "full_name", "unit", "password"),
        user="bcd",
        baseline={
            "username": "xa_moi",
            "full_name": "Cán bộ mới",
            "unit": "{commune}",
            "password": "Mat-khau-dai-2022",
        },
    ),
    Endpoint(
        "officer creation as commune officer", "post", "/nguoi-dung/can-bo-xa/", ("username",), user="xa_quangtan"
    ),
    # The admin.
    Endpoint(
        "admin autocomplete",
        "get",
        "/admin/autocomplete/",
        ("term", "app_label", "model_name", "field_name", "page"),
        baseline={"app_label": "records", "model_name": "achievementrecord", "field_name": "unit", "term": "a"},
    ),
    *[
        Endpoint(f"admin list {m}", "get", f"/admin/{m.replace('.', '/')}/", ("q", "o", "p", "e", "_to_field"))
        for m in ADMIN_MODELS
    ],
    *[
        Endpoint(f"admin unknown id {m}", "get", f"/admin/{m.replace('.', '/')}/{{value}}/change/")
        for m in ADMIN_MODELS
    ],
    # Add and change forms are the same form except for users; the add form of users differs.
    Endpoint("admin add auth.user", "post", "/admin/auth/user/add/", ("<form>",)),
    *[
        Endpoint(f"admin change {m}", "post", f"/admin/{m.replace('.', '/')}/{{pk}}/change/", ("<form>",))
        for m in ADMIN_MODELS
    ],
]


@pytest.fixture
def walker(demo_accounts):
    """Clients per user that return error pages like a browser instead of raising."""
    from devdata.steering_demo import load_steering_demo

    load_steering_demo()
    users = {**demo_accounts, "admin": get_user_model().objects.create_superuser("walker", "w@example.vn", "x")}
    clients = {}

    def client_for(name):
        if name not in clients:
            clients[name] = Client(raise_request_exception=False)
            if name is not None:
                clients[name].force_login(users[name])
        return clients[name]

    return client_for


@pytest.fixture
def targets(walker):
    """Existing rows the endpoints' paths and fields refer to, by placeholder name."""
    from django.db.models import Count

    from communes.models import AdministrativeUnit
    from criteria.models import Criterion
    from records.models import AchievementRecord, ReportingRound
    from steering.models import DossierCondition, PlanItem, Work

    unit = AdministrativeUnit.objects.get(code="xa-quang-tan")
    # A criterion with one yes/no indicator, so that one line is the whole entry form.
    criterion = (
        Criterion.objects.filter(criteria_set__code=SET)
        .annotate(n=Count("indicators"))
        .filter(n=1, indicators__kind="boolean")
        .order_by("number")
        .first()
    )
    indicator = criterion.indicators.get()
    condition = DossierCondition.objects.order_by("pk").first()
    return {
        "num": criterion.number,
        "ind": indicator.pk,
        "ind_code": indicator.code,
        "round": ReportingRound.objects.for_unit(unit).open().get().pk,
        "record": AchievementRecord.objects.filter(unit=unit).order_by("pk").first().pk,
        "plan_item": PlanItem.objects.filter(unit=unit).order_by("pk").first().pk,
        "work": Work.objects.order_by("pk").first().pk,
        "condition": condition.pk,
        "dossier_unit": "xa-quang-tan",
        "dossier_set": condition.criteria_set.code,
        "commune": AdministrativeUnit.objects.get(code="xa-tan-lap").pk,
    }


def _forms(targets):
    """Unbound forms of the site's own pages, filled with an existing row (FORMS by name)."""
    from accounts.access import visible_units
    from entry.forms import RoundForm
    from steering.forms import PlanItemForm, WorkForm
    from steering.models import PlanItem, Work

    item = PlanItem.objects.get(pk=targets["plan_item"])
    bcd = get_user_model().objects.get(username="bcd")
    return {
        "round": RoundForm(initial={"name": "Đợt mới", "as_of": "2022-12-31", "deadline": "2023-01-15"}),
        "plan_item": PlanItemForm(instance=item, unit=item.unit),
        "work": WorkForm(instance=Work.objects.get(pk=targets["work"]), units=visible_units(bcd)),
    }


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_malformed_values_never_cause_a_server_error_or_an_unescaped_script(walker, targets, endpoint):
    client = walker(endpoint.user)
    failures = []
    for label, value in MALFORMED.items():
        for path, data in _requests(endpoint, value, targets):
            response = getattr(client, endpoint.method)(path, data)
            body = response.content.decode(errors="replace")
            if response.status_code >= 500:
                failures.append(f"{label}: {endpoint.method.upper()} {path} {_short(data)} -> {response.status_code}")
            elif SCRIPT in body:
                failures.append(f"{label}: {path} {_short(data)} echoes the script unescaped")
    assert not failures, "\n".join(failures)


def test_scripts_stored_through_forms_come_back_escaped_on_every_page(walker):
    from criteria.models import Indicator
    from records.models import AchievementRecord

    client = walker("admin")
    indicator = Indicator.objects.get(criterion__criteria_set__code="xa-ntm-2021-2025", code="17.3")
    record = AchievementRecord.objects.filter(indicator=indicator, unit__code="xa-quang-tan").latest("as_of")
    response = client.post(
        f"/admin/records/achievementrecord/{record.pk}/change/",
        {
            "unit": record.unit_id,
            "indicator": indicator.pk,
            "as_of": record.as_of.isoformat(),
            "value_bool": "true",
            "note": SCRIPT,
        },
    )
    assert response.status_code == 302
    assert AchievementRecord.objects.get(pk=record.pk).note == SCRIPT  # kept as the text typed
    unit = record.unit
    response = client.post(
        f"/admin/communes/administrativeunit/{unit.pk}/change/",
        {"code": unit.code, "name": SCRIPT, "kind": unit.kind, "parent": unit.parent_id, "region": unit.region or "",
         "commune_group": unit.commune_group or ""},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    pages = [
        "/?date=2022-08-19",
        "/?unit=xa-quang-tan&date=2022-08-19",
        "/admin/records/achievementrecord/",
        f"/admin/records/achievementrecord/{record.pk}/change/",
        "/admin/communes/administrativeunit/",
        f"/admin/communes/administrativeunit/{unit.pk}/change/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        body = response.content.decode()
        assert SCRIPT not in body, page
    assert "&lt;script&gt;" in client.get("/admin/communes/administrativeunit/").content.decode()


def test_scripts_typed_into_the_sites_own_forms_come_back_escaped_on_every_page(walker, targets):
    from records.models import AchievementRecord, ReportingRound
    from steering.models import PlanItem, Work

    officer, staff = walker("xa_quangtan"), walker("bcd")
    entry = f"/nhap-lieu/xa-quang-tan/{SET}/{targets['num']}/"
    ind = targets["ind"]
    data = {
        "round": targets["round"],
        "action": "submit",
        f"i{ind}-value": "yes",
        f"i{ind}-version": "0",
        f"i{ind}-note": SCRIPT,
    }
    assert officer.post(entry, data).status_code == 302
    record = AchievementRecord.objects.get(indicator_id=ind, unit__code="xa-quang-tan", note=SCRIPT)
    forms = _forms(targets)
    saves = [
        (f"/chi-dao/nhiem-vu/{targets['plan_item']}/", forms["plan_item"], {"action": SCRIPT, "progress_note": SCRIPT}),
        (f"/chi-dao/cong-trinh/{targets['work']}/", forms["work"], {"name": SCRIPT, "note": SCRIPT, "person": SCRIPT}),
        ("/dot-bao-cao/", forms["round"], {"name": SCRIPT}),
    ]
    for path, form, typed in saves:
        baseline = {}
        for bound in form:
            baseline.update(_widget_data(bound))
        response = staff.post(path, {**baseline, **typed})
        assert response.status_code == 302, (path, response.content.decode()[:3000])
    assert PlanItem.objects.get(pk=targets["plan_item"]).action == SCRIPT  # kept as the text typed
    assert Work.objects.get(pk=targets["work"]).name == SCRIPT
    assert ReportingRound.objects.filter(name=SCRIPT).exists()
    officer_form = {
        "username": "xa_moi",
        "full_name": SCRIPT,
        "unit": targets["commune"],
        "password": "Mat-khau-dai-2022",
    }
    assert staff.post("/nguoi-dung/can-bo-xa/", officer_form).status_code == 302
    dossier = f"/chi-dao/ho-so/{targets['dossier_unit']}/{targets['dossier_set']}/"
    staff.post(f"{dossier}trang-thai/", {"status": "returned", "reason": SCRIPT})
    staff.post(f"{dossier}dieu-kien/{targets['condition']}/", {"note": SCRIPT})

    pages = {
        officer: [entry, f"/ket-qua/xa-quang-tan/{ind}/{record.as_of.isoformat()}/", "/nhap-lieu/xa-quang-tan/",
                  "/chi-dao/ke-hoach/xa-quang-tan/", dossier],
        staff: ["/duyet/", "/chi-dao/", f"/chi-dao/nhiem-vu/{targets['plan_item']}/", "/chi-dao/cong-trinh/",
                f"/chi-dao/cong-trinh/{targets['work']}/", "/dot-bao-cao/", "/nguoi-dung/can-bo-xa/", dossier,
                "/chi-dao/ho-so/", "/bao-cao-nhanh/", "/bao-cao-nhanh/?submitted=1", "/don-vi/xa-quang-tan/?submitted=1",
                "/?submitted=1", "/api/v1/units/xa-quang-tan/detail/?submitted=1"],
        walker("admin"): [f"/admin/{m.replace('.', '/')}/" for m in ADMIN_MODELS]
        + [f"/admin/records/achievementrecord/{record.pk}/change/", f"/admin/steering/work/{targets['work']}/change/"],
    }  # fmt: skip
    shown = 0
    for client, paths in pages.items():
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            body = response.content.decode()
            assert SCRIPT not in body, path
            shown += "&lt;script&gt;" in body or "\\u003cscript" in body or '<script>alert(\\"' in body
    assert shown >= 15  # the script text is really on these pages, escaped


def _fill(text, targets):
    for name, target in targets.items():
        text = text.replace(f"{{{name}}}", str(target))
    return text


def _requests(endpoint, value, targets):
    """(path, data) pairs: the malformed value in each field in turn, the others left valid."""
    path = _fill(endpoint.path, targets)
    if "{value}" in path:
        yield path.replace("{value}", value[:LONGEST_QUERY_VALUE].replace("/", "%2F")), {}
        return
    if endpoint.fields == ("<form>",):
        yield from _admin_form_requests(endpoint, value)
        return
    baseline = {_fill(k, targets): _fill(v, targets) for k, v in endpoint.baseline.items()}
    if endpoint.form:
        form = _forms(targets)[endpoint.form]
        for bound in form:
            baseline.update(_widget_data(bound))
        for bound in form:
            if _fits(bound, value):
                yield path, {**baseline, **{name: value for name in _widget_data(bound)}}
    if endpoint.method == "get":
        value = value[:LONGEST_QUERY_VALUE]
    for name in endpoint.fields:
        name = _fill(name, targets)
        if name.startswith("@"):
            upload = SimpleUploadedFile(f"{value[:200]}.xlsx", value.encode(), "application/octet-stream")
            yield path, {**baseline, name[1:]: upload}
        else:
            yield path, {**baseline, name: value}


def _admin_form_requests(endpoint, value):
    """Each field of the admin form in turn, over a copy of an existing row's values."""
    app_label, model_name = endpoint.name.split()[-1].split(".")
    model_admin = next(a for m, a in admin.site._registry.items() if m._meta.label_lower == f"{app_label}.{model_name}")
    obj = model_admin.model.objects.order_by("pk").first()
    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(username="walker")
    change = "{pk}" in endpoint.path and obj is not None
    if change:
        path = endpoint.path.replace("{pk}", str(obj.pk))
    else:  # the add form, also for a model the demo has no row of (login attempts)
        path = endpoint.path.replace("{pk}/change", "add")
    form = model_admin.get_form(request, obj if change else None)(instance=obj)
    baseline = _inline_management_data(model_admin, request, obj)
    for bound in form:
        baseline.update(_widget_data(bound))
    for bound in form:
        if _fits(bound, value):
            yield path, {**baseline, **{name: value for name in _widget_data(bound)}}


# On form fields, the malformed values that mean something for the field's kind (a script in a
# yes/no box tests nothing new); text fields get the text values. Keeps the walk to minutes.
KINDS = [
    (forms.BooleanField, ("wrong type",)),
    ((forms.IntegerField, forms.DecimalField, forms.FloatField), ("wrong type", "huge number", "negative")),
    (
        (forms.DateField, forms.DateTimeField, forms.TimeField, forms.SplitDateTimeField),
        ("wrong type", "impossible date"),
    ),
    ((forms.ModelChoiceField, forms.ChoiceField), ("wrong type", "huge number", "unknown id", "script")),
    (forms.FileField, ("script",)),
]
TEXT = ("huge string", "script", "nul byte", "odd unicode")


def _fits(bound, value):
    """Whether the malformed `value` is one worth trying on this form field."""
    label = next(k for k, v in MALFORMED.items() if v == value)
    kinds = next((labels for classes, labels in KINDS if isinstance(bound.field, classes)), TEXT)
    return label in kinds and not _overflows_sqlite(bound, value)


def _overflows_sqlite(bound, value):
    # Django lets SQLite's OverflowError out of ModelMultipleChoiceField (PostgreSQL, the
    # production database, answers with a form error; CI walks this case there).
    return value == MALFORMED["huge number"] and isinstance(bound.field, ModelMultipleChoiceField) and _on_sqlite()


def _on_sqlite():
    from django.db import connection

    return connection.vendor == "sqlite"


def _widget_data(bound):
    """A bound field's current value as the browser would post it."""
    value = bound.value()
    widget = bound.field.widget
    if isinstance(widget, MultiWidget):
        parts = widget.decompress(value)
        return {f"{bound.html_name}_{i}": "" if p is None else str(p) for i, p in enumerate(parts)}
    if isinstance(value, bool):
        return {bound.html_name: "on"} if value else {}
    if isinstance(value, (list, tuple)):
        return {bound.html_name: [str(v) for v in value]}
    return {bound.html_name: "" if value is None else str(value)}


def _inline_management_data(model_admin, request, obj):
    data = {}
    for formset, _inline in model_admin.get_formsets_with_inlines(request, obj):
        prefix = formset(instance=obj).prefix
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def _short(data):
    return {k: (v[:40] + "…" if isinstance(v, str) and len(v) > 40 else v) for k, v in data.items()}


def test_a_nul_byte_in_the_address_gets_a_vietnamese_400(db, client):
    response = client.get("/healthz", {"unit": "a\x00b"})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_an_impossible_date_in_a_record_address_is_not_found(walker, targets):
    response = walker("xa_quangtan").get(f"/ket-qua/xa-quang-tan/{targets['ind']}/2022-02-30/")
    assert response.status_code == 404


def test_a_record_number_too_long_for_the_database_verifies_nothing(walker):
    response = walker("bcd").post("/duyet/", {"record": ["9" * 40]}, follow=True)
    assert response.status_code == 200
    assert "Chưa chọn kết quả nào để duyệt." in response.content.decode()


def test_a_nul_byte_in_the_path_gets_a_vietnamese_400(walker):
    response = walker("lanhdao").get("/don-vi/a%00b/")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_a_nul_byte_in_a_posted_unit_code_is_not_found(walker):
    response = walker("xa_quangtan").post(
        "/du-lieu/ket-qua/nhap/", {"unit": "a\x00b", "file": SimpleUploadedFile("a.xlsx", b"x")}
    )
    assert response.status_code == 404
