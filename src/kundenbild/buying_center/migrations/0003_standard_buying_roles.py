"""Create the six buying roles of Webster & Wind."""

from django.db import migrations

CODES = ["initiator", "user", "influencer", "decider", "buyer", "gatekeeper"]


def create_roles(apps, schema_editor):
    BuyingRole = apps.get_model("buying_center", "BuyingRole")
    for code in CODES:
        BuyingRole.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("buying_center", "0002_buying_roles_influence_attitude")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
