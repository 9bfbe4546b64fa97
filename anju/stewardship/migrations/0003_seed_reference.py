from django.db import migrations


def seed(apps, schema_editor):
    from anju.stewardship.seed import seed_stewardship_reference

    seed_stewardship_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("stewardship", "0002_coverage_governance_reports")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
