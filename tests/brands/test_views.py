import pytest
from django.urls import reverse

from brands.models import Brand, BrandMembership, CompletenessRule
from tests.factories import BrandFactory, UserFactory
from tests.utils import count_queries

pytestmark = pytest.mark.django_db


def detail(brand):
    return reverse("brands:brand_detail", kwargs={"slug": brand.slug})


def edit(brand):
    return reverse("brands:brand_update", kwargs={"slug": brand.slug})


# --- who may open what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "brands:brand_list",
        "brands:brand_create",
        "brands:brand_import",
        "brands:completenessrule_list",
        "user_settings",
    ],
)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_anonymous_is_sent_to_login_from_a_brand(client, brand):
    response = client.get(detail(brand))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_brand_user_sees_own_brand(client_for, brand_user, brand):
    response = client_for(brand_user).get(detail(brand))
    assert response.status_code == 200
    assert brand.name_zh_hans in response.content.decode()


@pytest.mark.parametrize("view", [detail, edit])
def test_brand_user_gets_404_for_another_brand(client_for, brand_user, other_brand, view):
    assert client_for(brand_user).get(view(other_brand)).status_code == 404


def test_brand_user_list_shows_only_own_brands(client_for, brand_user, brand, other_brand):
    response = client_for(brand_user).get(reverse("brands:brand_list"))
    assert list(response.context["brand_list"]) == [brand]


def test_brand_viewer_cannot_edit(client_for, brand_user, brand):
    assert client_for(brand_user).get(edit(brand)).status_code == 404
    assert client_for(brand_user).post(edit(brand), {}).status_code == 404


def test_brand_editor_opens_the_form_as_a_proposal_without_the_agency_fields(client_for, brand_editor, brand):
    response = client_for(brand_editor).get(edit(brand))
    assert response.status_code == 200 and response.context["proposing"]
    assert "status" not in response.context["form"].fields and "slug" not in response.context["form"].fields
    assert "Send for review" in response.content.decode()


def test_brand_editor_cannot_restore_a_version(client_for, brand_editor, brand):
    from brands.services import brand_update

    brand_update(brand=brand, user=None, fields={"city": "Lucca"})
    url = reverse("brands:brandrevision_restore", kwargs={"slug": brand.slug, "number": 1})
    assert client_for(brand_editor).get(url).status_code == 404
    assert client_for(brand_editor).post(url).status_code == 404
    assert Brand.objects.get(pk=brand.pk).city == "Lucca"


@pytest.mark.parametrize("name", ["brands:brand_create", "brands:brand_import", "brands:completenessrule_list"])
def test_brand_user_cannot_open_staff_pages(client_for, brand_user, name):
    assert client_for(brand_user).get(reverse(name)).status_code == 403


def test_brand_user_cannot_archive(client_for, brand_user, brand):
    response = client_for(brand_user).post(reverse("brands:brand_archive", kwargs={"slug": brand.slug}))
    assert response.status_code == 403
    assert not Brand.objects.get(pk=brand.pk).is_archived


def test_editor_archives_and_restores(client_for, editor, brand):
    client = client_for(editor)
    client.post(reverse("brands:brand_archive", kwargs={"slug": brand.slug}))
    assert Brand.objects.get(pk=brand.pk).is_archived
    assert brand not in client.get(reverse("brands:brand_list")).context["brand_list"]
    client.post(reverse("brands:brand_archive", kwargs={"slug": brand.slug}), {"restore": "1"})
    assert not Brand.objects.get(pk=brand.pk).is_archived


def test_only_managers_change_completeness_rules(client_for, editor, manager):
    url = reverse("brands:completenessrule_create")
    assert client_for(editor).post(url, {"field": "cover", "platform": "jd"}).status_code == 403
    assert not CompletenessRule.objects.filter(field="cover", platform="jd").exists()
    client_for(manager).post(url, {"field": "cover", "platform": "jd"})
    assert CompletenessRule.objects.filter(field="cover", platform="jd").exists()


def test_only_managers_give_brand_access(client_for, editor, manager, brand):
    person = UserFactory()
    url = reverse("brands:brandmembership_add", kwargs={"slug": brand.slug})
    assert client_for(editor).post(url, {"user": person.pk, "role": "viewer"}).status_code == 403
    client_for(manager).post(url, {"user": person.pk, "role": "viewer"})
    assert BrandMembership.objects.filter(user=person, brand=brand).exists()


# --- the list ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["奥雷利奥", "aoleiliao", "ao lei li ao", "àoléilìào", "frantoio", "FRANTOIO aurelio"]
)
def test_search_finds_brand_by_any_name_and_pinyin(client_for, editor, brand, other_brand, query):
    response = client_for(editor).get(reverse("brands:brand_list"), {"q": query})
    assert list(response.context["brand_list"]) == [brand]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "fashion"}, ["maglificio-bertazzi"]),
        ({"platform": "jd"}, ["frantoio-aurelio"]),
        ({"status": "paused"}, ["maglificio-bertazzi"]),
        ({"completeness_below": "50"}, ["maglificio-bertazzi"]),
        ({"sort": "-name"}, ["maglificio-bertazzi", "frantoio-aurelio"]),
    ],
)
def test_filters_and_sorting(client_for, editor, params, expected):
    BrandFactory(slug="frantoio-aurelio", name_it="Frantoio Aurelio", stores=[{"platform": "jd"}])
    BrandFactory(
        slug="maglificio-bertazzi",
        name_it="Maglificio Bertazzi",
        category="fashion",
        status="paused",
        name_zh_hans="",
        name_en="",
        city="",
    )
    CompletenessRule.objects.all().delete()
    CompletenessRule.objects.bulk_create(
        [CompletenessRule(field=f) for f in ("name_zh_hans", "name_en", "city", "stores")]
    )
    from brands.services import brand_completeness_refresh

    brand_completeness_refresh()
    response = client_for(editor).get(reverse("brands:brand_list"), params)
    assert [b.slug for b in response.context["brand_list"]] == expected


def test_bad_filter_value_is_a_form_error_not_a_crash(client_for, editor, brand):
    response = client_for(editor).get(reverse("brands:brand_list"), {"category": "spaceships"})
    assert response.status_code == 200
    assert "category" in response.context["filter"].form.errors


@pytest.mark.parametrize("view", ["list", "detail"])
def test_query_count_is_flat_for_10_and_100_brands(client_for, editor, view):
    client = client_for(editor)

    def make(n):
        for _ in range(n):
            BrandFactory(
                stores=[{"platform": "jd"}, {"platform": "tmall"}],
                products=[{"code": "A", "name_it": "a"}, {"code": "B", "name_it": "b"}],
                certifications=[{"kind": "dop", "label": "x"}],
                contacts=[{"name": "Anna"}],
            )

    def url():
        if view == "list":
            return reverse("brands:brand_list") + "?sort=-updated"
        return detail(Brand.objects.order_by("-pk").first())

    make(10)
    small = count_queries(client, url())
    make(90)
    large = count_queries(client, url())
    assert small == large


# --- editing -------------------------------------------------------------------------------------


def _form_data(brand=None, **overrides):
    data = {
        "slug": "cantina-sole",
        "name_it": "Cantina del Sole",
        "name_en": "Sun Winery",
        "name_zh_hans": "阳光酒庄",
        "category": "food_beverage",
        "region": "sicilia",
        "status": "active",
        "sales_channel": "both",
    }
    for prefix in ("stores", "products", "certifications", "contacts"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(overrides)
    return data


def test_editor_creates_a_brand_with_a_store(client_for, editor):
    data = _form_data(
        **{"stores-TOTAL_FORMS": "1", "stores-0-platform": "tmall_global", "stores-0-store_type": "flagship"}
    )
    response = client_for(editor).post(reverse("brands:brand_create"), data)
    assert response.status_code == 302
    brand = Brand.objects.get(slug="cantina-sole")
    assert list(brand.stores.values_list("platform", flat=True)) == ["tmall_global"]
    assert brand.revisions.get().user == editor


def test_form_errors_are_shown_and_nothing_saved(client_for, editor):
    data = _form_data(
        **{
            "category": "",
            "stores-TOTAL_FORMS": "2",
            "stores-0-platform": "jd",
            "stores-0-store_type": "official",
            "stores-1-platform": "jd",
            "stores-1-store_type": "official",
        }
    )
    response = client_for(editor).post(reverse("brands:brand_create"), data)
    assert response.status_code == 200
    assert "category" in response.context["form"].errors
    assert not Brand.objects.exists()


def test_edit_the_chinese_description_shows_in_history(client_for, editor, brand):
    client = client_for(editor)
    initial = client.get(edit(brand)).context["form"].initial
    data = _form_data(**{k: v for k, v in initial.items() if isinstance(v, str | int)})
    data.update(slug=brand.slug, name_it=brand.name_it, description_zh_hans="冷榨特级初榨橄榄油")
    response = client.post(edit(brand), data)
    assert response.status_code == 302, response.context["form"].errors
    page = client.get(detail(brand)).content.decode()
    assert "冷榨特级初榨橄榄油" in page and "Description (Chinese)" in page and "description_zh_hans" not in page


def test_restore_a_version_from_the_brand_page(client_for, editor, brand):
    from brands.services import brand_update

    brand_update(brand=brand, user=editor, fields={"city": "Lucca"})
    client_for(editor).post(reverse("brands:brandrevision_restore", kwargs={"slug": brand.slug, "number": 1}))
    assert Brand.objects.get(pk=brand.pk).city == "Firenze"


def test_history_shows_choice_labels_and_images_as_thumbnails(client_for, editor, brand):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    from brands.images import image_ingest
    from brands.services import brand_update
    from tests.brands.test_images import make_image

    logo = image_ingest(SimpleUploadedFile("logo.png", make_image("PNG", size=(400, 400)), "image/png"))
    brand_update(brand=brand, user=editor, fields={"region": "sicilia"}, logo=logo)
    client = client_for(editor)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(detail(brand)).content.decode()
    with translation.override("zh-hans"):
        assert "西西里" in page and "Logo" in page
    assert 'class="diff-thumb"' in page and "— → " not in page


def test_restore_shows_a_preview_naming_the_newer_changes_it_undoes_and_acts_only_when_confirmed(
    client_for, editor, brand
):
    from brands.services import brand_update

    brand_update(brand=brand, user=editor, fields={"city": "Lucca"})
    brand_update(brand=brand, user=editor, fields={"website": "https://aurelio.example"})
    client = client_for(editor)
    url = reverse("brands:brandrevision_restore", kwargs={"slug": brand.slug, "number": 1})
    page = client.get(url).content.decode()
    assert "It takes back 2 newer changes" in page and "#2" in page and "#3" in page
    assert "Lucca" in page and "Firenze" in page and "https://aurelio.example" in page
    assert Brand.objects.get(pk=brand.pk).city == "Lucca"  # the preview changed nothing
    client.post(url)
    assert Brand.objects.get(pk=brand.pk).city == "Firenze"


def test_brand_user_cannot_restore(client_for, brand_user, brand):
    url = reverse("brands:brandrevision_restore", kwargs={"slug": brand.slug, "number": 1})
    assert client_for(brand_user).post(url).status_code == 404
