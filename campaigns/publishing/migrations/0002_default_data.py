"""Start with each channel's late limit and the dispatcher's lock row (editable data afterwards)."""

from django.db import migrations

LATE_LIMIT_MINUTES = {
    # A festival banner or pop-up is wrong hours after its moment; a story still reads well the next day.
    "banner": 6 * 60,
    "taobao_popup": 6 * 60,
    "livestream": 60,
    "offline_event": 2 * 60,
    "tmall_article": 24 * 60,
    "short_video": 24 * 60,
    "kol_post": 24 * 60,
    "red_post": 24 * 60,
    "wechat_article": 24 * 60,
}


def install(apps, schema_editor):
    ChannelLateLimit = apps.get_model("publishing", "ChannelLateLimit")
    DispatcherLock = apps.get_model("publishing", "DispatcherLock")
    for channel, minutes in LATE_LIMIT_MINUTES.items():
        ChannelLateLimit.objects.get_or_create(channel=channel, defaults={"limit_minutes": minutes})
    DispatcherLock.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("publishing", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
