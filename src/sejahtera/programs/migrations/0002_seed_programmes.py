from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from sejahtera.programs.catalogue import PROGRAMMES, REGENCY

    Agency = apps.get_model("accounts", "Agency")
    Programme = apps.get_model("programs", "Programme")
    EligibilityRule = apps.get_model("programs", "EligibilityRule")
    now = timezone.now()
    for (code, name, agency, target, benefit, amount, period, quota, budget, ranking, group, rule,
         description) in PROGRAMMES:
        programme = Programme.objects.create(
            regency_code=REGENCY, code=code, name=name, agency=Agency.objects.get(code=agency), target=target,
            benefit=benefit, amount=amount, period=period, quota=quota, budget=budget, ranking=ranking,
            exclusive_group=group, description=description)
        EligibilityRule.objects.create(programme=programme, version=1, text=rule, published_at=now,
                                       note="Seeded rule of the regency plan")


def unseed(apps, schema_editor):
    from sejahtera.programs.catalogue import PROGRAMMES

    codes = [row[0] for row in PROGRAMMES]
    apps.get_model("programs", "EligibilityRule").objects.filter(programme__code__in=codes).delete()
    apps.get_model("programs", "Programme").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial"), ("accounts", "0002_seed_agencies")]
    operations = [migrations.RunPython(seed, unseed)]
