import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from brands.models import Brand, BrandMembership, BrandRevision, ImageAsset

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_registry_and_running_it_twice_changes_nothing(settings, capsys):
    settings.DEMO_PASSWORD = "demo-password-for-tests"
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert Brand.objects.count() == 103
    counts = {c: Brand.objects.filter(category=c).count() for c in ("lifestyle", "food_beverage", "fashion")}
    assert all(30 <= n <= 40 for n in counts.values()), counts
    assert Brand.objects.exclude(name_zh_hans="").count() == 103
    assert Brand.objects.filter(logo__isnull=False).count() > 20
    assert Brand.objects.values("region").distinct().count() >= 15
    users = get_user_model().objects.in_bulk(["manager", "editor", "brand"], field_name="username")
    assert [users[u].role for u in ("manager", "editor", "brand")] == ["manager", "editor", "brand"]
    assert users["editor"].check_password("demo-password-for-tests")
    assert BrandMembership.objects.filter(user=users["brand"]).count() == 1
    assert "demo-password-for-tests" in output

    before = _state()
    call_command("seed_demo")
    assert _state() == before


def _state():
    return (
        [m.objects.count() for m in (Brand, BrandRevision, ImageAsset, BrandMembership, get_user_model())],
        list(Brand.objects.order_by("pk").values_list("updated_at", flat=True)),
    )
