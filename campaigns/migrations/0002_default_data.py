"""Start with the shopping calendar of CALENDAR.md, the channels' requirements and common banner sizes.

All of it is editable data afterwards; this migration only fills an empty installation.
"""

from django.db import migrations

from campaigns.festivals import DEFAULT_FESTIVALS

CHANNEL_RULES = {
    # channel: (required languages, needs a creative)
    "tmall_article": (["zh-hans"], True),
    "banner": (["zh-hans"], True),
    "short_video": (["zh-hans"], False),
    "livestream": (["zh-hans"], False),
    "kol_post": (["zh-hans"], False),
    "taobao_popup": (["zh-hans"], False),
    "red_post": (["zh-hans"], True),
    "wechat_article": (["zh-hans"], True),
    "offline_event": (["zh-hans", "en"], False),
}
CREATIVE_SIZES = [
    ("banner", "Tmall PC full-width poster", 1920, 540),
    ("banner", "Tmall mobile banner", 750, 390),
    ("tmall_article", "Tmall Brand Hub article cover", 750, 422),
    ("wechat_article", "WeChat article cover", 900, 383),
    ("red_post", "RED note cover (3:4)", 1242, 1660),
]


def install(apps, schema_editor):
    festival_model = apps.get_model("campaigns", "Festival")
    if not festival_model.objects.exists():
        by_key = {}
        for spec in DEFAULT_FESTIVALS:
            rule, window, lead = spec.rule, spec.window, spec.lead
            by_key[spec.key] = festival_model.objects.create(
                key=spec.key,
                name=spec.name_it,
                name_it=spec.name_it,
                name_en=spec.name_en,
                name_zh_hans=spec.name_zh,
                rule_kind=rule.kind,
                month=rule.month,
                day=rule.day,
                weekday=rule.weekday,
                nth=rule.nth,
                day_offset=rule.day_offset,
                length_days=rule.length_days,
                window_start=window.start,
                window_peak=window.peak,
                window_end=window.end,
                content_due_days=lead.content_due,
                ship_by_days=lead.ship_by,
                signup_days=lead.signup,
                categories=list(spec.categories),
                notes=spec.notes_en,
            )
        for spec in DEFAULT_FESTIVALS:
            if spec.rule.anchor:
                festival_model.objects.filter(key=spec.key).update(anchor=by_key[spec.rule.anchor])
    rule_model = apps.get_model("campaigns", "ChannelRule")
    for channel, (languages, needs_creative) in CHANNEL_RULES.items():
        rule_model.objects.get_or_create(
            channel=channel, defaults={"required_languages": languages, "needs_creative": needs_creative}
        )
    size_model = apps.get_model("campaigns", "CreativeSize")
    if not size_model.objects.exists():
        size_model.objects.bulk_create(
            [size_model(channel=c, name=n, width=w, height=h) for c, n, w, h in CREATIVE_SIZES]
        )


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
