"""A `{# … #}` comment spanning lines is not a comment to Django: the page prints it (the
per-child overview and brief showed their developer notes to readers)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNCLOSED = re.compile(r"\{#(?:(?!#\}).)*$", re.M)


def test_no_template_opens_a_one_line_comment_it_does_not_close_on_that_line():
    templates = [
        p for p in ROOT.glob("**/templates/**/*.html") if ".venv" not in p.parts and "node_modules" not in p.parts
    ]
    assert templates
    found = [
        f"{p.relative_to(ROOT)}:{p.read_text().count(chr(10), 0, m.start()) + 1}"
        for p in templates
        for m in UNCLOSED.finditer(p.read_text())
    ]
    assert found == [], "use {% comment %} for a comment over several lines: " + ", ".join(found)
