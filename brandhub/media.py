"""Serving uploaded files: public ones to anyone, private ones only after the caller has checked access.

Brand logos, covers and their renditions are public: the partner API hands their URLs to partners. Files of
content (creatives, material of items not yet published) are stored under ``private/``. The public media view
refuses that prefix, and an S3 storage (``brandhub.storage``) gives those names only presigned URLs; a view that
has decided the user may see the file answers with ``private_file_response``:

- local storage: the file itself, or with ``MEDIA_X_ACCEL_REDIRECT`` an ``X-Accel-Redirect`` to nginx's internal
  location ``MEDIA_X_ACCEL_PREFIX`` (which maps to the media folder), so gunicorn does not stream the bytes;
- S3: a redirect to a presigned URL that expires after ``PRIVATE_MEDIA_URL_SECONDS``.

Either way with ``Cache-Control: private``: no shared cache keeps a copy for someone else.
"""

import posixpath
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect

PRIVATE_PREFIX = "private/"

# Uploaded files are served only as these types, whatever is stored: never HTML or SVG.
MEDIA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


def clean_media_path(name: str) -> str:
    """The stored name as a relative path without ``..`` or leading slashes ("" when it leaves the root)."""
    path = posixpath.normpath(name).lstrip("/")
    return "" if path in ("", ".") or path.startswith("..") else path


def is_private(name: str) -> bool:
    """Whether a stored name belongs to private files (case-insensitive: some file systems are)."""
    return clean_media_path(name).lower().startswith(PRIVATE_PREFIX)


def media_type(name: str) -> str:
    """The content type a stored file is served with; ``Http404`` for anything that is not an image we store."""
    content_type = MEDIA_TYPES.get(PurePosixPath(name).suffix.lower())
    if content_type is None:
        raise Http404
    return content_type


def protect(response: HttpResponse) -> HttpResponse:
    """Headers every uploaded file is served with: the browser must not sniff it or run anything in it."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def private_file_response(storage, name: str) -> HttpResponse:
    """The private file ``name`` of ``storage`` for a request that already passed its access check."""
    name = clean_media_path(name)
    if not name:
        raise Http404
    content_type = media_type(name)
    try:
        storage.path(name)
    except NotImplementedError:  # Not on a local disk (S3): the browser fetches it with a short-lived signature.
        response = HttpResponseRedirect(storage.url(name, expire=settings.PRIVATE_MEDIA_URL_SECONDS))
        # The redirect must not outlive the signature it carries.
        response["Cache-Control"] = f"private, max-age={max(0, settings.PRIVATE_MEDIA_URL_SECONDS // 2)}"
        return protect(response)
    if not storage.exists(name):
        raise Http404
    if settings.MEDIA_X_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_X_ACCEL_PREFIX.rstrip("/") + "/" + quote(name)
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    response["Cache-Control"] = f"private, max-age={settings.PRIVATE_MEDIA_URL_SECONDS}"
    return protect(response)
