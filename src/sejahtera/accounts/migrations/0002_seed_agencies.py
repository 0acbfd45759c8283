from django.db import migrations


def seed(apps, schema_editor):
    from sejahtera.accounts.agencies import AGENCIES

    Agency = apps.get_model("accounts", "Agency")
    for code, short_name, name in AGENCIES:
        Agency.objects.update_or_create(code=code, defaults={"short_name": short_name, "name": name})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
