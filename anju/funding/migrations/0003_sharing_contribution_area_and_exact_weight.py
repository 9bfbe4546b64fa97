"""A household's contribution line keeps the exclusive area it was weighed by, and a weight
exact enough for coefficient (3 places) × area (2 places)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("funding", "0002_seed_reference")]

    operations = [
        migrations.AddField(
            model_name="householdcontribution",
            name="area",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True),
        ),
        migrations.AlterField(
            model_name="householdcontribution",
            name="weight",
            field=models.DecimalField(decimal_places=6, max_digits=20),
        ),
    ]
