"""Production settings for the API benchmark, plus the bare reference views' URLconf."""

from brandhub.settings.production import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
