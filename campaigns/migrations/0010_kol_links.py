"""The content items' free-text KOL becomes a link to a KOL record.

Each distinct text is read by ``campaigns.kol_names`` (full-width forms, case, spaces, a trailing platform in brackets,
Chinese and Latin forms of one name); the texts that name the same person become one KOL (named by the form written
most often, with an account on each platform the texts named), or link to a KOL already on record. Nothing is made of
placeholders (``TBD``, ``待定``), of several people in one text, or of a Latin name two KOLs share: those items keep
their text in ``kol`` (renamed ``kol_text`` by 0011), where staff see and fix them (KOLs › Names not matched), and the
migration prints them with their reason. Items whose text was linked lose the text: the link says it all.

Run again (after a rollback of 0011 and 0010) it finds the KOLs it made and links to them: nothing is made twice.
"""

import sys
from collections import defaultdict

from django.db import migrations

from brands.search import build_search_text
from campaigns import kol_names


def link_kols(apps, schema_editor, out=None):
    out = out or sys.stdout
    ContentItem = apps.get_model("campaigns", "ContentItem")
    Kol = apps.get_model("campaigns", "Kol")
    KolAccount = apps.get_model("campaigns", "KolAccount")
    items = defaultdict(list)
    for pk, text in ContentItem.objects.exclude(kol="").values_list("pk", "kol").order_by("pk").iterator():
        items[text].append(pk)
    if not items:
        return
    known = list(Kol.objects.values_list("pk", "name", "name_zh"))
    # Each item's text counts once: the form most items carry names a new KOL.
    matching = kol_names.match([text for text, pks in items.items() for _pk in pks], known=known)
    created = linked = 0
    for person in matching.people:
        if not person.texts:
            continue
        if person.kol_id is None:
            name, name_zh = person.latin[:120], person.zh[:120]
            kol = Kol.objects.create(
                name=name, name_zh=name_zh, tags=" ", search_text=build_search_text(name, name_zh)
            )
            person.kol_id = kol.pk
            created += 1
        for platform in sorted(person.platforms):
            KolAccount.objects.get_or_create(kol_id=person.kol_id, platform=platform)
        pks = [pk for text in dict.fromkeys(person.texts) for pk in items[text]]
        linked += ContentItem.objects.filter(pk__in=pks).update(kol_ref_id=person.kol_id, kol="")
    out.write(f"\nKOL names: {linked} content items linked to {len(matching.people)} KOLs ({created} created).\n")
    if matching.unmatched:
        seen = {}
        for entry in matching.unmatched:
            seen.setdefault(entry.text, entry)
        out.write(
            f"Could not match {len(seen)} names; their items keep the text (KOL as typed before), listed for staff "
            "under KOLs > Names not matched:\n"
        )
        for text, entry in seen.items():
            reason = kol_names.REASONS_EN[entry.reason]
            if entry.candidates:
                reason += ": " + ", ".join(entry.candidates)
            numbers = ", ".join(str(pk) for pk in items[text][:10]) + (" ..." if len(items[text]) > 10 else "")
            out.write(f"  {text!r} (items {numbers}): {reason}\n")


def unlink_kols(apps, schema_editor):
    """Back to free text: each linked item gets its KOL's name again (the KOLs themselves stay)."""
    ContentItem = apps.get_model("campaigns", "ContentItem")
    for item in ContentItem.objects.filter(kol_ref__isnull=False).select_related("kol_ref"):
        kol = item.kol_ref
        item.kol = (kol.name_zh or kol.name)[:120]
        item.kol_ref = None
        item.save(update_fields=["kol", "kol_ref"])


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0009_kols_and_livestreams")]

    operations = [migrations.RunPython(link_kols, unlink_kols)]
