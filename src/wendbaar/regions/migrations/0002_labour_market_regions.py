"""Create the 35 arbeidsmarktregio's so that `wendbaar migrate` alone gives a usable platform."""

from django.db import migrations

from wendbaar.regions.constants import LABOUR_MARKET_REGIONS


def create_regions(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    for code, name in LABOUR_MARKET_REGIONS:
        Region.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(create_regions, migrations.RunPython.noop)]
