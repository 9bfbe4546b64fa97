from django.db import migrations


def seed(apps, schema_editor):
    from anju.catalogue.seed import seed_design_reference

    seed_design_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_design_reference_data")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
