"""What KOLs and livestreams brought: costs per result and uplift against hand-computed cases with an explicit
baseline, a session's results written as facts per brand, the sales import, each booking's results, KOLs side by
side, and what a brand user reads of a shared session."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import ContentItem, KolBooking
from campaigns.results.costs import Uplift, cost_per, cost_per_thousand, gmv_to_fee
from campaigns.results.kol_results import booking_results, kol_records, session_audience, session_sales
from campaigns.results.livestreams import livestream_results_save, product_sales_import, store_source
from campaigns.results.models import BrandDay, MetricFact, MetricRollup, ProductSale
from tests.campaigns.conftest import make_campaign, make_item
from tests.campaigns.kol_data import CHINA, book, make_kol, make_session, published
from tests.factories import BrandFactory, MembershipFactory, UserFactory
from tests.results.conftest import write

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 10)  # the session's day (past: results come after it)


# --- the arithmetic, by hand ------------------------------------------------------------------------------------------


def test_costs_per_result_against_hand_computed_figures():
    fee = Decimal("30000")
    assert cost_per(fee, 12_000) == Decimal("2.50")  # 30,000 / 12,000 followers gained
    assert cost_per_thousand(fee, 1_200_000) == Decimal("25.00")  # 30,000 × 1,000 / 1,200,000 impressions
    assert cost_per(fee, 45_000) == Decimal("0.67")  # 30,000 / 45,000 interactions = 0.6666…
    assert cost_per(fee, 2_500) == Decimal("12.00")  # per item sold
    assert gmv_to_fee(Decimal("186000"), fee) == Decimal("6.20")  # GMV 186,000 is 6.2 times the fee


@pytest.mark.parametrize("count", [0, None, -5])
def test_no_cost_without_results_to_divide_by(count):
    assert cost_per(Decimal("30000"), count) is None
    assert cost_per_thousand(Decimal("30000"), count) is None


def test_no_gmv_ratio_without_a_fee():
    assert gmv_to_fee(Decimal("1000"), Decimal("0")) is None


def test_uplift_against_an_explicit_baseline():
    # Baseline: 1 to 28 October, 35,000 items sold: 1,250 an average day. The session sold 3,250: +160%.
    uplift = Uplift(measured=Decimal(3250), baseline_total=Decimal(35000), baseline_days=28)
    assert uplift.per_day == Decimal("1250.00")
    assert uplift.percent == Decimal("160.00")
    # The same with money: ¥4,200,000 over 30 days is ¥140,000 a day; a session of ¥98,000 is 30% below it.
    assert Uplift(Decimal("98000"), Decimal("4200000"), 30).percent == Decimal("-30.00")
    # An uneven case: 1,000 items over 7 days (142.857… a day), 500 in the session: 500 × 7 / 1,000 − 1 = +250%.
    assert Uplift(Decimal(500), Decimal(1000), 7).percent == Decimal("250.00")


def test_no_uplift_over_a_baseline_that_sold_nothing():
    assert Uplift(Decimal(3250), Decimal(0), 28).percent is None
    assert Uplift(Decimal(3250), Decimal(100), 0).percent is None


# --- a session's results ----------------------------------------------------------------------------------------------


@pytest.fixture
def brands(db):
    made = []
    for slug, name, zh, code in (
        ("cantina-aurelia", "Cantina Aurelia", "奥雷利亚酒庄", "CA-BRU-750"),
        ("frantoio-aurelio", "Frantoio Aurelio", "奥雷利奥榨油坊", "FA-EVO-500"),
        ("maglificio-bertazzi", "Maglificio Bertazzi", "贝尔塔齐针织", "MB-KNIT-01"),
    ):
        products = [{"code": code, "name_it": f"{name} top", "name_zh_hans": f"{zh}精选", "price_cny": "268"}]
        made.append(BrandFactory(slug=slug, name_it=name, name_zh_hans=zh, products=products))
    return made


@pytest.fixture
def products(brands):
    return [brand.products.get() for brand in brands]


@pytest.fixture
def double11(manager, brands):
    return make_campaign(user=manager, brands=brands, festival_key="double-11", year=2026)


@pytest.fixture
def session(editor, manager, double11, brands, products):
    made = make_session(user=editor, campaign=double11, brands=brands, products=products,
                        when=datetime.datetime(2026, 11, 10, 20, tzinfo=CHINA))  # fmt: skip
    published(ContentItem.objects.get(pk=made.pk), editor=editor, manager=manager)
    made.refresh_from_db()
    return made


def _save(manager, session, products, sales, viewers=420_001, baseline=(None, None)):
    return livestream_results_save(
        user=manager,
        session=session,
        audience={"peak_viewers": 38_000, "viewers": viewers, "interactions": 90_000, "followers_gained": 4_200},
        sales={p.pk: value for p, value in zip(products, sales, strict=True)},
        baseline=baseline,
    )


def test_a_sessions_results_are_facts_per_brand_that_add_up_to_the_session(manager, session, products, brands):
    _save(manager, session, products, [(1200, Decimal("321600")), (800, Decimal("214400")), (None, None)])

    facts = {f.brand_id: f for f in MetricFact.objects.filter(item=session.item)}
    assert {b.pk: facts[b.pk].viewers for b in brands} == {brands[0].pk: 140_001, brands[1].pk: 140_000,
                                                           brands[2].pk: 140_000}  # fmt: skip
    assert (facts[brands[0].pk].items_sold, facts[brands[0].pk].gmv_cny) == (1200, Decimal("321600.00"))
    assert (facts[brands[1].pk].items_sold, facts[brands[1].pk].gmv_cny) == (800, Decimal("214400.00"))
    assert facts[brands[2].pk].items_sold is None  # nothing of theirs was sold: not reported, not 0
    rollups = MetricRollup.objects.filter(campaign=session.item.campaign).aggregate(
        viewers=Sum("viewers"), items=Sum("items_sold"), gmv=Sum("gmv_cny"), interactions=Sum("interactions")
    )
    assert rollups == {"viewers": 420_001, "items": 2000, "gmv": Decimal("536000.00"), "interactions": 90_000}
    assert BrandDay.objects.get(brand=brands[0], day=DAY).items_sold == 1200


def test_entering_a_sessions_results_again_moves_the_sums_by_the_correction(manager, session, products, brands):
    _save(manager, session, products, [(1200, Decimal("321600")), (800, Decimal("214400")), (None, None)])
    _save(manager, session, products, [(1000, Decimal("268000")), (None, None), (50, Decimal("9900"))],
          viewers=300_000)  # fmt: skip

    assert MetricRollup.objects.aggregate(v=Sum("viewers"), i=Sum("items_sold"), g=Sum("gmv_cny")) == {
        "v": 300_000, "i": 1050, "g": Decimal("277900.00")}  # fmt: skip
    assert MetricFact.objects.get(item=session.item, brand=brands[1]).items_sold is None  # cleared: its sums left
    assert not ProductSale.objects.filter(item=session.item, product=products[1]).exists()


def test_results_wait_for_the_session(manager, editor, double11, brands, products):
    coming = make_session(user=editor, campaign=double11, brands=brands, products=products,
                          when=datetime.datetime(2099, 11, 10, 20, tzinfo=CHINA))  # fmt: skip
    with pytest.raises(ValidationError):
        _save(manager, coming, products, [(1, None), (None, None), (None, None)])
    assert not MetricFact.objects.exists()


@pytest.mark.parametrize(
    "baseline",
    [
        (datetime.date(2026, 11, 1), datetime.date(2026, 11, 10)),  # ends on the session's day
        (datetime.date(2026, 10, 28), datetime.date(2026, 10, 1)),  # ends before it starts
        (datetime.date(2025, 1, 1), datetime.date(2026, 10, 31)),  # longer than a year
        (datetime.date(2026, 10, 1), None),
    ],
)
def test_a_bad_baseline_is_refused_and_nothing_is_written(manager, session, products, baseline):
    with pytest.raises(ValidationError):
        _save(manager, session, products, [(1, None), (None, None), (None, None)], baseline=baseline)
    assert not ProductSale.objects.exists() and not MetricFact.objects.exists()


def _daily(products_days):
    """The store's daily sales as an import writes them: {(product, day): items}."""
    source = store_source()
    for (product, day), items in products_days.items():
        ProductSale.objects.create(source=source, source_key=f"store|{product.pk}|{day}", product=product,
                                   product_code=product.code, brand_id=product.brand_id, day=day, items_sold=items,
                                   gmv_cny=Decimal(items) * 100)  # fmt: skip


def test_the_uplift_of_the_featured_products_against_the_chosen_baseline(manager, session, products):
    october = [datetime.date(2026, 10, d) for d in range(1, 29)]  # 28 days
    # Wine: 35,000 items in the 28 days (1,250 a day); oil: 2,800 (100 a day); knitwear: no figures.
    _daily({(products[0], d): 1250 for d in october} | {(products[1], d): 100 for d in october})
    _daily({(products[0], datetime.date(2026, 9, 30)): 99_999})  # outside the baseline: not counted
    _save(manager, session, products, [(3250, Decimal("650000")), (150, Decimal("40200")), (20, Decimal("5360"))],
          baseline=(october[0], october[-1]))  # fmt: skip

    sales = session_sales(session, None)
    lines = {line.code: line for line in sales.lines}
    assert lines["CA-BRU-750"].uplift_items.percent == Decimal("160.00")  # 3,250 against 1,250 a day
    assert lines["FA-EVO-500"].uplift_items.percent == Decimal("50.00")  # 150 against 100 a day
    assert lines["MB-KNIT-01"].uplift_items is None and sales.left_out == ["MB-KNIT-01"]
    # Together, over the products with a baseline: 3,400 against (35,000 + 2,800) / 28 = 1,350 a day.
    assert sales.uplift_items.per_day == Decimal("1350.00")
    assert sales.uplift_items.percent == Decimal("151.85")  # 3,400 / 1,350 − 1 = 1.5185…
    assert sales.baseline_days == 28 and sales.items_sold == 3420
    # GMV: ¥690,200 against (3,500,000 + 280,000) / 28 = ¥135,000 a day: +411.26%.
    assert sales.uplift_gmv.percent == Decimal("411.26")


def test_a_brand_user_reads_their_own_products_and_the_sessions_viewers(manager, session, products, brands):
    _save(manager, session, products, [(1200, Decimal("3131313")), (800, Decimal("4242424")), (None, None)])
    sales = session_sales(session, [brands[0].pk])
    assert [line.code for line in sales.lines] == ["CA-BRU-750"] and sales.gmv_cny == Decimal("3131313.00")
    assert session_audience(session).viewers == 420_001  # the session's, not the brand's share


def test_the_session_page_shows_a_brand_user_their_part_only(client, manager, session, products, brands):
    _save(manager, session, products, [(1200, Decimal("3131313")), (800, Decimal("4242424")), (None, None)])
    user = UserFactory()
    MembershipFactory(user=user, brand=brands[0])
    client.force_login(user)
    page = client.get(reverse("campaigns:livestream_detail", kwargs={"pk": session.pk})).content.decode()
    assert "420,001" in page and "3,131,313.00" in page and "CA-BRU-750" in page
    assert "4,242,424" not in page and "FA-EVO-500" not in page and "奥雷利奥" not in page
    assert "7,373,737" not in page  # the session's total GMV would give the other brand's away
    listing = client.get(reverse("campaigns:livestream_list") + "?when=past").content.decode()
    assert "420,001" in listing and "3,131,313.00" in listing and "4,242,424" not in listing


def test_the_entry_page_saves_figures_as_platforms_write_them(client, manager, session, products):
    client.force_login(manager)
    url = reverse("results:livestream_entry", kwargs={"pk": session.pk})
    data = {"viewers": "42万", "peak_viewers": "3.8万", "interactions": "90,000", "followers_gained": "",
            f"items_{products[0].pk}": "1,200", f"gmv_{products[0].pk}": "¥321,600.50",
            "baseline_starts_on": "2026-10-01", "baseline_ends_on": "2026-10-28"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert session_audience(session).viewers == 420_000
    sale = ProductSale.objects.get(item=session.item)
    assert (sale.items_sold, sale.gmv_cny) == (1200, Decimal("321600.50"))
    data["peak_viewers"] = "50万"  # above the total
    page = client.post(url, data)
    assert page.status_code == 200 and "The peak cannot be above the total viewers." in page.content.decode()


# --- importing sales per product --------------------------------------------------------------------------------------


def _upload(text, name="sales.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"))


def test_a_sessions_sales_are_imported_from_a_file_with_chinese_headers(manager, session, products):
    text = (
        '双十一直播成交明细\n商品编码,成交件数,成交金额（元）\nCA-BRU-750,1.2万,"¥3,216,000"\nfa-evo-500,800,214400\n'
    )
    report = product_sales_import(user=manager, session=session, upload=_upload(text), kind="session")
    assert report.ok and report.written == 2
    assert {s.product_code: s.items_sold for s in ProductSale.objects.filter(item=session.item)} == {
        "CA-BRU-750": 12_000, "FA-EVO-500": 800}  # fmt: skip
    assert MetricFact.objects.get(item=session.item, brand=products[0].brand).gmv_cny == Decimal("3216000.00")


def test_a_file_with_bad_rows_writes_nothing_and_says_which_rows(manager, session, products):
    text = "SKU,Items sold,GMV\nCA-BRU-750,100,1000\nNO-SUCH-SKU,5,10\nFA-EVO-500,lots,10\nMB-KNIT-01,-3,1\n"
    report = product_sales_import(user=manager, session=session, upload=_upload(text), kind="session")
    assert not report.ok and report.written == 0
    assert [(row, column) for row, column, _message in report.issues] == [(3, "Product"), (4, "Items sold"),
                                                                          (5, "Items sold")]  # fmt: skip
    assert "NO-SUCH-SKU" in report.issues[0][2]
    assert not ProductSale.objects.exists() and not MetricFact.objects.exists()


def test_daily_store_sales_are_imported_for_the_baseline(manager, session, products):
    text = (
        "日期,商品名称,支付件数,支付金额\n2026-10-01,奥雷利亚酒庄精选,1250,335000\n2026/10/02,CA-BRU-750,1300,348400\n"
    )
    report = product_sales_import(user=manager, session=session, upload=_upload(text), kind="daily")
    assert report.ok and report.written == 2
    assert list(ProductSale.objects.filter(item__isnull=True).order_by("day").values_list("day", "items_sold")) == [
        (datetime.date(2026, 10, 1), 1250), (datetime.date(2026, 10, 2), 1300)]  # fmt: skip
    again = product_sales_import(user=manager, session=session, upload=_upload(text), kind="daily")
    assert again.ok and ProductSale.objects.count() == 2  # the same days again: corrected, not doubled


def test_a_file_without_the_needed_columns_is_refused(manager, session):
    report = product_sales_import(user=manager, session=session, upload=_upload("a,b\n1,2\n"), kind="daily")
    assert "column for the date" in report.failure


def test_the_import_page_lists_the_bad_rows(client, manager, session):
    client.force_login(manager)
    url = reverse("results:livestream_import", kwargs={"pk": session.pk})
    response = client.post(url, {"kind": "session", "file": _upload("SKU,Items sold\nNOPE,1\n")})
    assert response.status_code == 400 and "No product “NOPE”" in response.content.decode()


# --- bookings' results and KOLs side by side --------------------------------------------------------------------------


@pytest.fixture
def kols(manager):
    return make_kol(manager), make_kol(manager, name="Coco", name_zh="珠宝控Coco")


def test_a_bookings_costs_come_from_the_facts_of_its_items(manager, session, products, kols, brands):
    _save(manager, session, products, [(1500, Decimal("150000")), (1000, Decimal("36000")), (None, None)])
    booking = book(manager, kols[0], session.item.campaign, items=[session.item], fee="30000")
    result = booking_results([KolBooking.objects.prefetch_related("items").get(pk=booking.pk)], None)[booking.pk]

    assert result.livestream and result.has_results
    assert (result.totals.items_sold, result.totals.gmv_cny) == (2500, Decimal("186000.00"))
    assert result.per_item_sold == Decimal("12.00") and result.gmv_to_fee == Decimal("6.20")
    assert result.per_follower == Decimal("7.14")  # 30,000 / 4,200 followers gained
    assert result.per_interaction == Decimal("0.33")  # 30,000 / 90,000
    assert result.per_thousand_impressions is None  # the session reported no impressions: nothing to divide by
    mine = booking_results([KolBooking.objects.prefetch_related("items").get(pk=booking.pk)], [brands[0].pk])
    assert mine[booking.pk].totals.items_sold == 1500  # a brand user's part


def test_a_booking_of_a_whole_campaign_reads_its_days_of_the_campaign(manager, editor, brand, kols, file_source):
    campaign = make_campaign(user=manager, brands=[brand], festival_key="double-11", year=2026)
    item = make_item(campaign, author=editor, brands=[brand], channel="banner")
    write(file_source, *[{"date": f"2026-11-{d:02d}", "channel": "banner", "brand": brand.slug, "item": item.pk,
                          "impressions": "100000", "followers_gained": "500"} for d in (5, 6, 20)])  # fmt: skip
    booking = book(manager, kols[1], campaign, fee="12000", starts_on=datetime.date(2026, 11, 1),
                   ends_on=datetime.date(2026, 11, 10))  # fmt: skip
    result = booking_results([KolBooking.objects.prefetch_related("items").get(pk=booking.pk)], None)[booking.pk]
    assert result.basis_items == 0 and result.totals.impressions == 200_000  # the 20th is after the booking
    assert result.per_thousand_impressions == Decimal("60.00") and result.per_follower == Decimal("12.00")


def test_a_booking_without_results_says_so(manager, double11, kols):
    booking = book(manager, kols[0], double11)
    result = booking_results([KolBooking.objects.prefetch_related("items").get(pk=booking.pk)], None)[booking.pk]
    assert not result.has_results and result.per_follower is None


def test_booking_results_cost_two_queries_whatever_the_bookings(manager, session, double11, products, kols):
    _save(manager, session, products, [(10, None), (None, None), (None, None)])
    for n in range(6):
        book(manager, kols[n % 2], double11, items=[session.item] if n % 2 else [])
    bookings = list(KolBooking.objects.prefetch_related("items"))
    with CaptureQueriesContext(connection) as queries:
        booking_results(bookings, None)
    assert len(queries) == 2


def test_kols_side_by_side_divide_the_fees_of_bookings_with_results(manager, session, products, kols, double11):
    _save(manager, session, products, [(1500, Decimal("150000")), (1000, Decimal("36000")), (None, None)])
    book(manager, kols[0], double11, items=[session.item], fee="30000")
    book(manager, kols[0], double11, items=[make_item(double11, author=manager, channel="kol_post")], fee="9000")
    book(manager, kols[0], double11, items=[session.item], fee="99999", status="proposed")  # not agreed: left out
    lily, coco = kol_records([kols[0], kols[1]])
    assert (lily.bookings, lily.with_results, lily.fee) == (2, 1, Decimal("30000.00"))
    assert lily.per_item_sold == Decimal("12.00") and lily.gmv_to_fee == Decimal("6.20")
    assert (coco.bookings, coco.per_follower) == (0, None)


def test_the_compare_page_needs_two_to_four_kols_and_marks_the_best(client, manager, session, products, kols,
                                                                    double11):  # fmt: skip
    _save(manager, session, products, [(1500, Decimal("150000")), (None, None), (None, None)])
    book(manager, kols[0], double11, items=[session.item], fee="30000")
    book(manager, kols[1], double11, items=[session.item], fee="60000")
    client.force_login(manager)
    url = reverse("results:kol_compare")
    assert "Choose two to four KOLs" in client.get(url, {"kol": [kols[0].pk]}).content.decode()
    page = client.get(url, {"kol": [kols[0].pk, kols[1].pk]}).content.decode()
    assert "¥20.00" in page and "¥40.00" in page and "best" in page  # per item sold: 30,000 and 60,000 / 1,500
