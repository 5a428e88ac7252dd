"""Day-first input formats (see ntm_dashboard/formats/__init__.py); display formats stay Django's."""

from ntm_dashboard.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS  # noqa: F401
