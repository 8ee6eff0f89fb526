"""Creatives uploaded before their files became private: move them and their renditions under ``private/``.

New creatives are stored there by ``creative_add``; the public media view refuses that prefix and S3 gives it
only presigned URLs. Files are copied first and the originals deleted only once the rows are committed, so a
failed migration leaves every image where its row says it is. A file missing from the storage is not an error:
the row is moved all the same, so nothing of it can be served publicly later.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations, transaction

PRIVATE = "private/"


def _moved(name: str, to_private: bool, originals: list[str]) -> str:
    target = PRIVATE + name if to_private else name.removeprefix(PRIVATE)
    if not name or name == target:
        return name
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as source:
            target = default_storage.save(target, ContentFile(source.read()))
        originals.append(name)
    return target


def _move_creative_images(apps, to_private: bool) -> None:
    Creative = apps.get_model("campaigns", "Creative")
    ImageAsset = apps.get_model("brands", "ImageAsset")
    assets = ImageAsset.objects.filter(pk__in=Creative.objects.values("image_id"))
    assets = assets.exclude(file__startswith=PRIVATE) if to_private else assets.filter(file__startswith=PRIVATE)
    originals: list[str] = []
    for asset in assets.iterator():
        asset.file = _moved(asset.file.name, to_private, originals)
        asset.renditions = {key: _moved(path, to_private, originals) for key, path in asset.renditions.items()}
        asset.save(update_fields=["file", "renditions"])

    def delete_originals():
        for name in originals:
            default_storage.delete(name)

    transaction.on_commit(delete_originals)


def forwards(apps, schema_editor):
    _move_creative_images(apps, to_private=True)


def backwards(apps, schema_editor):
    _move_creative_images(apps, to_private=False)


class Migration(migrations.Migration):
    dependencies = [
        ("brands", "0003_brand_documents"),
        ("campaigns", "0003_content_version_and_workflow_actions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
