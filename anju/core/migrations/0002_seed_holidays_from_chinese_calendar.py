"""Seed the holiday table from chinese-calendar, so a fresh `anju migrate` counts the official
holidays and make-up working days (2004–2026); later years are the city office's to enter."""

from django.db import migrations


def seed(apps, schema_editor):
    from anju.core.calendar import seed_holidays

    seed_holidays(apps.get_model("core", "Holiday"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
