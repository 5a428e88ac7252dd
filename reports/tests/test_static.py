"""Nothing is loaded from another host; plotly.js comes from the pinned plotly package."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)
CSS_EXTERNAL = re.compile(r"""(?:url\(\s*["']?(?:https?:)?//|@import\s+["']?(?:url\()?\s*["']?(?:https?:)?//)""", re.I)


def _templates():
    return sorted(ROOT.glob("templates/**/*.html")) + sorted(ROOT.glob("*/templates/**/*.html"))


def test_no_template_references_another_host():
    offenders = [str(p) for p in _templates() if EXTERNAL.search(p.read_text(encoding="utf-8"))]
    assert _templates()
    assert offenders == []


def test_no_stylesheet_or_script_of_ours_fetches_from_another_host():
    files = sorted(ROOT.glob("static/**/*.css")) + sorted(ROOT.glob("static/**/*.js"))
    assert files
    offenders = [str(p) for p in files if CSS_EXTERNAL.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


@pytest.mark.parametrize(
    "url", ["/", "/bao-cao-nhanh/", "/don-vi/xa-quang-tan/", "/bo-tieu-chi/xa-ntm-2021-2025/", "/accounts/login/"]
)
def test_rendered_pages_reference_no_other_host(demo_accounts, client, url):
    if url != "/accounts/login/":
        client.force_login(demo_accounts["lanhdao"])
    html = client.get(url).content.decode()
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    assert '<script src="/static/vendor/plotly/plotly.min.js">' in html or url in (
        "/don-vi/xa-quang-tan/",
        "/bo-tieu-chi/xa-ntm-2021-2025/",
        "/accounts/login/",
    )


def test_plotly_is_found_in_the_pinned_package_only():
    path = finders.find("vendor/plotly/plotly.min.js")
    assert path and Path(path).parts[-3:] == ("plotly", "package_data", "plotly.min.js")
    assert finders.find("vendor/plotly/widgetbundle.js") is None
    assert not (ROOT / "static" / "vendor").exists()


def test_collectstatic_gives_plotly_a_compressed_hashed_name(tmp_path, settings):
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", "-v0")
    names = {p.name for p in (tmp_path / "vendor" / "plotly").iterdir()}
    hashed = {n for n in names if re.fullmatch(r"plotly\.min\.[0-9a-f]{12}\.js", n)}
    assert hashed and f"{hashed.pop()}.gz" in names
    assert not (tmp_path / "vendor" / "plotly" / "widgetbundle.js").exists()
