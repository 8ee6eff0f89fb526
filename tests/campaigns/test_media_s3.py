"""Media on S3-compatible storage (more than one web host), against a local moto server on loopback.

Public files (logos and their renditions) are readable by plain URL through the bucket policy on ``images/``;
creatives live under ``private/`` and are reachable only through the presigned URL our view gives to a user who
may see the item.
"""

import socket
import urllib.error
import urllib.request

import boto3
import pytest
from django.core.files.storage import default_storage

from brands.api.serializers import ImageSerializer
from brands.services import brand_update
from campaigns.choices import ContentStatus
from tests.campaigns.conftest import ZH_TEXTS, add_creative, ingested, make_item, move
from tests.factories import MembershipFactory, UserFactory
from tests.utils import stored_files

pytestmark = pytest.mark.django_db
BUCKET = "brandhub-media"
CREDENTIALS = {"aws_access_key_id": "moto-test-key", "aws_secret_access_key": "moto-test-secret"}
PUBLIC_READ_OF_IMAGES = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",'
    f' "Resource": "arn:aws:s3:::{BUCKET}/images/*"}}]}}'
)
# Straight to the loopback server, whatever proxy the environment names.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with _opener.open(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, settings):
    """A fresh bucket, public for ``images/`` only, as the default storage (as base.py builds it from the env)."""
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET)
    client.put_bucket_policy(Bucket=BUCKET, Policy=PUBLIC_READ_OF_IMAGES)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "brandhub.storage.MediaS3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "addressing_style": "path",
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "signature_version": "s3v4",
                "private_url_seconds": settings.PRIVATE_MEDIA_URL_SECONDS,
            },
        },
    }
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for entry in page.get("Contents", ()):
            client.delete_object(Bucket=BUCKET, Key=entry["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> list[str]:
    return sorted(entry["Key"] for entry in client.list_objects_v2(Bucket=BUCKET).get("Contents", ()))


def test_logo_upload_lands_in_the_bucket_and_its_renditions_are_public(s3, s3_endpoint, editor, brand, media_root):
    brand = brand_update(brand=brand, user=editor, logo=ingested(size=(900, 900)))
    logo = brand.logo
    assert keys(s3) == sorted([logo.file.name, *logo.renditions.values()])
    assert stored_files(media_root) == []  # Nothing on this host's disk: every web host sees the same files.
    url = logo.square_url
    assert url.startswith(f"{s3_endpoint}/{BUCKET}/images/") and "Signature" not in url
    status, body = fetch(url)
    assert status == 200 and body.startswith(b"\x89PNG")
    assert s3.head_object(Bucket=BUCKET, Key=logo.renditions["square"])["ContentType"] == "image/png"
    # Partners get the same plain URLs in the API documents, not prefixed with our own host.
    assert ImageSerializer(logo).data["square"] == url


def test_creative_on_s3_is_reachable_only_through_a_presigned_url_from_our_view(
    s3, s3_endpoint, client_for, campaign, editor, manager, brand_user, other_brand
):
    item = make_item(campaign, author=editor, channel="banner", brands=[campaign.brands.get()], **ZH_TEXTS)
    creative = add_creative(item, user=editor)
    name = creative.image.renditions["thumb"]
    assert name.startswith("private/images/") and name in keys(s3)
    assert fetch(f"{s3_endpoint}/{BUCKET}/{name}")[0] == 403  # The bucket itself refuses an unsigned read.

    move(item, to=ContentStatus.APPROVED, editor=editor, manager=manager)
    response = client_for(brand_user).get(creative.image_url("thumb"))
    assert response.status_code == 302 and response["Cache-Control"].startswith("private")
    presigned = response["Location"]
    assert presigned.startswith(f"{s3_endpoint}/{BUCKET}/{name}?") and "X-Amz-Signature=" in presigned
    assert "X-Amz-Expires=300" in presigned
    status, body = fetch(presigned)
    assert status == 200 and body.startswith(b"\x89PNG")

    other = UserFactory(username="other-brand")
    MembershipFactory(user=other, brand=other_brand)
    assert client_for(other).get(creative.image_url("thumb")).status_code == 404
    assert client_for(None).get(creative.image_url("thumb")).status_code == 404


def test_private_names_get_no_unsigned_url_from_the_storage(s3):
    url = default_storage.url("private/images/ab/abc.png")
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
    assert "Signature" not in default_storage.url("images/ab/abc.png")
