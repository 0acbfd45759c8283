from django.db import migrations


def seed(apps, schema_editor):
    from sejahtera.monitoring.seed import seed as write

    write(apps, schema_editor)


def unseed(apps, schema_editor):
    from sejahtera.monitoring.seed import unseed as remove

    remove(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial"), ("accounts", "0002_seed_agencies")]
    operations = [migrations.RunPython(seed, unseed)]
