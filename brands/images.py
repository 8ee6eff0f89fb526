"""Safe ingestion of uploaded images: brand logos, cover images, product images and campaign creatives.

Every upload is treated as hostile. ``image_ingest`` checks the size before reading the whole file, identifies
the format from the bytes (never from the file name or the client's content type), refuses decompression bombs
before a single pixel is decoded, decodes the whole image to catch damaged files, applies the EXIF orientation
and re-encodes the picture without any metadata, because camera EXIF carries GPS positions, serial numbers and
editing history that must not be published. ``image_store`` then saves the result under server-generated names.

The stored image and its renditions keep the format of the upload: photos stay JPEG, logos with transparency
stay PNG or WebP, and every browser that displayed the upload displays the renditions.

Pillow's global settings (``Image.MAX_IMAGE_PIXELS``, ``ImageFile.LOAD_TRUNCATED_IMAGES``) are never changed
here: they are shared by every thread. Truncated files are refused because Pillow's default is strict
(``LOAD_TRUNCATED_IMAGES = False``), which nothing in this project may relax.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from contextlib import suppress
from dataclasses import dataclass
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, JpegImagePlugin, PngImagePlugin, WebPImagePlugin

from brandhub.media import PRIVATE_PREFIX

from .models import ImageAsset

#: Accepted formats (as identified by content) and the extension their files get.
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}

THUMB_BOX = (240, 240)
SQUARE_SIDE = 800
BANNER_WIDTH = 1920
BANNER_RATIO = 32 / 9

_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
# Instantiating the plugin class parses only the header, and skips Image.open's bomb check: the refusal can then
# name the real dimensions even of images far beyond Pillow's own limit.
_HEADER_READERS = {
    "jpeg": JpegImagePlugin.JpegImageFile,
    "png": PngImagePlugin.PngImageFile,
    "webp": WebPImagePlugin.WebPImageFile,
}
_SAVE_OPTIONS = {
    "jpeg": {"quality": 88, "optimize": True, "progressive": True},
    "png": {"optimize": True},
    "webp": {"quality": 85},
}
_RESAMPLE = Image.Resampling.LANCZOS

MSG_NOT_AN_IMAGE = _("The file is not a JPEG, PNG or WebP image.")
MSG_SVG = _("SVG images are not accepted: upload a PNG, JPEG or WebP.")
MSG_DAMAGED = _("The image file is damaged or truncated.")
MSG_TOO_BIG = _("The file is %(size)s; the limit is %(limit)s.")
MSG_TOO_BIG_UNKNOWN = _("The file is larger than the limit of %(limit)s.")
MSG_TOO_MANY_PIXELS = _("The image is %(width)d×%(height)d pixels; the limit is %(limit)s megapixels.")


class ImageRejected(ValidationError):
    """An upload that is not an acceptable image. The message tells the uploader plainly what to fix.

    Codes: ``too_large``, ``not_an_image``, ``svg``, ``too_many_pixels``, ``damaged``.
    """


@dataclass(frozen=True)
class Rendition:
    """A resized copy of an ingested image, in the same format."""

    name: str
    content: bytes
    width: int
    height: int


@dataclass(frozen=True)
class IngestedImage:
    """A validated, re-encoded image without metadata, ready to be stored."""

    format: str
    extension: str
    width: int
    height: int
    content: bytes
    sha256: str
    renditions: tuple[Rendition, ...]
    original_name: str = ""

    @property
    def size(self) -> int:
        return len(self.content)


def image_ingest(upload, *, max_bytes: int | None = None, max_pixels: int | None = None) -> IngestedImage:
    """Validate an uploaded image and re-encode it with its renditions; raise ``ImageRejected`` if unacceptable.

    ``upload`` is a Django ``File``/``UploadedFile`` or any binary file-like object. Limits default to
    ``settings.IMAGE_MAX_BYTES`` and ``settings.IMAGE_MAX_PIXELS``. Renditions, all in the upload's format:

    - ``thumb``: fits inside 240×240;
    - ``square``: centre crop to a square of side min(800, width, height);
    - ``banner``: centre crop to 32:9, at most 1920 pixels wide.

    Images are never enlarged, so a rendition is never blurrier than the upload. Only the first frame of an
    animated PNG or WebP is kept.
    """
    max_bytes = settings.IMAGE_MAX_BYTES if max_bytes is None else max_bytes
    max_pixels = settings.IMAGE_MAX_PIXELS if max_pixels is None else max_pixels
    data = _read_capped(upload, max_bytes)
    fmt = _sniff(data)
    img = _decode(data, fmt, max_pixels)
    try:
        img = _normalise(img, fmt)
        content = _encode(img, fmt)
        renditions = tuple(
            Rendition(name, _encode(copy, fmt), *copy.size) for name, copy in _rendition_images(img).items()
        )
    except Exception as exc:  # Pillow raises many types on odd files; the uploader only needs to know it failed.
        raise ImageRejected(MSG_DAMAGED, code="damaged") from exc
    return IngestedImage(
        format=fmt,
        extension=EXTENSIONS[fmt],
        width=img.width,
        height=img.height,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        renditions=renditions,
        original_name=_clean_name(getattr(upload, "name", "")),
    )


def image_store(image: IngestedImage, *, original_name: str = "", user=None, private: bool = False) -> ImageAsset:
    """Save an ingested image and its renditions to the default storage and record them as an ``ImageAsset``.

    Names are generated here: the client's file name could carry path tricks, clash with another upload or leak
    personal information in a public URL, so it is kept only as text. ``private`` images (campaign creatives,
    unpublished material) go under ``private/``, which the public media view refuses and S3 serves only by
    presigned URL (``brandhub.media``). If anything fails, the files already written are deleted before the error
    propagates, so no orphan is left behind. (A rollback of the caller's transaction after this returns is the
    caller's to clean up.)
    """
    key = uuid4().hex
    stem, ext = f"{PRIVATE_PREFIX if private else ''}images/{key[:2]}/{key}", EXTENSIONS[image.format]
    written: list[str] = []
    try:
        path = default_storage.save(f"{stem}.{ext}", ContentFile(image.content))
        written.append(path)
        renditions = {}
        for rendition in image.renditions:
            renditions[rendition.name] = default_storage.save(
                f"{stem}_{rendition.name}.{ext}", ContentFile(rendition.content)
            )
            written.append(renditions[rendition.name])
        return ImageAsset.objects.create(
            file=path,
            format=image.format,
            width=image.width,
            height=image.height,
            size=len(image.content),
            sha256=image.sha256,
            renditions=renditions,
            original_name=_clean_name(original_name),
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        )
    except BaseException:
        for written_path in written:
            with suppress(Exception):  # The original error matters more than a failed cleanup.
                default_storage.delete(written_path)
        raise


def image_publish(asset: ImageAsset) -> ImageAsset:
    """A public copy of a private asset (a proposed logo the agency accepted), with its renditions.

    Copied, not moved: the private asset's files stay until its owner discards them, so a failure half-way
    leaves the private image whole, and the copy's files are removed like ``image_store``'s on error. The bytes
    were validated and stripped of metadata when uploaded; they are copied as they are. A public asset is
    returned unchanged.
    """
    storage = asset.file.storage
    if not asset.file.name.lower().startswith(PRIVATE_PREFIX):
        return asset
    key = uuid4().hex
    stem, ext = f"images/{key[:2]}/{key}", EXTENSIONS.get(asset.format, asset.format)
    written: list[str] = []

    def copy(source: str, target: str) -> str:
        with storage.open(source, "rb") as handle:
            path = storage.save(target, ContentFile(handle.read()))
        written.append(path)
        return path

    try:
        path = copy(asset.file.name, f"{stem}.{ext}")
        renditions = {name: copy(source, f"{stem}_{name}.{ext}") for name, source in asset.renditions.items()}
        return ImageAsset.objects.create(
            file=path,
            format=asset.format,
            width=asset.width,
            height=asset.height,
            size=asset.size,
            sha256=asset.sha256,
            renditions=renditions,
            original_name=asset.original_name,
            uploaded_by_id=asset.uploaded_by_id,
        )
    except BaseException:
        for written_path in written:
            with suppress(Exception):
                storage.delete(written_path)
        raise


def _read_capped(upload, max_bytes: int) -> bytes:
    """Read the upload, refusing it without reading further once it is known to exceed ``max_bytes``."""
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > max_bytes:
        raise ImageRejected(
            MSG_TOO_BIG, code="too_large", params={"size": filesizeformat(size), "limit": filesizeformat(max_bytes)}
        )
    with suppress(AttributeError, OSError, ValueError):  # Form validation may have read it; streams cannot seek.
        upload.seek(0)
    chunks, remaining = [], max_bytes + 1  # One byte past the cap proves the file is too big; .size may lie.
    while remaining > 0:
        chunk = upload.read(min(remaining, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    if remaining <= 0:
        raise ImageRejected(MSG_TOO_BIG_UNKNOWN, code="too_large", params={"limit": filesizeformat(max_bytes)})
    return b"".join(chunks)


def _sniff(data: bytes) -> str:
    """Identify the format from the magic number; name SVG explicitly, as uploaders often expect it to work."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") and b"<svg" in head:
        raise ImageRejected(MSG_SVG, code="svg")
    raise ImageRejected(MSG_NOT_AN_IMAGE, code="not_an_image")


def _decode(data: bytes, fmt: str, max_pixels: int) -> Image.Image:
    """Check the dimensions from the header, then verify and fully decode the image."""
    try:
        width, height = _HEADER_READERS[fmt](io.BytesIO(data)).size
    except Exception as exc:
        raise ImageRejected(MSG_DAMAGED, code="damaged") from exc
    # Pillow refuses beyond its own limit anyway; applying it here gives that refusal the same clear message.
    limit = min(max_pixels, Image.MAX_IMAGE_PIXELS or max_pixels)
    too_many_pixels = ImageRejected(
        MSG_TOO_MANY_PIXELS,
        code="too_many_pixels",
        params={"width": width, "height": height, "limit": f"{limit / 1_000_000:.4g}"},
    )
    if width * height > limit:
        raise too_many_pixels
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[fmt]]) as probe:
                probe.verify()  # Structure and checksums; a verified image object is unusable, hence the reopen.
            img = Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[fmt]])
            img.load()  # Decoding every pixel is the only way to know a JPEG is not truncated.
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise too_many_pixels from exc
        except Exception as exc:
            raise ImageRejected(MSG_DAMAGED, code="damaged") from exc
    return img


def _normalise(img: Image.Image, fmt: str) -> Image.Image:
    """Apply the EXIF orientation, convert to RGB or RGBA and drop all metadata (EXIF, GPS, XMP, ICC, text)."""
    img = ImageOps.exif_transpose(img)
    # RGB/RGBA only keeps the encoders' and renditions' paths simple; JPEG cannot hold alpha at all.
    img = img.convert("RGBA" if fmt != "jpeg" and img.has_transparency_data else "RGB")
    img.info = {}  # The PNG encoder would otherwise copy the ICC profile from here.
    return img


def _encode(img: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, _PIL_FORMATS[fmt], **_SAVE_OPTIONS[fmt])
    return buffer.getvalue()


def _rendition_images(img: Image.Image) -> dict[str, Image.Image]:
    width, height = img.size
    thumb = img.copy()
    thumb.thumbnail(THUMB_BOX, _RESAMPLE)
    side = min(SQUARE_SIDE, width, height)
    banner_width = max(1, min(BANNER_WIDTH, int(min(width, height * BANNER_RATIO))))
    banner_height = max(1, round(banner_width / BANNER_RATIO))
    return {
        "thumb": thumb,
        "square": ImageOps.fit(img, (side, side), _RESAMPLE),
        "banner": ImageOps.fit(img, (banner_width, banner_height), _RESAMPLE),
    }


def _clean_name(name: str | None) -> str:
    """The client's file name without folders or control characters, to show in the admin."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable()).strip()[:255]


def image_discard(asset: ImageAsset) -> None:
    """Delete an asset's files and row: for an upload whose surrounding write failed and rolled back."""
    for path in [asset.file.name, *asset.renditions.values()]:
        asset.file.storage.delete(path)
    if asset.pk:
        ImageAsset.objects.filter(pk=asset.pk).delete()
