"""Building upload files for the import tests."""

import io
from datetime import date

from criteria.imports import RECORD_HEADERS, RECORD_SHEET
from criteria.spreadsheets import write_csv, write_xlsx

MEETING = date(2022, 8, 19)


def upload(data, name="ket-qua.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return f


def record_row(unit, set_code, code, value, as_of=MEETING, note=""):
    return [unit, "", set_code, code, "", "", as_of, value, note]


def record_file(rows, headers=RECORD_HEADERS, name="ket-qua.xlsx"):
    if name.endswith(".csv"):
        return upload(write_csv(headers, rows), name)
    return upload(write_xlsx([(RECORD_SHEET, headers, rows)]), name)


def record_snapshot():
    """Every record as comparable tuples, to show a failed import changed nothing."""
    from criteria.models import AchievementRecord

    return sorted(
        AchievementRecord.objects.values_list("unit_id", "indicator_id", "as_of", "value_bool", "value_number", "is_met", "note")
    )
