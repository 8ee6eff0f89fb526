"""Test settings: the same stack as the run mode chosen by the environment, with fast password hashing.

Under pytest-xdist each worker process (``PYTEST_XDIST_WORKER``: gw0, gw1 …) gets a var folder of its own (its
filesystem broker, file cache and scan spool: workers must not take each other's tasks or scans) and a Redis
database of its own (the URL's number minus the worker's), before the base settings read them. Its test database
gets the worker's suffix from pytest-django.
"""

import os
import re
from pathlib import Path

_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
# Once per worker: servers and workers the tests start inherit the environment already made the worker's own.
if _WORKER and os.environ.get("BRANDHUB_TEST_WORKER") != _WORKER:
    os.environ["BRANDHUB_TEST_WORKER"] = _WORKER
    _index = int(_WORKER.removeprefix("gw") or 0)
    _shared = Path(os.environ.get("BRANDHUB_VAR_DIR", Path(__file__).resolve().parents[2] / "var")).resolve()
    os.environ["BRANDHUB_FONT_DIR"] = str(_shared / "fonts")  # made once, shared: fonts are renamed into place
    os.environ["BRANDHUB_VAR_DIR"] = str(_shared / "workers" / _WORKER)
    if os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = re.sub(
            r"/(\d+)$", lambda m: f"/{int(m.group(1)) - _index}", os.environ["REDIS_URL"].rstrip("/")
        )

from .base import *  # noqa: E402, F403
from .base import VAR_DIR, env  # noqa: E402

SECRET_KEY = "test-only-key"
DEBUG = False
# PBKDF2 costs ~0.36 s a hash on these machines; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
# The tests' webhook receivers run on 127.0.0.1; the refusal of private addresses is tested with this off.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=True)
