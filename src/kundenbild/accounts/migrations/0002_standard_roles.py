"""Create the six standard roles with their capabilities."""

from django.db import migrations

ROLES = {
    # code: (view_finance, edit_own, edit_all, import_data, manage_users)
    "management": (True, True, True, False, False),
    "kam": (True, True, False, False, False),
    "sales": (True, True, False, False, False),
    "service": (False, False, False, False, False),
    "controller": (True, False, False, True, False),
    "admin": (True, True, True, True, True),
}


def create_roles(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, (finance, own, all_, imports, users) in ROLES.items():
        Role.objects.get_or_create(
            code=code,
            defaults={
                "can_view_finance": finance,
                "can_edit_own_customers": own,
                "can_edit_all_customers": all_,
                "can_import_data": imports,
                "can_manage_users": users,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
