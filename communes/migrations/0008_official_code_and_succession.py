"""Mã ĐVHC on units, and a date, share and source on each succession link.

The links keep their table (the plain many-to-many's): the through model takes it over in the
state only, then gains its new columns.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("communes", "0007_fill_unit_paths"),
    ]

    operations = [
        migrations.AddField(
            model_name="administrativeunit",
            name="official_code",
            field=models.CharField(
                blank=True,
                max_length=8,
                null=True,
                unique=True,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[0-9]+\\Z", "Mã ĐVHC chỉ gồm chữ số (ví dụ: 06913).", code="invalid_official_code"
                    )
                ],
                verbose_name="mã ĐVHC",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="UnitSuccession",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "predecessor",
                            models.ForeignKey(
                                db_column="from_administrativeunit_id",
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="successions",
                                to="communes.administrativeunit",
                                verbose_name="đơn vị cũ",
                            ),
                        ),
                        (
                            "successor",
                            models.ForeignKey(
                                db_column="to_administrativeunit_id",
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="succeeded",
                                to="communes.administrativeunit",
                                verbose_name="đơn vị mới",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "kế thừa đơn vị hành chính",
                        "verbose_name_plural": "kế thừa đơn vị hành chính",
                        "db_table": "communes_administrativeunit_successors",
                        "unique_together": {("predecessor", "successor")},
                    },
                ),
                migrations.AlterField(
                    model_name="administrativeunit",
                    name="successors",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="predecessors",
                        through="communes.UnitSuccession",
                        through_fields=("predecessor", "successor"),
                        to="communes.administrativeunit",
                        verbose_name="đơn vị kế thừa",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="unitsuccession",
            name="share",
            field=models.CharField(
                choices=[("whole", "Toàn bộ"), ("part", "Một phần")],
                default="whole",
                max_length=8,
                verbose_name="toàn bộ hay một phần",
            ),
        ),
        migrations.AddField(
            model_name="unitsuccession",
            name="effective_on",
            field=models.DateField(blank=True, null=True, verbose_name="ngày hiệu lực"),
        ),
        migrations.AddField(
            model_name="unitsuccession",
            name="source",
            field=models.CharField(blank=True, max_length=300, verbose_name="nguồn"),
        ),
        migrations.AddConstraint(
            model_name="unitsuccession",
            constraint=models.CheckConstraint(
                condition=models.Q(("predecessor", models.F("successor")), _negated=True),
                name="unit_succession_not_itself",
            ),
        ),
    ]
