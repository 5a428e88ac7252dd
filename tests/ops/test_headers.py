"""Security headers: a Content-Security-Policy that allows only the site's own scripts and styles,
templates that need nothing more, and no-store on whatever a signed-in user receives."""

import base64
import hashlib
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from criteria.models import Indicator
from records.models import ReportingRound
from records.services import Entry, entry_save

PROJECT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    [*PROJECT.glob("templates/**/*.html"), *PROJECT.glob("*/templates/**/*.html")],
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _policy(response):
    return dict(
        (part.split()[0], part.split()[1:]) for part in response["Content-Security-Policy"].split(";") if part.strip()
    )


def test_every_page_carries_a_policy_allowing_only_the_sites_own_scripts_and_styles(demo_accounts, client):
    login = client.get("/accounts/login/")
    client.force_login(demo_accounts["lanhdao"])
    overview = client.get("/")
    for response in (login, overview):
        policy = _policy(response)
        assert policy["script-src"] == ["'self'", "'unsafe-hashes'", settings.IMPORT_EXPORT_HANDLER_HASH]
        assert policy["style-src"][0] == "'self'" and "'unsafe-inline'" not in policy["style-src"]
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert not any("http" in source for sources in policy.values() for source in sources)


def test_the_one_inline_handler_allowed_is_the_import_export_templates_exactly():
    import import_export

    template = Path(import_export.__file__).parent / "templates/admin/import_export/export.html"
    (handler,) = re.findall(r'\son[a-z]+="([^"]*)"', template.read_text())
    digest = base64.b64encode(hashlib.sha256(handler.encode()).digest()).decode()
    assert settings.IMPORT_EXPORT_HANDLER_HASH == f"'sha256-{digest}'"


def test_the_error_pages_inline_style_is_exactly_the_one_the_policy_allows():
    block = re.search(r"<style>(.*?)</style>", (PROJECT / "templates/error_base.html").read_text(), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
    assert settings.ERROR_PAGE_STYLE_HASH == f"'sha256-{digest}'"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(PROJECT)))
def test_no_template_needs_inline_script_handlers_or_style_attributes(template):
    text = template.read_text()
    scripts = [tag for tag in re.findall(r"<script\b[^>]*>", text) if "src=" not in tag]
    assert scripts == []  # data travels by json_script, which Django renders as type="application/json"
    assert re.findall(r"\son[a-z]+\s*=", text) == []
    assert re.findall(r"\sstyle\s*=", text) == []
    if template.name != "error_base.html":
        assert "<style" not in text


def test_plotly_css_is_what_the_pinned_plotly_js_would_inject():
    from reports.plotly_css import bundle_path, css_from_bundle

    assert (PROJECT / "static/css/plotly.css").read_text() == css_from_bundle(bundle_path().read_text())


def _evidence(accounts):
    officer = accounts["xa_quangtan"]
    (record,) = entry_save(
        unit=officer.profile.unit,
        reporting_round=ReportingRound.objects.get(unit__code="dam-ha", as_of=date(2022, 8, 19)),
        entries=[
            Entry(
                indicator=Indicator.objects.get(criterion__criteria_set__code="xa-ntm-nang-cao-2021-2025", code="13.7"),
                value_bool=True,
                files=[SimpleUploadedFile("bb.pdf", PDF)],
            )
        ],
        submit=True,
        user=officer,
    )
    return record.evidence.get()


def test_signed_in_pages_exports_evidence_and_the_api_are_never_stored(demo_accounts, client, settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    evidence = _evidence(demo_accounts)
    client.force_login(demo_accounts["bcd"])
    for url in [
        "/",
        "/don-vi/xa-quang-tan/",
        "/bao-cao-nhanh/xlsx/",
        "/du-lieu/xuat/ket-qua.xlsx",
        "/api/v1/units/dam-ha/summary/",
        f"/minh-chung/{evidence.pk}/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_static_files_keep_their_own_caching_for_a_signed_in_user(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_health_probe_never_loads_a_session_for_the_header(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/healthz").status_code == 200
