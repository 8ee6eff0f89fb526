"""The image-upload pipeline: what it refuses, what it strips, what it stores."""

import hashlib
import io
import struct
import time
import zlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from PIL import Image, ImageCms, ImageFile, PngImagePlugin

from brands.images import ImageRejected, IngestedImage, image_ingest, image_store
from brands.models import ImageAsset
from tests.utils import stored_files

SECRETS = (b"SECRET-EXIF", b"SECRET-XMP", b"SECRET-TEXT", b"SpyCam")


def encode(img: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, fmt, **options)
    return buffer.getvalue()


def make_image(fmt="PNG", size=(64, 48), mode="RGB", color=(200, 30, 30), **options) -> bytes:
    return encode(Image.new(mode, size, color), fmt, **options)


def noise_jpeg(size=(200, 200)) -> bytes:
    """A JPEG whose scan data is large enough that cutting it in half cuts the pixels, not just the trailer."""
    return encode(Image.effect_noise(size, 80).convert("RGB"), "JPEG", quality=95)


def upload(data: bytes, name="upload.png", content_type="image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def decode(content: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(content))
    img.load()
    return img


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bilevel_png(width: int, height: int) -> bytes:
    """A valid all-black 1-bit PNG, built row by row so that a huge one costs little memory and time."""
    compressor = zlib.compressobj(9)
    row = b"\0" * (1 + (width + 7) // 8)  # Filter byte, then 8 pixels a byte.
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", pixels) + png_chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def png_bomb() -> bytes:
    """20000×20000 = 400 megapixels in about 50 kB."""
    return bilevel_png(20_000, 20_000)


def exif_with_secrets(orientation=6) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "SpyCam"  # Make
    exif[0x010E] = "SECRET-EXIF"  # ImageDescription
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (45.0, 27.0, 50.0), 3: "E", 4: (9.0, 11.0, 24.0)})
    return exif


def assert_no_metadata(content: bytes):
    img = decode(content)
    assert not img.getexif()
    assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "Comment"} & set(img.info)
    for secret in SECRETS:
        assert secret not in content


def rejection(data, **kwargs) -> ImageRejected:
    with pytest.raises(ImageRejected) as excinfo:
        image_ingest(upload(data), **kwargs)
    return excinfo.value


# Accepted images


@pytest.mark.parametrize(
    ("pil_format", "fmt", "extension"), [("JPEG", "jpeg", "jpg"), ("PNG", "png", "png"), ("WEBP", "webp", "webp")]
)
def test_accepts_jpeg_png_and_webp(pil_format, fmt, extension):
    image = image_ingest(upload(make_image(pil_format, size=(64, 48))))

    assert (image.format, image.extension, image.width, image.height) == (fmt, extension, 64, 48)
    assert image.sha256 == hashlib.sha256(image.content).hexdigest()
    assert image.size == len(image.content)
    assert decode(image.content).format == pil_format
    assert decode(image.content).size == (64, 48)


def test_format_is_identified_by_content_not_by_name_or_content_type():
    image = image_ingest(upload(make_image("PNG"), name="logo.jpg", content_type="image/jpeg"))

    assert (image.format, image.extension) == ("png", "png")


def test_accepts_plain_file_objects_and_rewinds_them():
    stream = io.BytesIO(make_image("JPEG"))
    stream.read(10)  # As if a form validator had peeked at it.

    assert image_ingest(File(stream)).format == "jpeg"
    assert image_ingest(io.BytesIO(make_image("WEBP"))).format == "webp"


# Metadata and orientation


def test_jpeg_exif_gps_xmp_and_icc_are_stripped_and_orientation_applied():
    # Left half red, right half blue; Orientation 6 means "rotate 90° clockwise to display".
    img = Image.new("RGB", (60, 40), "red")
    img.paste("blue", (30, 0, 60, 40))
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(img, "JPEG", exif=exif_with_secrets(), icc_profile=icc, xmp=b"<x:xmpmeta>SECRET-XMP</x:xmpmeta>")
    assert decode(data).getexif().get_ifd(0x8825)  # The test file really carries a GPS position.

    image = image_ingest(upload(data, name="photo.jpg"))

    assert (image.width, image.height) == (40, 60)
    displayed = decode(image.content)
    assert displayed.size == (40, 60)
    red, blue = displayed.getpixel((20, 5)), displayed.getpixel((20, 55))
    assert red[0] > 200 and red[2] < 60, "the left (red) half must end up on top"
    assert blue[2] > 200 and blue[0] < 60
    assert_no_metadata(image.content)
    for rendition in image.renditions:
        assert_no_metadata(rendition.content)


def test_png_and_webp_metadata_are_stripped():
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "SECRET-TEXT")
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    png = make_image("PNG", exif=exif_with_secrets(orientation=1), icc_profile=icc, pnginfo=text)
    webp = make_image("WEBP", exif=exif_with_secrets(orientation=1), icc_profile=icc, xmp=b"<x>SECRET-XMP</x>")
    assert b"SECRET-TEXT" in png and b"SECRET-XMP" in webp

    for data in (png, webp):
        image = image_ingest(upload(data))
        assert_no_metadata(image.content)
        for rendition in image.renditions:
            assert_no_metadata(rendition.content)


# Mode conversion


def test_cmyk_jpeg_becomes_rgb():
    image = image_ingest(upload(make_image("JPEG", mode="CMYK", color=(0, 255, 255, 0))))

    assert decode(image.content).mode == "RGB"
    assert image.format == "jpeg"


@pytest.mark.parametrize(
    ("mode", "color", "transparency", "expected"),
    [("P", 0, 0, "RGBA"), ("P", 0, None, "RGB"), ("LA", (128, 0), None, "RGBA"), ("L", 128, None, "RGB")],
)
def test_png_modes_become_rgb_or_rgba_keeping_transparency(mode, color, transparency, expected):
    options = {} if transparency is None else {"transparency": transparency}

    image = image_ingest(upload(make_image("PNG", mode=mode, color=color, **options)))

    assert decode(image.content).mode == expected
    assert {decode(r.content).mode for r in image.renditions} == {expected}


def test_webp_keeps_alpha():
    image = image_ingest(upload(make_image("WEBP", mode="RGBA", color=(10, 20, 30, 0))))

    assert decode(image.content).mode == "RGBA"
    assert decode(image.content).getpixel((0, 0))[3] == 0


# Renditions


@pytest.mark.parametrize(
    ("size", "thumb", "square", "banner"),
    [
        ((3000, 2000), (240, 160), (800, 800), (1920, 540)),
        ((100, 50), (100, 50), (50, 50), (100, 28)),  # Never enlarged.
        ((500, 2000), (60, 240), (500, 500), (500, 141)),
        ((4000, 500), (240, 30), (500, 500), (1777, 500)),  # Wider than 32:9: the sides are cropped.
    ],
)
def test_rendition_sizes(size, thumb, square, banner):
    image = image_ingest(upload(make_image("JPEG", size=size)))

    renditions = {r.name: r for r in image.renditions}
    assert {name: (r.width, r.height) for name, r in renditions.items()} == {
        "thumb": thumb,
        "square": square,
        "banner": banner,
    }
    for rendition in renditions.values():
        assert decode(rendition.content).size == (rendition.width, rendition.height)
        assert decode(rendition.content).format == "JPEG"


def test_renditions_keep_the_upload_format():
    image = image_ingest(upload(make_image("PNG", size=(300, 300), mode="RGBA", color=(0, 0, 0, 0))))

    assert {decode(r.content).format for r in image.renditions} == {"PNG"}


def test_banner_is_a_centre_crop():
    # Three horizontal bands; a 32:9 crop of a 320×360 image is the middle 90 rows, all green.
    img = Image.new("RGB", (320, 360), "red")
    img.paste("lime", (0, 120, 320, 240))
    img.paste("blue", (0, 240, 320, 360))

    image = image_ingest(upload(encode(img, "PNG")))

    banner = decode(next(r.content for r in image.renditions if r.name == "banner"))
    assert banner.size == (320, 90)
    assert banner.getcolors() == [(320 * 90, (0, 255, 0))]


# Refused uploads


def test_png_bomb_is_refused_quickly_without_decoding(png_bomb, monkeypatch, media_root):
    assert len(png_bomb) < 100_000
    loads = []
    original_load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda img: loads.append(img) or original_load(img))

    started = time.perf_counter()
    error = rejection(png_bomb)

    assert time.perf_counter() - started < 1
    assert loads == []
    assert error.code == "too_many_pixels"
    assert error.messages == ["The image is 20000×20000 pixels; the limit is 40 megapixels."]
    assert stored_files(media_root) == []


@pytest.mark.parametrize("side", [10_000, 20_000], ids=["pillow-warns", "pillow-refuses"])
def test_pillow_bomb_limit_applies_even_when_max_pixels_is_higher(side):
    """Beyond Pillow's limit its warning or error becomes the same clear refusal, not a raw exception."""
    before = Image.MAX_IMAGE_PIXELS

    error = rejection(bilevel_png(side, side), max_pixels=10**10)

    assert error.code == "too_many_pixels"
    limit = f"{Image.MAX_IMAGE_PIXELS / 1_000_000:.4g}"
    assert error.messages == [f"The image is {side}×{side} pixels; the limit is {limit} megapixels."]
    assert before == Image.MAX_IMAGE_PIXELS  # Not raised globally to let the bomb through.


def test_pixel_limit_comes_from_settings(settings):
    settings.IMAGE_MAX_PIXELS = 1_000

    assert image_ingest(upload(make_image("PNG", size=(40, 25)))).width == 40
    error = rejection(make_image("PNG", size=(40, 26)))
    assert error.messages == ["The image is 40×26 pixels; the limit is 0.001 megapixels."]


def test_truncated_jpeg_is_refused(media_root):
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    data = noise_jpeg()
    assert image_ingest(upload(data)).format == "jpeg"  # The whole file is fine.

    error = rejection(data[: len(data) // 2])

    assert error.code == "damaged"
    assert error.messages == ["The image file is damaged or truncated."]
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    "data",
    [
        make_image("PNG", size=(300, 300))[:-30],  # Cut inside the pixel data.
        b"\x89PNG\r\n\x1a\n" + b"\0" * 200,  # Right magic number, garbage after.
        b"\xff\xd8\xff" + b"junk" * 50,
        b"RIFF\0\0\0\0WEBPjunk",
    ],
    ids=["truncated-png", "png-garbage", "jpeg-garbage", "webp-garbage"],
)
def test_damaged_files_are_refused(data):
    assert rejection(data).code == "damaged"


def test_png_with_a_bad_checksum_is_refused():
    """The pixels still decode; only verify() notices that the chunk's CRC does not match."""
    data = bytearray(make_image("PNG", size=(50, 50)))
    idat = data.index(b"IDAT")
    (length,) = struct.unpack(">I", data[idat - 4 : idat])
    data[idat + 4 + length] ^= 0xFF

    assert rejection(bytes(data)).code == "damaged"


def test_html_named_jpg_is_refused():
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"

    with pytest.raises(ImageRejected) as excinfo:
        image_ingest(upload(html, name="photo.jpg", content_type="image/jpeg"))

    assert excinfo.value.code == "not_an_image"
    assert excinfo.value.messages == ["The file is not a JPEG, PNG or WebP image."]


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
        b'\xef\xbb\xbf  <?xml version="1.0"?>\n<!DOCTYPE svg>\n<SVG xmlns="http://www.w3.org/2000/svg"><script/></SVG>',
    ],
)
def test_svg_is_refused_with_its_own_message(svg):
    error = rejection(svg)

    assert error.code == "svg"
    assert error.messages == ["SVG images are not accepted: upload a PNG, JPEG or WebP."]


@pytest.mark.parametrize(
    "data",
    [make_image("GIF"), make_image("BMP"), make_image("TIFF"), b"", b"GIF89a"],
    ids=["gif", "bmp", "tiff", "empty", "gif-header"],
)
def test_other_formats_are_refused(data):
    assert rejection(data).messages == ["The file is not a JPEG, PNG or WebP image."]


def test_file_over_the_byte_cap_is_refused_before_reading(media_root):
    data = encode(Image.effect_noise((200, 200), 80), "PNG")  # Noise compresses poorly: a few dozen kB.

    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("the size alone should have refused the file")

    with pytest.raises(ImageRejected) as excinfo:
        image_ingest(Unreadable("big.png", data), max_bytes=len(data) - 1)

    assert excinfo.value.code == "too_large"
    assert excinfo.value.messages[0].startswith(f"The file is {len(data) / 1024:.1f}\xa0KB; the limit is")
    assert image_ingest(upload(data), max_bytes=len(data)).format == "png"
    assert stored_files(media_root) == []


def test_byte_cap_comes_from_settings(settings):
    settings.IMAGE_MAX_BYTES = 1024 * 1024

    error = rejection(b"\x89PNG\r\n\x1a\n" + b"\0" * (1536 * 1024))

    assert error.messages == ["The file is 1.5\xa0MB; the limit is 1.0\xa0MB."]


def test_stream_without_size_is_read_only_up_to_the_cap():
    class Endless(io.RawIOBase):
        """An upload that never ends and has no size: reading it all would never finish."""

        consumed = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            buffer[:] = b"\0" * len(buffer)
            self.consumed += len(buffer)
            return len(buffer)

    stream = Endless()

    with pytest.raises(ImageRejected) as excinfo:
        image_ingest(stream, max_bytes=5000)

    assert excinfo.value.messages == ["The file is larger than the limit of 4.9\xa0KB."]
    assert stream.consumed == 5001


def test_rejection_is_a_validation_error():
    assert isinstance(rejection(b"nope"), ValidationError)


# Storage


@pytest.mark.django_db
def test_image_store_writes_generated_names_and_a_row(media_root, django_user_model):
    user = django_user_model.objects.create_user(username="uploader", password="x")
    image = image_ingest(upload(make_image("JPEG", size=(1000, 600)), name="holiday.jpg"))

    asset = image_store(image, original_name="C:\\Users\\mario\\holiday.jpg", user=user)

    asset = ImageAsset.objects.get(pk=asset.pk)
    assert asset.original_name == "holiday.jpg"
    assert asset.uploaded_by == user
    assert (asset.format, asset.width, asset.height, asset.size) == ("jpeg", 1000, 600, len(image.content))
    assert asset.sha256 == image.sha256
    assert asset.file.name.startswith("images/") and asset.file.name.endswith(".jpg")
    assert set(asset.renditions) == {"thumb", "square", "banner"}
    stem = asset.file.name.removesuffix(".jpg")
    assert asset.renditions == {name: f"{stem}_{name}.jpg" for name in ("thumb", "square", "banner")}
    files = stored_files(media_root)
    assert len(files) == 4
    assert not any("holiday" in str(path.relative_to(media_root)) for path in files)
    assert (media_root / asset.file.name).read_bytes() == image.content
    sizes = {name: decode((media_root / path).read_bytes()).size for name, path in asset.renditions.items()}
    assert sizes == {"thumb": (240, 144), "square": (600, 600), "banner": (1000, 281)}
    assert asset.rendition_url("thumb") == f"/media/{asset.renditions['thumb']}"


@pytest.mark.django_db
def test_image_store_gives_each_upload_its_own_files(media_root):
    image = image_ingest(upload(make_image("PNG")))

    first, second = image_store(image), image_store(image)

    assert first.file.name != second.file.name
    assert len(stored_files(media_root)) == 8


@pytest.mark.django_db
def test_image_store_cleans_the_original_name():
    image = image_ingest(upload(make_image("PNG")))

    assert image_store(image, original_name="../../etc/" + "a" * 300 + ".png").original_name == "a" * 255
    assert image_store(image, original_name="ev\x00il\n.png").original_name == "evil.png"
    assert image_store(image, original_name=None).original_name == ""


@pytest.mark.django_db
def test_image_store_ignores_anonymous_users():
    asset = image_store(image_ingest(upload(make_image("PNG"))), user=AnonymousUser())

    assert asset.uploaded_by is None


@pytest.mark.django_db
def test_image_store_deletes_its_files_when_the_insert_fails(media_root, monkeypatch):
    image = image_ingest(upload(make_image("JPEG")))

    def fail(**kwargs):
        assert len(stored_files(media_root)) == 4  # The files were written before the insert.
        raise DatabaseError("disk full")

    monkeypatch.setattr(ImageAsset.objects, "create", fail)

    with pytest.raises(DatabaseError):
        image_store(image)

    assert stored_files(media_root) == []
    assert not ImageAsset.objects.exists()


@pytest.mark.django_db
def test_image_store_deletes_its_files_when_a_rendition_cannot_be_written(media_root, monkeypatch):
    image = image_ingest(upload(make_image("JPEG")))
    original_save = FileSystemStorage.save
    calls = []

    def flaky_save(storage, name, content, **kwargs):
        calls.append(name)
        if len(calls) == 3:
            raise OSError("storage unavailable")
        return original_save(storage, name, content, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", flaky_save)

    with pytest.raises(OSError, match="storage unavailable"):
        image_store(image)

    assert len(calls) == 3
    assert stored_files(media_root) == []
    assert not ImageAsset.objects.exists()


def test_ingested_image_is_immutable():
    image = image_ingest(upload(make_image("PNG")))

    assert isinstance(image, IngestedImage)
    with pytest.raises(AttributeError):
        image.format = "svg"
