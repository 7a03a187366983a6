"""Load the 88 WZ 2008 divisions as industries."""

from django.db import migrations


def load_divisions(apps, schema_editor):
    from kundenbild.wz2008 import DIVISIONS

    Industry = apps.get_model("customers", "Industry")
    Industry.objects.bulk_create(
        [
            Industry(code=d.code, section=d.section, name_de=d.name_de, name_en=d.name_en)
            for d in DIVISIONS
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]
    operations = [migrations.RunPython(load_divisions, migrations.RunPython.noop)]
