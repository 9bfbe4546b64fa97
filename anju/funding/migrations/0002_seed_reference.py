from django.db import migrations


def seed(apps, schema_editor):
    from anju.funding.seed import seed_funding_reference

    seed_funding_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
