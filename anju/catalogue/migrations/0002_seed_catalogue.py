from django.db import migrations


def seed(apps, schema_editor):
    from anju.catalogue.seed import ITEMS

    CatalogueItem = apps.get_model("catalogue", "CatalogueItem")
    CatalogueItem.objects.bulk_create(
        [
            CatalogueItem(code=code, category=category, name=name, description=description,
                          position=index)
            for index, (code, category, name, description) in enumerate(ITEMS)
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
