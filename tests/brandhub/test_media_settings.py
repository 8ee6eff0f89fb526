"""Where media live is chosen by the environment alone (read in brandhub/settings/base.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT_MEDIA_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s;"
    "print(json.dumps({'default': s.STORAGES['default'], 'img_src': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'],"
    "'x_accel': s.MEDIA_X_ACCEL_REDIRECT, 'seconds': s.PRIVATE_MEDIA_URL_SECONDS}))"
)


def media_settings(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and not k.startswith("MEDIA_")}
    env.update(DJANGO_SETTINGS_MODULE="brandhub.settings.dev", **extra)
    result = subprocess.run(
        [sys.executable, "-c", PRINT_MEDIA_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_s3_variables_media_stay_in_the_local_folder():
    found = media_settings()
    assert found["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert found["img_src"] == ["'self'", "data:"] and found["x_accel"] is False and found["seconds"] == 300


def test_s3_variables_put_media_in_the_bucket_and_allow_its_origin_for_images():
    found = media_settings(
        AWS_STORAGE_BUCKET_NAME="helloita-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.com:9000",
        AWS_ACCESS_KEY_ID="key-id",
        AWS_SECRET_ACCESS_KEY="secret",
        PRIVATE_MEDIA_URL_SECONDS="120",
        MEDIA_X_ACCEL_REDIRECT="true",
    )
    options = found["default"]["OPTIONS"]
    assert found["default"]["BACKEND"] == "brandhub.storage.MediaS3Storage"
    assert options["bucket_name"] == "helloita-media" and options["endpoint_url"] == "https://s3.example.com:9000"
    assert options["access_key"] == "key-id" and options["secret_key"] == "secret"
    assert options["addressing_style"] == "path" and options["private_url_seconds"] == 120
    assert found["img_src"] == ["'self'", "data:", "https://s3.example.com:9000"] and found["x_accel"] is True


def test_s3_on_aws_allows_the_buckets_own_host_for_images():
    found = media_settings(AWS_STORAGE_BUCKET_NAME="helloita-media", AWS_S3_REGION_NAME="eu-south-1")
    assert found["default"]["OPTIONS"]["endpoint_url"] is None
    assert found["img_src"][2:] == [
        "https://helloita-media.s3.amazonaws.com",
        "https://helloita-media.s3.eu-south-1.amazonaws.com",
    ]
