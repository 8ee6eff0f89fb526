"""The demo data set: 103 fictional brands, deterministic, every value within the registry's vocabularies and limits."""

import datetime
import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from PIL import Image

from brands.demo import demo_brand_specs, demo_logo_png

CATEGORIES = {"lifestyle", "food_beverage", "fashion"}
REGIONS = {
    "abruzzo", "basilicata", "calabria", "campania", "emilia_romagna", "friuli_venezia_giulia", "lazio", "liguria",
    "lombardia", "marche", "molise", "piemonte", "puglia", "sardegna", "sicilia", "toscana", "trentino_alto_adige",
    "umbria", "valle_d_aosta", "veneto",
}  # fmt: skip
STATUSES = {"onboarding", "active", "paused", "left"}
SALES_CHANNELS = {"tmall_global_store", "cross_border_direct", "both"}
PLATFORMS = {"tmall_global", "tmall", "taobao", "pinduoduo", "hema", "jd", "red", "douyin", "wechat"}
STORE_TYPES = {"flagship", "official", "distributor", "pavilion", "mini_program"}
CERT_KINDS = {"dop", "igp", "doc", "docg", "igt", "stg", "organic", "slow_food", "made_in_italy", "other"}
TEXT_FIELDS = [f"{f}_{lang}" for f in ("name", "description", "story") for lang in ("it", "en", "zh_hans")]
CJK = re.compile(r"[\u4e00-\u9fff]")
STORE_HOSTS = (".tmall.hk", ".tmall.com", ".taobao.com", "mobile.yangkeduo.com", ".jd.hk", "xiaohongshu.com")


@pytest.fixture(scope="module")
def specs():
    return demo_brand_specs()


def test_there_are_103_specs_and_they_are_deterministic(specs):
    assert len(specs) == 103
    assert demo_brand_specs() == specs


@pytest.mark.parametrize("field", ["slug", "name_it", "name_zh_hans"])
def test_identifying_fields_are_unique(specs, field):
    values = [s["fields"][field] for s in specs]
    assert len(set(values)) == len(values)


def test_categories_are_balanced_and_regions_spread(specs):
    categories = Counter(s["fields"]["category"] for s in specs)
    assert set(categories) == CATEGORIES
    assert all(30 <= n <= 40 for n in categories.values()), categories
    assert len({s["fields"]["region"] for s in specs}) >= 15


def test_brand_fields_use_allowed_values_and_limits(specs):
    for spec in specs:
        f = spec["fields"]
        assert f["category"] in CATEGORIES
        assert f["region"] in REGIONS
        assert f["status"] in STATUSES
        assert f["sales_channel"] in SALES_CHANNELS
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", f["slug"]) and len(f["slug"]) <= 80
        assert 0 < len(f["name_it"]) <= 120 and len(f["name_en"]) <= 120 and len(f["name_zh_hans"]) <= 120
        assert 0 < len(f["subcategory"]) <= 60
        assert 0 < len(f["city"]) <= 80
        assert 1850 <= f["founded_year"] <= 2018
        assert f["website"] == f"https://{f['slug']}.example.it"
        assert isinstance(f["joined_on"], datetime.date)
        assert datetime.date(2024, 1, 1) <= f["joined_on"] <= datetime.date(2026, 10, 31)
        assert all(isinstance(f[name], str) for name in TEXT_FIELDS), f["slug"]
        assert isinstance(spec["make_logo"], bool)


def test_status_mix(specs):
    statuses = Counter(s["fields"]["status"] for s in specs)
    assert statuses["active"] > len(specs) / 2
    assert statuses["onboarding"] and statuses["paused"]
    assert 1 <= statuses["left"] <= 2


def test_stores(specs):
    for spec in specs:
        stores = spec["stores"]
        assert 1 <= len(stores) <= 4
        platforms = [s["platform"] for s in stores]
        assert len(set(platforms)) == len(platforms), "at most one store per platform"
        for store in stores:
            assert store["platform"] in PLATFORMS
            assert store["store_type"] in STORE_TYPES
            assert store["url"] == "" or store["url"].startswith("https://")
            assert store["opened_on"] is None or isinstance(store["opened_on"], datetime.date)
        if spec["fields"]["sales_channel"] in {"tmall_global_store", "both"}:
            assert "tmall_global" in platforms
    urls = [s["url"] for spec in specs for s in spec["stores"] if s["url"]]
    assert any(host in url for url in urls for host in STORE_HOSTS)


def test_products(specs):
    for spec in specs:
        products = spec["products"]
        assert 2 <= len(products) <= 3
        codes = [p["code"] for p in products]
        assert len(set(codes)) == len(codes)
        for product in products:
            assert 0 < len(product["code"]) <= 40
            for lang in ("it", "en", "zh_hans"):
                assert 0 < len(product[f"name_{lang}"]) <= 160
            assert CJK.search(product["name_zh_hans"])
            assert isinstance(product["price_cny"], Decimal) and product["price_cny"] > 0
            assert product["price_cny"] == product["price_cny"].quantize(Decimal("0.01"))
            assert len(product["category"]) <= 60


def test_certifications(specs):
    for spec in specs:
        for cert in spec["certifications"]:
            assert cert["kind"] in CERT_KINDS
            assert 0 < len(cert["label"]) <= 120
    food = [s for s in specs if s["fields"]["category"] == "food_beverage"]
    assert sum(1 for s in food if s["certifications"]) > len(food) / 2
    labels = {c["label"] for s in food for c in s["certifications"]}
    assert any(label.endswith(("DOP", "IGP", "DOC", "DOCG")) for label in labels)
    others = [c["kind"] for s in specs if s["fields"]["category"] != "food_beverage" for c in s["certifications"]]
    assert "made_in_italy" in others


def test_contacts(specs):
    for spec in specs:
        assert len(spec["contacts"]) == 1
        contact = spec["contacts"][0]
        assert 0 < len(contact["name"]) <= 120
        assert len(contact["role"]) <= 80
        assert re.fullmatch(r"[a-z0-9.]+@" + re.escape(spec["fields"]["slug"]) + r"\.example\.it", contact["email"])
        assert contact["phone"].startswith("+39 ") and len(contact["phone"]) <= 40
        assert len(contact["wechat"]) <= 60
    assert any(s["contacts"][0]["wechat"] for s in specs)
    assert any(not s["contacts"][0]["wechat"] for s in specs)


def test_chinese_names_and_texts(specs):
    for spec in specs:
        f = spec["fields"]
        assert CJK.search(f["name_zh_hans"]), f["name_zh_hans"]
        for field in ("description_zh_hans", "story_zh_hans"):
            assert f[field] == "" or CJK.search(f[field])


def test_some_texts_are_blank_but_most_are_filled(specs):
    for field in ("story_it", "story_en", "story_zh_hans", "description_en"):
        blank = sum(1 for s in specs if not s["fields"][field])
        assert 0 < blank < len(specs) / 3, (field, blank)
    assert all(s["fields"]["description_it"] for s in specs)


def test_about_forty_percent_get_a_logo(specs):
    assert 30 <= sum(s["make_logo"] for s in specs) <= 50


@pytest.mark.parametrize("size", [512, 128])
def test_logo_is_a_png_of_the_requested_size(specs, size):
    data = demo_logo_png(specs[0], size=size)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert image.size == (size, size)
    assert demo_logo_png(specs[0], size=size) == data


def test_logos_differ_between_brands(specs):
    assert demo_logo_png(specs[0], size=64) != demo_logo_png(specs[1], size=64)
