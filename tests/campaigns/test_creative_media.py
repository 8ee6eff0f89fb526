"""Creatives are private files: served only through an access-checked view, never by the public media view."""

import importlib

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.urls import reverse

from brands.images import image_store
from campaigns.choices import ContentStatus
from tests.campaigns.conftest import ZH_TEXTS, add_creative, ingested, make_item, move
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def banner(campaign, editor, brand):
    """A banner featuring ``brand``, with one creative, still a draft."""
    item = make_item(campaign, author=editor, channel="banner", brands=[brand], **ZH_TEXTS)
    creative = add_creative(item, user=editor)
    return item, creative


@pytest.fixture
def other_brand_user(other_brand):
    user = UserFactory(username="other-brand")
    MembershipFactory(user=user, brand=other_brand)
    return user


def test_creative_is_served_to_staff_as_a_private_image(client_for, manager, banner):
    _, creative = banner
    response = client_for(manager).get(creative.image_url("thumb"))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert response["Cache-Control"].startswith("private") and "public" not in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize("rendition", ["original", "thumb", "square", "banner"])
def test_every_rendition_of_a_creative_is_served(client_for, editor, banner, rendition):
    _, creative = banner
    assert client_for(editor).get(creative.image_url(rendition)).status_code == 200


def test_unknown_rendition_of_a_creative_is_404(client_for, manager, banner):
    _, creative = banner
    url = reverse("campaigns:creative_image", kwargs={"pk": creative.pk, "rendition": "huge"})
    assert client_for(manager).get(url).status_code == 404


def test_anonymous_user_gets_404_for_a_creative(client_for, banner):
    _, creative = banner
    assert client_for(None).get(creative.image_url()).status_code == 404


def test_another_brands_user_gets_404_for_a_creative(client_for, editor, manager, banner, other_brand_user):
    item, creative = banner
    move(item, to=ContentStatus.APPROVED, editor=editor, manager=manager)
    assert client_for(other_brand_user).get(creative.image_url()).status_code == 404


def test_brand_user_sees_their_brands_creative_only_once_the_item_is_approved(
    client_for, editor, manager, brand_user, banner
):
    item, creative = banner
    assert client_for(brand_user).get(creative.image_url()).status_code == 404  # Double 11 banners stay in-house.
    move(item, to=ContentStatus.APPROVED, editor=editor, manager=manager)
    response = client_for(brand_user).get(creative.image_url())
    assert response.status_code == 200 and response["Cache-Control"].startswith("private")


def test_creative_files_are_private_and_the_public_media_view_refuses_them(client_for, manager, banner, media_root):
    _, creative = banner
    names = [creative.image.file.name, *creative.image.renditions.values()]
    assert all(name.startswith("private/images/") for name in names)
    assert all((media_root / name).is_file() for name in names)
    client = client_for(manager)
    for name in names:
        assert client.get(f"/media/{name}").status_code == 404
    assert client.get(f"/media/images/../{names[0]}").status_code == 404
    assert client.get(f"/media/PRIVATE/{names[0].removeprefix('private/')}").status_code == 404


def test_brand_images_stay_public(client, media_root):
    asset = image_store(ingested(size=(400, 400)))
    assert not asset.file.name.startswith("private/")
    response = client.get(asset.rendition_url("square"))
    assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_private_creative_is_handed_to_nginx_with_x_accel_redirect(client_for, manager, banner, settings):
    settings.MEDIA_X_ACCEL_REDIRECT = True
    _, creative = banner
    response = client_for(manager).get(creative.image_url("square"))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/internal-media/" + creative.image.renditions["square"]
    assert response["Content-Type"] == "image/png" and response["Cache-Control"].startswith("private")


def test_item_page_shows_creatives_through_the_access_checked_view(client_for, manager, banner):
    item, creative = banner
    page = client_for(manager).get(item.get_absolute_url()).content.decode()
    assert f'src="{creative.thumb_url}"' in page
    assert "/media/" not in page


def test_migration_moves_existing_creative_images_under_private(banner, media_root, django_capture_on_commit_callbacks):
    migration = importlib.import_module("campaigns.migrations.0004_creative_images_private")
    _, creative = banner
    logo = image_store(ingested(size=(300, 300)))
    with django_capture_on_commit_callbacks(execute=True):
        migration.backwards(apps, None)  # The layout before this change: creatives under images/.
    creative.image.refresh_from_db()
    old_names = [creative.image.file.name, *creative.image.renditions.values()]
    assert all(name.startswith("images/") and default_storage.exists(name) for name in old_names)

    with django_capture_on_commit_callbacks(execute=True):
        migration.forwards(apps, None)
    creative.image.refresh_from_db()
    new_names = [creative.image.file.name, *creative.image.renditions.values()]
    assert new_names == ["private/" + name for name in old_names]
    assert all(default_storage.exists(name) for name in new_names)
    assert not any(default_storage.exists(name) for name in old_names)
    logo.refresh_from_db()
    assert not logo.file.name.startswith("private/") and default_storage.exists(logo.file.name)
