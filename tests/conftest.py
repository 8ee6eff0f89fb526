import shutil

import pytest


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Every test writes uploads to its own folder, so "nothing was stored" can be checked by listing it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    yield settings.MEDIA_ROOT
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a page request leaves its language active in the thread (Django's
    LocaleMiddleware activates it and never deactivates), and the next test's messages would read in Italian."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters, key lookups and last-use marks live in the cache: no test sees another's."""
    from django.core.cache import cache

    from brandhub.api.hotcache import hot

    cache.clear()
    hot.reset()
    yield


@pytest.fixture
def manager(db):
    from tests.factories import ManagerFactory

    return ManagerFactory(username="manager")


@pytest.fixture
def editor(db):
    from tests.factories import EditorFactory

    return EditorFactory(username="editor")


@pytest.fixture
def brand(db):
    from tests.factories import BrandFactory

    return BrandFactory(slug="frantoio-aurelio", name_it="Frantoio Aurelio", name_zh_hans="奥雷利奥榨油坊")


@pytest.fixture
def other_brand(db):
    from tests.factories import BrandFactory

    return BrandFactory(slug="maglificio-bertazzi", name_it="Maglificio Bertazzi", category="fashion")


@pytest.fixture
def brand_user(db, brand):
    """A brand user who is a viewer of ``brand`` only."""
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username="brand")
    MembershipFactory(user=user, brand=brand)
    return user


@pytest.fixture
def brand_editor(db, brand):
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username="brand-editor")
    MembershipFactory(user=user, brand=brand, role="editor")
    return user


@pytest.fixture
def client_for(client):
    """``client_for(user)`` logs the test client in as that user (or out, for None)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = settings.CELERY_BROKER_URL.split("://", 1)[0]
    return (
        f"brandhub: database={engine} broker={broker} cache={settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}"
    )


def pytest_collection_modifyitems(config, items):
    """A transactional test must restore the migrated data (festivals, content types) when it ends.

    Without ``serialized_rollback`` it empties the database, and the next transactional test that does
    restore its data collides on the content types Django recreated meanwhile (a real failure once).
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)")
