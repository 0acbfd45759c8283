from django.db import migrations


def relabel(apps, schema_editor):
    from sejahtera.monitoring.seed import relabel as write

    write(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0004_quarterly_report")]
    operations = [migrations.RunPython(relabel, migrations.RunPython.noop)]
