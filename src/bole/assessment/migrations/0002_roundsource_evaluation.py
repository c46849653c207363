import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The multi-rater link becomes a real foreign key once the evaluation app exists (no rows yet)."""

    dependencies = [
        ("assessment", "0001_initial"),
        ("evaluation", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="RoundSource"),
        migrations.CreateModel(
            name="RoundSource",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("evaluation", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                                 to="evaluation.evaluation", verbose_name="测评")),
                ("indicator", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                                to="assessment.indicator")),
                ("round", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="sources",
                                            to="assessment.round")),
            ],
            options={
                "verbose_name": "评议来源",
                "constraints": [models.UniqueConstraint(fields=("round", "indicator"), name="round_source_unique")],
            },
        ),
    ]
