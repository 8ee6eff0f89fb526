import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from brands.choices import RevisionAction
from brands.models import Brand, BrandRevision, CompletenessRule, Product, Store
from brands.services import (
    brand_archive,
    brand_create,
    brand_member_add,
    brand_revert,
    brand_unarchive,
    brand_update,
    completeness_rule_create,
)
from tests.factories import BrandFactory

pytestmark = pytest.mark.django_db


def test_create_records_first_revision_with_the_user(editor):
    brand = BrandFactory(user=editor, stores=[{"platform": "tmall_global", "url": "https://a.tmall.hk"}])
    revision = brand.revisions.get()
    assert (revision.number, revision.action, revision.user) == (1, RevisionAction.CREATED, editor)
    assert revision.snapshot["stores"][0]["platform"] == "tmall_global"


def test_update_records_before_and_after(brand, editor):
    brand_update(brand=brand, user=editor, fields={"description_zh_hans": "来自托斯卡纳的橄榄油"})
    revision = brand.revisions.first()
    assert revision.number == 2 and revision.user == editor
    assert revision.changes == [{"field": "description_zh_hans", "before": "", "after": "来自托斯卡纳的橄榄油"}]


def test_update_without_change_writes_no_revision(brand, editor):
    before = Brand.objects.get(pk=brand.pk).updated_at
    brand_update(brand=brand, user=editor, fields={"name_it": brand.name_it})
    assert brand.revisions.count() == 1
    assert Brand.objects.get(pk=brand.pk).updated_at == before


def test_child_changes_are_history_and_touch_the_brand(brand, editor):
    before = Brand.objects.get(pk=brand.pk).updated_at
    brand_update(brand=brand, user=editor, products=[{"code": "OIL-1", "name_it": "Olio EVO", "price_cny": "168"}])
    revision = brand.revisions.first()
    assert revision.changes[0]["field"] == "products[OIL-1]"
    assert "price_cny: 168.00" in revision.changes[0]["after"]
    assert Brand.objects.get(pk=brand.pk).updated_at > before


def test_child_list_replaces_matching_by_natural_key(brand, editor):
    brand_update(brand=brand, user=editor, stores=[{"platform": "jd"}, {"platform": "tmall"}])
    jd = Store.objects.get(brand=brand, platform="jd")
    brand_update(brand=brand, user=editor, stores=[{"platform": "jd", "url": "https://x.jd.hk"}])
    assert list(Store.objects.filter(brand=brand).values_list("pk", "platform", "url")) == [
        (jd.pk, "jd", "https://x.jd.hk")
    ]


def test_invalid_child_writes_nothing(brand, editor):
    with pytest.raises(ValidationError) as exc:
        brand_update(
            brand=brand,
            user=editor,
            fields={"name_en": "Changed"},
            stores=[{"platform": "jd"}, {"platform": "not-a-platform"}],
        )
    assert "stores" in exc.value.message_dict
    brand.refresh_from_db()
    assert brand.name_en != "Changed" and not brand.stores.exists() and brand.revisions.count() == 1


def test_duplicate_natural_keys_are_refused(brand, editor):
    with pytest.raises(ValidationError):
        brand_update(brand=brand, user=editor, products=[{"code": "A", "name_it": "x"}, {"code": "A", "name_it": "y"}])
    assert not Product.objects.exists()


def test_revert_restores_fields_and_children(brand, editor):
    brand_update(brand=brand, user=editor, fields={"city": "Lucca"}, stores=[{"platform": "hema"}])
    brand_update(brand=brand, user=editor, fields={"city": "Siena"}, stores=[])
    brand_revert(brand=brand, revision=brand.revisions.get(number=2), user=editor)
    brand.refresh_from_db()
    assert brand.city == "Lucca"
    assert list(brand.stores.values_list("platform", flat=True)) == ["hema"]
    latest = brand.revisions.first()
    assert latest.action == RevisionAction.REVERTED and latest.number == 4 and "#2" in latest.comment


def test_revert_refuses_another_brands_revision(brand, other_brand, editor):
    with pytest.raises(ValidationError):
        brand_revert(brand=brand, revision=other_brand.revisions.get(), user=editor)


def test_archive_and_unarchive_are_recorded(brand, editor):
    brand_archive(brand=brand, user=editor)
    assert Brand.objects.archived().filter(pk=brand.pk).exists()
    brand_unarchive(brand=brand, user=editor)
    assert Brand.objects.active().filter(pk=brand.pk).exists()
    assert [r.action for r in brand.revisions.all()[:2]] == [RevisionAction.UNARCHIVED, RevisionAction.ARCHIVED]


def test_completeness_and_search_text_follow_edits(editor):
    CompletenessRule.objects.all().delete()
    CompletenessRule.objects.create(field="description_zh_hans")
    CompletenessRule.objects.create(field="logo")
    brand = brand_create(user=editor, fields={"slug": "x", "name_it": "Cantina Sole", "category": "food_beverage"})
    assert (brand.completeness, brand.completeness_missing) == (0, ["description_zh_hans", "logo"])
    brand = brand_update(brand=brand, user=editor, fields={"description_zh_hans": "葡萄酒", "name_zh_hans": "阳光酒庄"})
    assert (brand.completeness, brand.completeness_missing) == (50, ["logo"])
    assert "yangguangjiuzhuang" in Brand.objects.get(pk=brand.pk).search_text


def test_unique_slug_is_a_validation_error(brand, editor):
    with pytest.raises(ValidationError) as exc:
        brand_create(user=editor, fields={"slug": brand.slug, "name_it": "Copy", "category": "fashion"})
    assert "slug" in exc.value.message_dict
    assert BrandRevision.objects.filter(brand__slug=brand.slug).count() == 1


# --- the acting user is checked in the services, not only in the views -----------------------------


def test_a_brand_viewer_cannot_change_their_brand_through_the_service(brand, brand_user):
    with pytest.raises(PermissionDenied):
        brand_update(brand=brand, user=brand_user, fields={"city": "Lucca"})
    brand.refresh_from_db()
    assert brand.city != "Lucca"


def test_a_brand_editor_changes_no_brand_directly_not_even_their_own(brand, other_brand, brand_editor):
    """A brand editor membership proposes (``brands.proposals``); the write path refuses them everywhere."""
    for target in (brand, other_brand):
        with pytest.raises(PermissionDenied):
            brand_update(brand=target, user=brand_editor, fields={"city": "Lucca"})
        with pytest.raises(PermissionDenied):
            brand_revert(brand=target, revision=target.revisions.get(), user=brand_editor)
    assert not Brand.objects.filter(city="Lucca").exists()
    assert brand.revisions.count() == 1


def test_brand_users_cannot_create_or_archive_brands_or_manage_access(brand, brand_editor, editor):
    with pytest.raises(PermissionDenied):
        brand_create(user=brand_editor, fields={"slug": "nuova", "name_it": "Nuova", "category": "fashion"})
    with pytest.raises(PermissionDenied):
        brand_archive(brand=brand, user=brand_editor)
    with pytest.raises(PermissionDenied):
        brand_member_add(brand=brand, user=brand_editor, role="editor", actor=editor)  # agency editors neither
    with pytest.raises(PermissionDenied):
        completeness_rule_create(field="website", user=editor)
    assert not Brand.objects.filter(slug="nuova").exists() and not Brand.objects.get(pk=brand.pk).is_archived
