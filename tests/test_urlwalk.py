"""The URL walker itself: it finds every pattern the project defines and fills each one with a path
that Django resolves back to that pattern."""

import pytest
from django.urls import Resolver404, resolve

from tests.urlwalk import (
    UnfilledRoute,
    add_evidence,
    bindings_from_db,
    routes,
    urls_for,
)


def test_the_walker_lists_the_site_the_admin_and_the_probes():
    names = {route.name for route in routes()}
    for name in (
        "reports:unit",
        "entry:entry",
        "steering:dossier_xlsx",
        "io:records_export",
        "login",
        "healthz",
        "admin:records_achievementrecord_change",
        "admin:records_achievementrecord_simple_history",
    ):
        assert name in names, name


def test_every_route_is_filled_with_a_path_that_resolves_back_to_it(demo, settings, tmp_path):
    from devdata.steering_demo import load_steering_demo
    from records.models import AchievementRecord

    settings.EVIDENCE_ROOT = tmp_path
    load_steering_demo()
    add_evidence(AchievementRecord.objects.filter(unit__code="xa-quang-tan").first())
    bindings = bindings_from_db()
    for route in routes():
        paths = urls_for(route, bindings, limit=3)
        assert paths, route.label
        for path in paths:
            if route.is_regex and route.params == ("url",):
                continue  # the admin's catch-all: a path that exists nowhere
            try:
                match = resolve(path)
            except Resolver404:
                pytest.fail(f"{route.label}: {path} does not resolve")
            if route.name:
                assert match.view_name == route.name, (route.label, path, match.view_name)


def test_a_route_whose_values_are_unknown_fails_loudly(db):
    route = next(r for r in routes() if r.name == "steering:work")
    with pytest.raises(UnfilledRoute, match="work"):
        urls_for(route, [{"code": "xa-a"}])
