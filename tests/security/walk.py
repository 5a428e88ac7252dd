"""The security walk: every URL pattern (from the resolver) as every role, GET and POST.

Reading: every unit-owned row carries its unit's marker (tests/security/conftest.py); a response
may show only the markers of units the role may read. Writing: each request runs in a savepoint
that is rolled back afterwards, so every request starts from the same database; the SQL it sent
says which tables it wrote, and those tables are compared row by row with the state before. A
changed row must belong to a unit the role may change and be of a kind the role may write.

The rules are written here from the roles' definitions (docs/workflow.md), not read from
accounts.access, so the walk checks the access module instead of repeating it.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from tests.security.conftest import BASIC, MARKER
from tests.security.forms import forms_of
from tests.urlwalk import bindings_from_db, routes, urls_for

ANONYMOUS, SUPERUSER = None, "quantri"
OFFICERS = {"xa_quangtan": "xa-quang-tan", "xa_tanlap": "xa-tan-lap"}
# District staff of Đầm Hà, and the province's staff (who own the province's criteria set).
STAFF = {"bcd": "dam-ha", "bcd_tinh": "quang-ninh"}
ROLES = [ANONYMOUS, "xa_quangtan", "xa_tanlap", "lanhdao", "bcd", "bcd_tinh", SUPERUSER]
# Units whose pages and rows the walk fills URLs with: both officers' communes, the district, a
# commune of another district, the province.
WALK_UNITS = ["xa-quang-tan", "xa-tan-lap", "dam-ha", "xa-khac", "quang-ninh"]
# What a visitor who is not signed in may open: logging in (and recovering a password), the
# language switch, the health probes. Everything else sends them to a login page or refuses.
ANONYMOUS_ROUTES = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    "healthz",
    "readyz",
    "admin:login",
}
# Where rows belong: lookup paths from a row to unit codes. AdministrativeUnit rows belong to
# their parent (and to themselves once they exist); sent reminders to what their key names.
OWNER_PATHS = {
    "communes.administrativeunit": ["parent__code"],
    "communes.unitsuccession": ["predecessor__code", "successor__code"],
    "criteria.enrolment": ["unit__code"],
    "criteria.recognition": ["unit__code"],
    "records.reportinground": ["unit__code"],
    "records.achievementrecord": ["unit__code"],
    "records.evidence": ["record__unit__code"],
    "steering.office": ["unit__code"],
    "steering.planitem": ["unit__code"],
    "steering.dossier": ["unit__code"],
    "steering.work": ["unit__code"],
    "steering.work_criteria": ["work__unit__code"],
    "steering.conditionconfirmation": ["dossier__unit__code"],
    "accounts.profile": ["unit__code"],
    "auth.user": ["profile__unit__code"],
    "auth.user_groups": ["user__profile__unit__code"],
    # How a province writes its reports: the province's (its staff change them).
    "reports.reportsettings": ["unit__code"],
    "reports.basicstandardthreshold": ["settings__unit__code"],
}
# Criteria sets and what hangs off them, with the path to their set: changed by the set's owner
# only (administrators; the province's staff for a provincial set of their province).
REFERENCE_MODELS = {
    "criteria.criteriaset": "",
    "criteria.criterion": "criteria_set__",
    "criteria.indicator": "criterion__criteria_set__",
    "criteria.threshold": "indicator__criterion__criteria_set__",
    "steering.dossiercondition": "criteria_set__",
}
PROVINCE_OWNED = ("provincial", "quang-ninh")
ACCOUNT_MODELS = {"accounts.profile", "auth.user", "auth.user_groups"}
# What a commune officer may write: their own commune's records, evidence and plan items.
OFFICER_MODELS = {"records.achievementrecord", "records.evidence", "steering.planitem"}
# Never compared: sessions, login records, the admin's own change log and the history tables
# (both audit trails written alongside a change; the change itself is what is judged).
EXCLUDED_APPS = {"sessions", "axes"}
EXCLUDED_MODELS = {"admin.logentry"}
_WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)', re.IGNORECASE)
_KEY = re.compile(r"^(plan|work|record):(\d+):")
STRONG_PASSWORD = "Mat-khau-dai-2022!"
# Text inputs whose value the walk changes (names, notes, reasons): a change the form accepts.
_CHANGED_TEXT = ("name", "note", "text", "action", "person", "issuer", "reason", "source", "sources", "subject")


def _is_excluded(model):
    opts = model._meta
    is_history = any(f.name == "history_id" for f in opts.fields)
    return opts.app_label in EXCLUDED_APPS or opts.label_lower in EXCLUDED_MODELS or is_history


@dataclass
class Tally:
    gets: int = 0
    posts: int = 0
    patterns: int = 0
    marked: int = 0  # responses that showed the role's own markers: the oracle sees data
    writes: dict = field(default_factory=dict)  # role -> requests that changed rows
    failures: list = field(default_factory=list)

    @property
    def requests(self):
        return self.gets + self.posts


class Walk:
    """Clients per role over the `site` fixture, the paths of every route, and the checks."""

    def __init__(self, accounts):
        self.accounts = accounts
        self.tally = Tally()
        self.clients, self.session_keys = {}, {}
        for role in ROLES:
            client = Client(raise_request_exception=False)
            if role is not None:
                client.force_login(accounts[role])
                self.session_keys[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
            self.clients[role] = client
        from communes.models import AdministrativeUnit

        parents = dict(AdministrativeUnit.objects.values_list("code", "parent__code"))
        self.unit_codes = dict(AdministrativeUnit.objects.values_list("pk", "code"))
        self.areas = {unit: {code for code in parents if _under(code, unit, parents)} for unit in STAFF.values()}
        self.routes = routes()
        self.tally.patterns = len(self.routes)
        self.bindings = bindings_from_db(units=AdministrativeUnit.objects.filter(code__in=WALK_UNITS), per_model=1)
        self.bindings += _admin_bindings()
        self.tables = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
        self._baseline = {}

    # --- the paths --------------------------------------------------------------------------

    def paths(self):
        """[(route, path)] for every route: each filling by the bindings, and for a page that
        takes its unit from the query string, that page for each walked unit."""
        out = []
        for route in self.routes:
            for path in urls_for(route, self.bindings):
                out.append((route, path))
                if route.name and not route.params and not route.name.startswith("admin:"):
                    for code in WALK_UNITS:
                        out.append((route, f"{path}?unit={code}&pair={code}%7C{BASIC}&set={BASIC}"))
        return out

    # --- one request ------------------------------------------------------------------------

    def request(self, role, method, path, data=None):
        """Send one request as `role` in a savepoint that is rolled back; returns (response,
        changed rows [(label, pk, before, after)])."""
        client = self.clients[role]
        client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
        if role is not None:  # a logout or a login in the previous request must not stick
            client.cookies[settings.SESSION_COOKIE_NAME] = self.session_keys[role]
        else:
            client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
        changes = []
        connection.queries_log.clear()  # the log keeps 9,000 queries: a full one captures nothing
        try:
            with transaction.atomic():
                with CaptureQueriesContext(connection) as queries:
                    if method == "get":
                        response = client.get(path)
                    else:
                        response = client.post(path, data or {})
                    body = _body(response)
                written = {m for m in (_WRITE.match(q["sql"]) for q in queries.captured_queries) if m}
                models = {self.tables[m[1]] for m in written if m[1] in self.tables}
                changes = [c for model in models if not _is_excluded(model) for c in self._diff(model)]
                raise _RolledBack
        except _RolledBack:
            pass
        except (DatabaseError, TransactionManagementError) as error:
            # The view left the transaction unusable: nothing it did survives, but say so.
            self.fail(role, method, path, f"transaction broken: {error}")
            response, body = None, b""
        if method == "get":
            self.tally.gets += 1
        else:
            self.tally.posts += 1
        return response, body, changes

    def _rows(self, model):
        fields = [f.attname for f in model._meta.concrete_fields]
        return {row[0]: row for row in model._base_manager.order_by("pk").values_list("pk", *fields)}

    def _owners(self, model):
        label = model._meta.label_lower
        if label == "notices.notification":
            return {pk: self._key_owner(key) for pk, key in model._base_manager.values_list("pk", "key")}
        owners = {}
        for path in OWNER_PATHS.get(label, []):
            for pk, code in model._base_manager.values_list("pk", path):
                owners.setdefault(pk, set())
                if code:
                    owners[pk].add(code)
        if label == "communes.administrativeunit":  # a unit that existed belongs to itself too
            for pk in owners:
                if pk in self.unit_codes:
                    owners[pk].add(self.unit_codes[pk])
        return owners

    def _key_owner(self, key):
        from records.models import AchievementRecord
        from steering.models import PlanItem, Work

        match = _KEY.match(key or "")
        if match is None:
            return set()
        model = {"plan": PlanItem, "work": Work, "record": AchievementRecord}[match[1]]
        return set(model._base_manager.filter(pk=match[2]).values_list("unit__code", flat=True))

    def baseline(self, model):
        label = model._meta.label_lower
        if label not in self._baseline:
            # Read once, outside any request: every request's savepoint is rolled back.
            self._baseline[label] = (self._rows(model), self._owners(model), self._extra(model))
        return self._baseline[label]

    def _extra(self, model):
        """Per row, what the rules need beyond its owner: a record's status, an account's role."""
        label = model._meta.label_lower
        if label == "records.achievementrecord":
            return dict(model._base_manager.values_list("pk", "status"))
        if label in ("auth.user", "accounts.profile"):
            path = "profile__role" if label == "auth.user" else "role"
            return dict(model._base_manager.values_list("pk", path))
        if label == "auth.user_groups":
            return dict(model._base_manager.values_list("pk", "user__profile__role"))
        if label in REFERENCE_MODELS:  # whose set: (scope, issuing province)
            prefix = REFERENCE_MODELS[label]
            rows = model._base_manager.values_list("pk", f"{prefix}scope", f"{prefix}province__code")
            return {pk: (scope, province) for pk, scope, province in rows}
        return {}

    def _diff(self, model):
        rows_before, owners_before, extra_before = self._baseline_outside(model)
        rows_after, owners_after, extra_after = self._rows(model), self._owners(model), self._extra(model)
        label = model._meta.label_lower
        changed = []
        for pk in set(rows_before) | set(rows_after):
            if rows_before.get(pk) != rows_after.get(pk):
                changed.append(
                    Change(
                        label,
                        pk,
                        rows_before.get(pk),
                        rows_after.get(pk),
                        owners_before.get(pk, set()) | owners_after.get(pk, set()),
                        {extra_before.get(pk), extra_after.get(pk)} - {None},
                    )
                )
        return changed

    def _baseline_outside(self, model):
        label = model._meta.label_lower
        if label not in self._baseline:
            raise AssertionError(f"{label}: no baseline read before the walk (call prime())")
        return self._baseline[label]

    def prime(self):
        """Read every compared table before the first request."""
        for model in self.tables.values():
            if not _is_excluded(model):
                self.baseline(model)

    # --- the checks -------------------------------------------------------------------------

    def fail(self, role, method, path, message):
        self.tally.failures.append(f"{role or 'anonymous'} {method.upper()} {path}: {message}")

    def check(self, role, method, path, response, body, changes):
        if response is None:
            return
        status = response.status_code
        name, is_admin = route_of(path)
        if status >= 500:
            self.fail(role, method, path, f"answered {status}")
        if role is ANONYMOUS and name not in ANONYMOUS_ROUTES and not _refused_or_sent_to_login(response):
            self.fail(role, method, path, f"open to anonymous visitors ({status})")
        if role in (*OFFICERS, "lanhdao") and is_admin and name != "admin:login":
            if not _refused_or_sent_to_login(response):
                self.fail(role, method, path, f"the admin let a non-staff account in ({status})")
        if role != SUPERUSER and status < 300:
            seen = set(MARKER.findall(body.decode("utf-8", errors="replace")))
            self.tally.marked += bool(seen)
            foreign = seen - self.readable(role)
            if foreign:
                self.fail(role, method, path, f"shows data of {sorted(foreign)}")
        if changes:
            key = role or "anonymous"
            self.tally.writes[key] = self.tally.writes.get(key, 0) + 1
        for change in changes:
            if method == "get":
                self.fail(role, method, path, f"a GET changed {change}")
            elif not self.may_write(role, change):
                self.fail(role, method, path, f"changed {change}")

    def readable(self, role):
        if role in OFFICERS:
            return {OFFICERS[role]}
        if role == "lanhdao":
            return self.areas["dam-ha"]
        if role in STAFF:
            return self.areas[STAFF[role]]
        return set()

    def may_write(self, role, change):
        if role == SUPERUSER:
            return True
        user = self.accounts.get(role)
        if user is not None and change.label == "auth.user" and change.pk == user.pk:
            return True  # one's own account: password, last login
        if role in (ANONYMOUS, "lanhdao") or not (change.owners or change.label in REFERENCE_MODELS):
            return False
        if role in OFFICERS:
            if change.label not in OFFICER_MODELS or change.owners != {OFFICERS[role]}:
                return False
            # Never a verified record: an officer's correction is a new pending one.
            return change.label != "records.achievementrecord" or "verified" not in change.extra
        # Staff: rows of their area; accounts only of officers; a set only the province's own.
        if change.label in REFERENCE_MODELS:
            return role == "bcd_tinh" and change.extra == {PROVINCE_OWNED}
        if change.label not in OWNER_PATHS and change.label != "notices.notification":
            return False
        if change.label in ACCOUNT_MODELS and change.extra != {"commune_officer"}:
            return False
        return change.owners <= self.areas[STAFF[role]]


@dataclass(frozen=True)
class Change:
    label: str
    pk: object
    before: tuple | None
    after: tuple | None
    owners: set
    extra: set

    def __str__(self):
        kind = "added" if self.before is None else "deleted" if self.after is None else "changed"
        owner = "reference data" if self.label in REFERENCE_MODELS else sorted(self.owners) or "no unit"
        return f"{self.label} #{self.pk} {kind} (of {owner})"


class _RolledBack(Exception):
    pass


def _under(code, ancestor, parents):
    while code is not None:
        if code == ancestor:
            return True
        code = parents.get(code)
    return False


def _body(response):
    """The response's bytes; an .xlsx (zip) is unpacked so its text can be searched."""
    if getattr(response, "streaming", False):
        # Reading to the end closes it the test client's way; response.close() would send
        # request_finished, which closes the database connection of the test's transaction.
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        except zipfile.BadZipFile:
            pass
    return data


def _refused_or_sent_to_login(response):
    if response.status_code in (400, 401, 403, 404, 405):
        return True
    # The admin's logout sends a non-staff account to the admin index, which sends it to login.
    location = response.get("Location", "")
    return response.status_code == 302 and ("/login/" in location or location == "/admin/")


def _admin_bindings():
    """For every admin model, rows that belong to each walked unit, to the national, provincial
    and test sets, or the first rows: an admin route is walked for each."""
    from django.db.models import Q

    from criteria.models import CriteriaSet
    from tests.security.conftest import NATIONAL_SET, PROVINCIAL_SET

    sets = list(CriteriaSet.objects.filter(code__in=[BASIC, NATIONAL_SET, PROVINCIAL_SET]).values_list("pk", flat=True))
    set_paths = {
        "criteria.criteriaset": "pk",
        "criteria.criterion": "criteria_set",
        "criteria.indicator": "criterion__criteria_set",
        "steering.dossiercondition": "criteria_set",
    }
    bindings = []
    for model in admin.site._registry:
        label = model._meta.label_lower
        manager = model._default_manager.order_by("pk")
        if label == "communes.administrativeunit":
            groups = [manager.filter(code=code) for code in WALK_UNITS]
        elif label in OWNER_PATHS:
            path = OWNER_PATHS[label][0]
            groups = [manager.filter(**{path: code}) for code in WALK_UNITS]
        elif label in set_paths:
            groups = [manager.filter(Q(**{set_paths[label]: pk})) for pk in sets]
        else:
            groups = [manager]
        history = getattr(model, "history", None)
        for rows in groups:
            obj = rows.first()
            if obj is None:
                continue
            binding = {label: obj.pk}
            if history is not None and hasattr(history, "model"):
                binding[f"history:{label}"] = (
                    history.model.objects.filter(id=obj.pk).values_list("history_id", flat=True).first()
                )
            bindings.append(binding)
    return bindings


def post_targets(walk, pages):
    """(path, data) to POST: each form a superuser was shown on `pages` ({path: html}), posted to
    its action with its values changed, and every walked path with no form posted empty."""
    forms = {}
    for page_path, html in pages.items():
        for form in forms_of(html):
            if form.method != "post":
                continue
            action = urljoin(page_path, form.action) if form.action else page_path
            parts = urlsplit(action)
            action = parts.path + (f"?{parts.query}" if parts.query else "")
            known = forms.setdefault(action, {})
            signature = tuple(sorted({name for name, _ in form.fields}))
            known.setdefault(signature, form)
    targets = []
    for action, by_signature in forms.items():
        for form in list(by_signature.values())[:2]:
            targets += [(action, data) for data in _variants(form)]
    posted = {action for action in forms}
    for _route, path in walk.paths():
        if path not in posted:
            targets.append((path, {}))
            posted.add(path)
    return targets


def _variants(form):
    """The form as shown with its names, notes and passwords changed; and the same with every
    single choice moved to its last option. A changelist's action form deletes what it lists."""
    data = form.data()
    for name in form.text_fields:
        if isinstance(data.get(name), list):
            continue
        short = name.rsplit("-", 1)[-1]
        if name in form.textareas or short.endswith(_CHANGED_TEXT):
            data[name] = f"{data[name]} đổi" if data.get(name) else "Giá trị thử"
        elif short in ("username", "code") and not data.get(name):  # an add form: a new row
            data[name] = "tai_khoan_thu" if short == "username" else "ma-thu"
    for name in form.password_fields:
        data[name] = STRONG_PASSWORD
    if "_selected_action" in form.checkboxes:  # the admin changelist: bulk delete, confirmed
        data.update(action="delete_selected", _selected_action=form.checkboxes["_selected_action"], post="yes")
    last = dict(data)
    for name, options in form.options.items():
        if options and name not in form.multiple and name != "action":
            last[name] = options[-1]
    return [data] if last == data else [data, last]


def route_of(path):
    """(route name, whether it is an admin route) of `path`."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None, False
    return match.view_name, match.route.startswith("admin/")
