# Reasons are stored as a code and its numbers, rendered through gettext when shown.
# Values of earlier runs keep their German and English texts under the code "text".

from django.db import migrations, models

BATCH = 2_000


def _batches(queryset):
    """The rows in batches by primary key: the table is written while it is read."""
    last = 0
    while batch := list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH]):
        yield batch
        last = batch[-1].pk


def texts_to_values(apps, schema_editor):
    CustomerValue = apps.get_model("insights", "CustomerValue")
    for batch in _batches(CustomerValue.objects.only("pk", "reason_de", "reason_en")):
        for value in batch:
            value.reason_code = "text"
            value.reason_values = {"de": value.reason_de, "en": value.reason_en}
        CustomerValue.objects.bulk_update(batch, ["reason_code", "reason_values"])


def values_to_texts(apps, schema_editor):
    from kundenbild.reason_text import reason_text

    CustomerValue = apps.get_model("insights", "CustomerValue")
    for batch in _batches(CustomerValue.objects.only("pk", "reason_code", "reason_values")):
        for value in batch:
            value.reason_de = reason_text(value.reason_code, value.reason_values, "de")
            value.reason_en = reason_text(value.reason_code, value.reason_values, "en")
        CustomerValue.objects.bulk_update(batch, ["reason_de", "reason_en"])


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0005_work_item_dismissal"),
    ]

    operations = [
        migrations.AddField(
            model_name="customervalue",
            name="reason_code",
            field=models.CharField(
                default="text",
                help_text="why the customer has its value type, as a code of the analysis",
                max_length=32,
                verbose_name="reason (code)",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="customervalue",
            name="reason_values",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="the numbers the reason quotes, by name",
                verbose_name="numbers of the reason",
            ),
        ),
        migrations.RunPython(texts_to_values, values_to_texts),
        # on the way back the texts return empty, until values_to_texts has worded them
        migrations.AlterField(
            model_name="customervalue",
            name="reason_de",
            field=models.TextField(default="", verbose_name="reason (German)"),
        ),
        migrations.AlterField(
            model_name="customervalue",
            name="reason_en",
            field=models.TextField(default="", verbose_name="reason (English)"),
        ),
        migrations.RemoveField(
            model_name="customervalue",
            name="reason_de",
        ),
        migrations.RemoveField(
            model_name="customervalue",
            name="reason_en",
        ),
    ]
