from django.db import migrations


def seed(apps, schema_editor):
    from anju.construction.seed import seed_construction_reference

    seed_construction_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("construction", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
