"""Rewrite existing unit codes that are not slugs (a `/`, a space, a Vietnamese letter), so every
page listing them can link to them again. Each change is printed; codes are natural keys in
spreadsheets, so the printed list tells staff which codes to use from now on."""

import re
import unicodedata

from django.db import migrations

SLUG = re.compile(r"^[-a-zA-Z0-9_]+\Z")


def _slug(code):
    text = unicodedata.normalize("NFKD", code.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^-a-zA-Z0-9_]+", "-", text).strip("-")[:28] or "don-vi"


def codes_to_slugs(apps, schema_editor):
    Unit = apps.get_model("communes", "AdministrativeUnit")
    taken = set(Unit.objects.values_list("code", flat=True))
    for unit in Unit.objects.order_by("pk"):
        if SLUG.match(unit.code):
            continue
        base = _slug(unit.code)
        new, n = base, 1
        while new in taken:
            n += 1
            new = f"{base}-{n}"
        print(f"\n  communes: mã đơn vị {unit.code!r} -> {new!r}", end="")
        taken.add(new)
        Unit.objects.filter(pk=unit.pk).update(code=new)


class Migration(migrations.Migration):
    dependencies = [("communes", "0004_unit_code_slug")]

    operations = [migrations.RunPython(codes_to_slugs, migrations.RunPython.noop)]
