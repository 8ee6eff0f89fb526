"""A fresh installation starts with the default completeness rules (managers edit them afterwards)."""

from django.db import migrations

DEFAULT_RULES = [
    ("name_it", ""),
    ("name_en", ""),
    ("name_zh_hans", ""),
    ("description_it", ""),
    ("description_en", ""),
    ("description_zh_hans", ""),
    ("story_it", ""),
    ("region", ""),
    ("city", ""),
    ("founded_year", ""),
    ("website", ""),
    ("logo", ""),
    ("stores", ""),
    ("products", ""),
    ("contacts", ""),
    ("story_zh_hans", "tmall_global"),
    ("cover", "tmall_global"),
    ("products_zh_hans", "tmall_global"),
    ("products_zh_hans", "hema"),
]


def install(apps, schema_editor):
    rule = apps.get_model("brands", "CompletenessRule")
    for field, platform in DEFAULT_RULES:
        rule.objects.get_or_create(field=field, platform=platform)


class Migration(migrations.Migration):
    dependencies = [("brands", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
