"""Every URL pattern the project defines, taken from Django's URL resolver, filled with real values.

Walks built on this cover a new page without being edited: `routes()` lists every pattern (the
site's, the admin's, auth's, the health probes), and `urls_for(route, bindings)` fills its
parameters from *bindings*: dicts of values that belong together (a unit code with a set it is
enrolled in, one of that set's criteria, an indicator, a record of that unit...), built from the
database under test by `bindings_from_db()`. A route that no binding can fill raises
`UnfilledRoute`, so a new kind of parameter fails the walk loudly instead of being skipped.

Parameter names map to binding keys by name (`code`, `unit_code` -> the unit's code, ...);
integer ids whose meaning depends on the page (`pk`) are named per route in ROUTE_KEYS, and the
admin's `object_id` takes a row of the model the route belongs to.
"""

import re
from dataclasses import dataclass
from itertools import islice, product

from django.apps import apps
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

# What an id in a site URL stands for, per route name: {route name: {parameter: binding key}}.
# A new page with an `<int:pk>` needs one line here (the walk says so when it is missing).
ROUTE_KEYS = {
    "entry:record_return": {"pk": "record"},
    "entry:evidence": {"pk": "evidence"},
    "entry:round_toggle": {"pk": "round"},
    "entry:round_completeness": {"pk": "round"},
    "steering:plan_item": {"pk": "plan_item"},
    "steering:work": {"pk": "work"},
    "steering:dossier_condition": {"condition_pk": "condition"},
}
# Parameters whose binding key is another name, on every route.
PARAM_KEYS = {"unit_code": "code"}
# Values that do not depend on the data.
CONSTANTS = {
    "fmt": ["xlsx", "csv"],
    "uidb64": ["MQ"],
    "token": ["set-password"],
}
# An id no table holds, for "unknown row" paths.
UNKNOWN_ID = 987654321
_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\((?!\?)[^()]*\)|\(\?P<(?P<name>\w+)>[^()]*\)")


class UnfilledRoute(LookupError):
    """No binding has every value this route needs: add the values (or a ROUTE_KEYS line)."""


@dataclass(frozen=True)
class Route:
    """One URL pattern: its name, its full pattern (prefixes joined) and what fills it."""

    name: str | None
    pattern: str
    is_regex: bool
    params: tuple
    # For the admin's per-model routes, "app_label.model_name" of the model whose rows fill them.
    model: str | None = None

    @property
    def label(self):
        return self.name or self.pattern


def routes(urlconf=None):
    """Every pattern of `urlconf` (the project's by default), nested includes flattened."""
    return list(_walk(get_resolver(urlconf).url_patterns, "", None, None, False))


def _walk(patterns, prefix, namespace, model, is_regex):
    for entry in patterns:
        text, regex = _pattern_text(entry.pattern)
        joined = prefix + text
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, joined, inner, model or _admin_model(joined), is_regex or regex)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Route(name, joined, is_regex or regex, _params(joined, is_regex or regex), model)


def _pattern_text(pattern):
    if isinstance(pattern, RoutePattern):
        return str(pattern), False
    if isinstance(pattern, RegexPattern):
        return pattern.regex.pattern.lstrip("^").rstrip("$"), True
    return str(pattern), False


def _admin_model(prefix):
    """'admin/records/achievementrecord/' -> 'records.achievementrecord' for registered models."""
    match = re.fullmatch(r"admin/(\w+)/(\w+)/", prefix)
    if match is None:
        return None
    label = f"{match[1]}.{match[2]}"
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    return label if model in admin.site._registry else None


def _slots(pattern, is_regex):
    """[(text in the pattern, parameter)] for every parameter, in order: regex groups (named, or
    numbered from 0) where the pattern is a regex, then route converters such as <str:code>."""
    slots, rest = [], pattern
    if is_regex:
        position = 0
        for match in _REGEX_GROUP.finditer(pattern):
            if match["name"]:
                slots.append((match[0], match["name"]))
            else:
                slots.append((match[0], position))
                position += 1
        rest = _REGEX_GROUP.sub("", pattern)
    slots += [(m[0], m["name"]) for m in _ROUTE_PARAM.finditer(rest)]
    return slots


def _params(pattern, is_regex):
    return tuple(param for _, param in _slots(pattern, is_regex))


def binding_key(route, param):
    """The binding key that fills `param` of `route`."""
    if route.model is not None and param in ("object_id", "id", 0):
        return route.model
    if route.model is not None and param == 1:  # simple_history's history form: (object id, history id)
        return f"history:{route.model}"
    return ROUTE_KEYS.get(route.name, {}).get(param) or PARAM_KEYS.get(param, param)


def urls_for(route, bindings, limit=None):
    """Concrete paths for `route`, one per distinct filling by `bindings` (and CONSTANTS).

    Raises UnfilledRoute when no binding has every value the route needs. The catch-all admin
    route is filled with a path that exists nowhere.
    """
    if route.is_regex and route.params == ("url",):
        return ["/" + route.pattern.split("(")[0] + "no-such-page/"]
    keys = {param: binding_key(route, param) for param in route.params}
    seen, paths = set(), []
    for binding in bindings:
        values = {**{k: v[0] for k, v in CONSTANTS.items()}, **binding}
        if not all(values.get(key) not in (None, "") for key in keys.values()):
            continue
        filling = tuple(str(values[key]) for key in keys.values())
        for variant in _constant_variants(route, keys, values):
            if (filling, variant) in seen:
                continue
            seen.add((filling, variant))
            paths.append(_fill(route, {**values, **dict(variant)}, keys))
    if route.params and not paths:
        missing = sorted({key for key in keys.values() if not any(b.get(key) not in (None, "") for b in bindings)})
        raise UnfilledRoute(
            f"{route.label}: no binding has {', '.join(map(str, missing)) or 'all of its values together'}"
        )
    if not route.params:
        paths = ["/" + route.pattern]
    return list(islice(paths, limit))


def _constant_variants(route, keys, values):
    """One variant per combination of the constants a route takes (both formats of an export)."""
    constants = [key for key in keys.values() if key in CONSTANTS]
    return [tuple(zip(constants, choice)) for choice in product(*(CONSTANTS[key] for key in constants))]


def _fill(route, values, keys):
    path = route.pattern
    for text, param in _slots(route.pattern, route.is_regex):
        path = path.replace(text, str(values[keys[param]]), 1)
    return "/" + path


def bindings_from_db(units=None, per_model=2):
    """Bindings for every enrolled unit (or those in `units`), and rows of every admin model.

    Each unit binding holds the unit's code, one of its sets with a criterion, an indicator and
    the unit's latest record date for it, and, where they exist, one of the unit's records,
    evidence files, rounds, plan items, works, dossiers with a condition. Each admin binding
    holds one row id of one registered model (and a history id where the model keeps history).
    """
    from communes.models import AdministrativeUnit
    from criteria.models import Enrolment, Indicator
    from records.models import AchievementRecord, Evidence, ReportingRound
    from steering.models import Dossier, DossierCondition, PlanItem, Work

    unit_rows = AdministrativeUnit.objects.order_by("code")
    if units is not None:
        unit_rows = unit_rows.filter(pk__in=[getattr(u, "pk", u) for u in units])
    bindings = []
    for unit in unit_rows:
        base = {
            "code": unit.code,
            "round": _first(ReportingRound.objects.for_unit(unit).order_by("-as_of")),
            "record": _first(AchievementRecord.objects.filter(unit=unit).order_by("-as_of", "pk")),
            "evidence": _first(Evidence.objects.filter(record__unit=unit)),
            "plan_item": _first(PlanItem.objects.filter(unit=unit)),
            "work": _first(Work.objects.filter(unit=unit)),
        }
        bindings.append(base)
        for enrolment in Enrolment.objects.filter(unit=unit).select_related("criteria_set"):
            criteria_set = enrolment.criteria_set
            indicator = (
                Indicator.objects.filter(criterion__criteria_set=criteria_set).select_related("criterion").first()
            )
            if indicator is None:
                bindings.append({**base, "set_code": criteria_set.code})
                continue
            latest = (
                AchievementRecord.objects.filter(unit=unit, indicator=indicator)
                .order_by("-as_of")
                .values_list("as_of", flat=True)
                .first()
            )
            dossier = Dossier.objects.filter(unit=unit, criteria_set=criteria_set).first()
            condition = DossierCondition.objects.filter(criteria_set=criteria_set).first()
            bindings.append(
                {
                    **base,
                    "set_code": criteria_set.code,
                    "number": indicator.criterion.number,
                    "indicator_id": indicator.pk,
                    "indicator_code": indicator.code,
                    "as_of": latest.isoformat() if latest else None,
                    "condition": condition.pk if condition and dossier else None,
                }
            )
    from django.contrib.contenttypes.models import ContentType

    first_unit = unit_rows.first()
    if first_unit is not None:  # the admin's "view on site" redirect
        bindings.append(
            {"content_type_id": ContentType.objects.get_for_model(AdministrativeUnit).pk, "object_id": first_unit.pk}
        )
    bindings += [{"app_label": label} for label in sorted({m._meta.app_label for m in admin.site._registry})]
    for model in admin.site._registry:
        label = model._meta.label_lower
        history = getattr(model, "history", None)
        for obj in model._default_manager.order_by("pk")[:per_model]:
            binding = {label: obj.pk}
            if history is not None and hasattr(history, "model"):
                binding[f"history:{label}"] = _first(history.model.objects.filter(id=obj.pk), "history_id")
            bindings.append(binding)
        # An id that exists nowhere: every admin route also answers for a row that is not there.
        bindings.append({label: UNKNOWN_ID, f"history:{label}": UNKNOWN_ID})
    return bindings


def add_evidence(record, user=None, name="bien-ban.pdf"):
    """A small PDF attached to `record` through the service, so evidence routes have a row."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from records.services import evidence_add

    upload = SimpleUploadedFile(name, b"%PDF-1.4 walker\n", content_type="application/pdf")
    return evidence_add(record=record, upload=upload, user=user)


def _first(queryset, field="pk"):
    return queryset.values_list(field, flat=True).first()
