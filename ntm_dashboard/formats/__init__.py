"""Input formats for Django forms (the admin's date fields): day first, as Vietnamese offices type dates.

Django's own "vi" locale defines no input formats, so dates typed in a form fell back to the
default list, which reads 01/07/2025 month first (7 January). Both languages read day first
here; the spreadsheet imports use `shared.cells.parse_date`, which also refuses ambiguous forms.
"""

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
