"""Logo and cover uploads through the brand edit page: bad files are form errors and nothing is stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from brands.models import Brand, ImageAsset
from tests.brands.test_images import bilevel_png, make_image, noise_jpeg
from tests.utils import stored_files

pytestmark = pytest.mark.django_db


def post_logo(client, brand, data: bytes, name: str):
    url = reverse("brands:brand_update", kwargs={"slug": brand.slug})
    form = client.get(url).context["form"]
    payload = {k: v for k, v in form.initial.items() if isinstance(v, str | int) and v is not None}
    for prefix in ("stores", "products", "certifications", "contacts"):
        payload.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    payload["logo_upload"] = SimpleUploadedFile(name, data)
    return client.post(url, payload)


def test_good_logo_is_stored_with_renditions_and_shown(client_for, editor, brand, media_root):
    response = post_logo(client_for(editor), brand, make_image("PNG", size=(900, 900)), "logo.png")
    assert response.status_code == 302
    brand = Brand.objects.get(pk=brand.pk)
    assert brand.logo is not None and set(brand.logo.renditions) == {"thumb", "square", "banner"}
    assert len(stored_files(media_root)) == 4
    assert "logo.png" not in str(stored_files(media_root))
    page = client_for(editor).get(brand.get_absolute_url()).content.decode()
    assert brand.logo.square_url in page
    assert brand.revisions.first().changes[0]["field"] == "logo"


BAD_FILES = {
    "400-megapixel PNG bomb": (lambda: bilevel_png(20_000, 20_000), "bomb.png", "megapixels"),
    "truncated JPEG": (lambda: noise_jpeg()[:2000], "cut.jpg", "damaged"),
    "HTML renamed .jpg": (lambda: b"<!doctype html><html><script>alert(1)</script></html>", "page.jpg", "not a"),
    "SVG with script": (
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "logo.svg",
        "SVG",
    ),
    "file over the size cap": (lambda: make_image("PNG", size=(64, 64)) + b"\0" * 2048, "big.png", "limit"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_upload_is_refused_and_nothing_is_stored(client_for, editor, brand, media_root, settings, case):
    settings.IMAGE_MAX_BYTES = 2000 if case == "file over the size cap" else settings.IMAGE_MAX_BYTES
    make, name, words = BAD_FILES[case]
    response = post_logo(client_for(editor), brand, make(), name)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get("logo_upload", []))
    assert words in errors
    assert stored_files(media_root) == []
    assert not ImageAsset.objects.exists()
    assert Brand.objects.get(pk=brand.pk).revisions.count() == 1
