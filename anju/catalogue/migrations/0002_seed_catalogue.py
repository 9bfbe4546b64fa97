from django.db import migrations


def seed(apps, schema_editor):
    from anju.catalogue.seed import seed_catalogue

    seed_catalogue(apps.get_model("catalogue", "CatalogueItem"))


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
