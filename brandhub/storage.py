"""Uploaded files on S3-compatible storage, for more than one web host (``AWS_STORAGE_BUCKET_NAME`` set).

One bucket holds both kinds of file, told apart by name as on the local disk:

- public files (logos, covers, renditions: the partner API hands their URLs out) get plain, unsigned URLs —
  or URLs on ``AWS_S3_CUSTOM_DOMAIN`` — that never expire, so pre-rendered API documents stay valid. The bucket
  makes them readable with a policy allowing ``s3:GetObject`` on ``images/*`` (or, where the provider works with
  object ACLs, with ``AWS_PUBLIC_ACL=public-read``);
- private files (names under ``private/``) are never given a public URL: ``url()`` signs them for
  ``PRIVATE_MEDIA_URL_SECONDS``, and only views that checked access call it (``brandhub.media``).
"""

from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from .media import MEDIA_TYPES, is_private


class MediaS3Storage(S3Storage):
    """``S3Storage`` with unsigned URLs for public names and presigned, short-lived ones for private names."""

    def __init__(self, *, public_acl: str = "", private_url_seconds: int = 300, **options):
        self.public_acl = public_acl
        self.private_url_seconds = private_url_seconds
        options.setdefault("querystring_auth", False)  # Public URLs are plain: private ones are signed below.
        super().__init__(**options)

    def get_object_parameters(self, name):
        params = super().get_object_parameters(name)
        suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if suffix in MEDIA_TYPES:
            params["ContentType"] = MEDIA_TYPES[suffix]
        if is_private(name):
            params.pop("ACL", None)
            params["CacheControl"] = "private, no-store"
        else:
            if self.public_acl:
                params["ACL"] = self.public_acl
            params["CacheControl"] = "public, max-age=31536000, immutable"  # Names are never reused.
        return params

    def url(self, name, parameters=None, expire=None, http_method=None):
        if not is_private(name):
            return super().url(name, parameters, expire, http_method)
        # Never through the custom domain (it serves public files only) and always signed.
        key = self._normalize_name(clean_name(name))
        return self.connection.meta.client.generate_presigned_url(
            "get_object",
            Params={**(parameters or {}), "Bucket": self.bucket.name, "Key": key},
            ExpiresIn=self.private_url_seconds if expire is None else expire,
            HttpMethod=http_method,
        )
