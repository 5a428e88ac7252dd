"""`{% plotly_styles %}`: plotly.js's stylesheet as a static file, and placeholders that keep the
bundle from injecting <style> elements the Content-Security-Policy refuses (reports/plotly_css.py)."""

from functools import lru_cache

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join

from reports.plotly_css import bundle_path, guarded_style_ids

register = template.Library()


@lru_cache(maxsize=1)
def _placeholder_ids():
    return tuple(guarded_style_ids(bundle_path().read_text(encoding="utf-8")))


@register.simple_tag
def plotly_styles():
    """The <link> plotly.js recognises as its own rules, then one empty element per guarded style."""
    link = format_html(
        '<link rel="stylesheet" id="plotly.js-style-global" class="no-inline-styles" href="{}">',
        static("css/plotly.css"),
    )
    placeholders = format_html_join("", '<template id="{}"></template>', ((i,) for i in _placeholder_ids()))
    return link + placeholders
