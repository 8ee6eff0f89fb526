"""The link takes the name ``kol``; the free text stays, as ``kol_text``, only where 0010 could not match it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0010_kol_links")]

    operations = [
        migrations.RenameField(model_name="contentitem", old_name="kol", new_name="kol_text"),
        migrations.AlterField(
            model_name="contentitem",
            name="kol_text",
            field=models.CharField(blank=True, max_length=120, verbose_name="KOL as typed before"),
        ),
        migrations.RenameField(model_name="contentitem", old_name="kol_ref", new_name="kol"),
    ]
