"""Creatives keep the facts of a size mismatch, not a sentence in the uploader's language.

Existing warnings are recomputed from the image's size and the channel's sizes of today, then the text
column goes.
"""

from django.db import migrations, models


def facts_from_sizes(apps, schema_editor):
    Creative = apps.get_model("campaigns", "Creative")
    CreativeSize = apps.get_model("campaigns", "CreativeSize")
    sizes = {}
    for size in CreativeSize.objects.all():
        sizes.setdefault(size.channel, []).append(size)
    for creative in Creative.objects.exclude(size_warning="").select_related("image", "item"):
        channel = creative.item.channel
        expected = sizes.get(channel, [])
        width, height = creative.image.width, creative.image.height
        if expected and not any((s.width, s.height) == (width, height) for s in expected):
            creative.size_check = {
                "width": width,
                "height": height,
                "channel": channel,
                "expected": [[s.name, s.width, s.height] for s in expected],
            }
            creative.save(update_fields=["size_check"])


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0005_content_publishing_statuses"),
    ]

    operations = [
        migrations.AddField(
            model_name="creative",
            name="size_check",
            field=models.JSONField(blank=True, default=dict, verbose_name="size check"),
        ),
        migrations.RunPython(facts_from_sizes, migrations.RunPython.noop),
        migrations.RemoveField(model_name="creative", name="size_warning"),
    ]
