"""KOLs: records with their accounts and follower history, the list's filters, bookings and who sees them, and the
content item's KOL picked instead of typed."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.filters import KolFilterSet
from campaigns.kols import kol_growth, kol_save
from campaigns.models import ContentItem, Kol, KolBooking
from campaigns.services import campaign_copy_to_next_year, content_save
from tests.campaigns.conftest import ZH_TEXTS, make_campaign, make_item, move
from tests.campaigns.kol_data import book, make_kol, record
from tests.factories import BrandFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- records ----------------------------------------------------------------------------------------------------------


def test_a_kol_is_saved_with_accounts_and_todays_followers(manager):
    kol = make_kol(
        manager,
        accounts=(("red", "lily_in_italy", 400_000), ("douyin", "lily.italia", 650_000)),
        focus=["wine", "food"],
        languages=["zh", "it"],
        agency="Milano Bridge MCN",
    )

    assert kol.followers == 1_050_000
    assert {a.platform: a.followers for a in kol.accounts.all()} == {"red": 400_000, "douyin": 650_000}
    assert "lily.italia" in kol.search_text and "milano bridge mcn" in kol.search_text
    assert kol.tags == " focus:wine focus:food lang:zh lang:it "


def test_the_same_person_twice_is_refused_whatever_the_spelling(manager):
    make_kol(manager, name="Lily", name_zh="意式生活家Lily")

    with pytest.raises(ValidationError) as error:
        kol_save(user=manager, name="LILY", name_zh="意式生活家 Ｌｉｌｙ")
    assert "意式生活家Lily" in str(error.value)
    # Another Chinese name with the same Latin one is another person.
    assert kol_save(user=manager, name="Lily", name_zh="酒评人Lily").pk


def test_a_kol_needs_a_name_and_a_fee_range_in_order(manager):
    with pytest.raises(ValidationError):
        kol_save(user=manager, name="", name_zh="")
    with pytest.raises(ValidationError):
        kol_save(user=manager, name="Vivi", fee_min_cny=Decimal(30_000), fee_max_cny=Decimal(10_000))


def test_only_staff_write_kols(brand_user):
    with pytest.raises(PermissionDenied):
        kol_save(user=brand_user, name="Vivi")


def test_the_follower_history_keeps_one_count_a_day_and_the_latest_is_the_kols(manager):
    kol = make_kol(manager, accounts=(("red", "lily", 400_000), ("weibo", "lily", 100_000)))
    record(manager, kol, "red", datetime.date(2026, 10, 1), 380_000)
    record(manager, kol, "red", datetime.date(2026, 9, 1), 350_000)
    record(manager, kol, "red", datetime.date(2026, 9, 1), 355_000)  # the same day again: corrected

    red = kol.accounts.get(platform="red")
    days = [row[0] for row in kol_growth(red)]
    assert days[1:] == [datetime.date(2026, 10, 1), datetime.date(2026, 9, 1)]
    assert kol_growth(red)[1:] == [
        (datetime.date(2026, 10, 1), 380_000, 25_000),
        (datetime.date(2026, 9, 1), 355_000, None),
    ]
    kol.refresh_from_db()
    assert kol.followers == 500_000  # today's counts are the latest


def test_a_count_for_a_day_to_come_is_refused(manager):
    kol = make_kol(manager)
    with pytest.raises(ValidationError):
        record(manager, kol, "red", datetime.date.today() + datetime.timedelta(days=2), 1)


def test_an_account_is_removed_with_its_history_only_when_asked(manager):
    kol = make_kol(manager, accounts=(("red", "lily", 400_000),))
    kol_save(user=manager, kol=kol, accounts=[{"platform": "red", "handle": "", "profile_url": ""}])
    assert kol.accounts.get().handle == ""  # emptied, kept with its history
    kol_save(user=manager, kol=kol, accounts=[{"platform": "red", "remove": True}])
    kol.refresh_from_db()
    assert (kol.accounts.count(), kol.followers) == (0, 0)


# --- the list ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def kols(manager):
    return {
        "lily": make_kol(manager, focus=["wine", "food"], languages=["zh", "it"], fee_min_cny=Decimal(30_000),
                         accounts=(("taobao_live", "yishi_lily", 1_200_000), ("red", "lily", 400_000))),
        "coco": make_kol(manager, name="Coco", name_zh="珠宝控Coco", focus=["jewellery"], languages=["zh", "en"],
                         fee_min_cny=Decimal(25_000), accounts=(("red", "coco_jewels", 318_000),)),
        "chen": make_kol(manager, name="Lao Chen", name_zh="酒评人老陈", focus=["wine"], languages=["zh"],
                         accounts=(("douyin", "laochen_wine", 455_000),), agency="Grape & Glass"),
    }  # fmt: skip


def _names(data):
    return {kol.name for kol in KolFilterSet(data, queryset=Kol.objects.all()).qs}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"platform": "red"}, {"Lily", "Coco"}),
        ({"focus": "wine"}, {"Lily", "Lao Chen"}),
        ({"language": "it"}, {"Lily"}),
        ({"followers_min": "400000"}, {"Lily", "Lao Chen"}),
        ({"followers_min": "300000", "followers_max": "500000"}, {"Coco", "Lao Chen"}),
        ({"budget": "26000"}, {"Coco", "Lao Chen"}),  # Lao Chen's fee is not known: he stays in
        ({"q": "老陈"}, {"Lao Chen"}),
        ({"q": "coco_jewels"}, {"Coco"}),
        ({"q": "grape"}, {"Lao Chen"}),
        ({"focus": "wine", "platform": "douyin"}, {"Lao Chen"}),
    ],
)
def test_the_kol_filters(kols, data, expected):
    assert _names(data) == expected


def test_the_kol_list_sorts_by_followers(kols):
    ordered = KolFilterSet({"sort": "-followers"}, queryset=Kol.objects.all()).qs
    assert [k.name for k in ordered] == ["Lily", "Lao Chen", "Coco"]


def test_the_kol_list_costs_the_same_queries_for_1_and_12_kols(client, manager):
    client.force_login(manager)
    make_kol(manager, name="K0", name_zh="达人零号")
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("campaigns:kol_list")).status_code == 200
    for n in range(1, 12):
        make_kol(
            manager, name=f"K{n}", name_zh=f"测试达人{n}号", accounts=(("red", f"k{n}", n), ("douyin", f"k{n}", n))
        )
    with CaptureQueriesContext(connection) as twelve:
        page = client.get(reverse("campaigns:kol_list"))
    assert page.status_code == 200 and "测试达人11号" in page.content.decode()
    assert len(twelve) == len(one)


def test_the_kol_page_shows_accounts_history_and_bookings(client, manager, kols, campaign):
    book(manager, kols["lily"], campaign, fee="45000", deliverables="两场直播")
    client.force_login(manager)
    page = client.get(reverse("campaigns:kol_detail", kwargs={"pk": kols["lily"].pk})).content.decode()
    assert "yishi_lily" in page and "1,200,000" in page and "两场直播" in page and "45,000.00" in page


# --- bookings ---------------------------------------------------------------------------------------------------------


def test_a_booking_names_items_of_its_campaign_only(manager, editor, kols, campaign, brand):
    other = make_campaign(user=manager, brands=[brand], festival_key="double-11", year=2027)
    stranger = make_item(other, author=editor, brands=[brand], channel="kol_post")
    with pytest.raises(ValidationError):
        book(manager, kols["coco"], campaign, items=[stranger])


def test_a_booking_cannot_end_before_it_starts(manager, kols, campaign):
    with pytest.raises(ValidationError):
        book(manager, kols["coco"], campaign, starts_on=datetime.date(2027, 8, 10), ends_on=datetime.date(2027, 8, 1))


def test_brand_users_see_the_agreed_bookings_their_brands_took_part_in(manager, editor, kols, brand, other_brand):
    shared = make_campaign(user=manager, brands=[brand, other_brand], festival_key="double-11", year=2027)
    own = move(make_item(shared, author=editor, brands=[brand], channel="kol_post", **ZH_TEXTS), to="approved",
               editor=editor, manager=manager)  # fmt: skip
    theirs = move(make_item(shared, author=editor, brands=[other_brand], channel="kol_post", **ZH_TEXTS),
                  to="approved", editor=editor, manager=manager)  # fmt: skip
    draft = make_item(shared, author=editor, brands=[brand], channel="kol_post", **ZH_TEXTS)
    visible = {
        book(manager, kols["coco"], shared, items=[own]).pk,
        book(manager, kols["lily"], shared).pk,  # the whole campaign: every brand of it took part
    }
    book(manager, kols["coco"], shared, items=[theirs])  # the other brand's item
    book(manager, kols["chen"], shared, items=[own], status="proposed")  # not agreed yet
    book(manager, kols["chen"], shared, items=[draft])  # a draft is not shown to brands
    user = UserFactory()
    MembershipFactory(user=user, brand=brand)

    assert set(KolBooking.objects.visible_to(user).values_list("pk", flat=True)) == visible
    assert KolBooking.objects.visible_to(manager).count() == 5


def test_the_bookings_list_shows_a_brand_user_no_fee(client, manager, editor, kols, brand, brand_user):
    campaign = make_campaign(user=manager, brands=[brand], festival_key="double-11", year=2027)
    book(manager, kols["lily"], campaign, fee="43210")
    client.force_login(brand_user)
    page = client.get(reverse("campaigns:kolbooking_list")).content.decode()
    assert "意式生活家Lily" in page and "43210" not in page and "43,210" not in page
    client.force_login(manager)
    assert "43,210.00" in client.get(reverse("campaigns:kolbooking_list")).content.decode()


def test_the_booking_form_offers_the_chosen_campaigns_items(client, manager, editor, kols, campaign, brand):
    item = make_item(campaign, author=editor, brands=[brand], channel="kol_post", title_en="Lily tries the oil")
    client.force_login(manager)
    url = reverse("campaigns:kolbooking_create") + f"?kol={kols['lily'].pk}&campaign={campaign.pk}"
    assert "Lily tries the oil" in client.get(url).content.decode()
    response = client.post(
        url,
        {"kol": kols["lily"].pk, "campaign": campaign.pk, "items": [item.pk], "fee_cny": "30000",
         "deliverables": "一篇小红书笔记", "starts_on": "2027-08-01", "ends_on": "2027-08-09", "status": "confirmed"},
    )  # fmt: skip
    assert response.status_code == 302
    booking = KolBooking.objects.get()
    assert list(booking.items.all()) == [item] and booking.created_by == manager


# --- the content item's KOL -------------------------------------------------------------------------------------------


def test_the_item_form_picks_a_kol_and_the_old_text_goes(client, manager, editor, kols, campaign, brand):
    item = make_item(campaign, author=editor, brands=[brand], channel="kol_post", **ZH_TEXTS)
    ContentItem.objects.filter(pk=item.pk).update(kol_text="Lily & Coco")
    client.force_login(editor)
    url = reverse("campaigns:contentitem_update", kwargs={"item_pk": item.pk})
    form = client.get(url).content.decode()
    assert "Lily &amp; Coco" in form and 'data-picker="1"' in form and "珠宝控Coco" in form
    item.refresh_from_db()
    data = {"channel": "kol_post", "scheduled_at": "2027-08-08T20:00", "brands": [brand.pk], "kol": kols["coco"].pk,
            "kol_text": "Lily & Coco", "version": item.version, **ZH_TEXTS}  # fmt: skip
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.kol, item.kol_text) == (kols["coco"], "")


def test_the_kol_of_an_item_is_not_reviewed_content(manager, editor, kols, campaign, brand):
    item = move(make_item(campaign, author=editor, brands=[brand], channel="kol_post", **ZH_TEXTS), to="approved",
                editor=editor, manager=manager)  # fmt: skip
    item = content_save(user=editor, campaign=campaign, item=item, kol=kols["lily"])
    assert (item.status, item.kol) == ("approved", kols["lily"])


def test_copying_a_campaign_to_next_year_keeps_its_items_kols(manager, editor, kols, campaign, brand):
    item = make_item(campaign, author=editor, brands=[brand], channel="kol_post", **ZH_TEXTS)
    content_save(user=editor, campaign=campaign, item=item, kol=kols["chen"])
    copy = campaign_copy_to_next_year(campaign=campaign, user=manager)
    assert copy.items.get().kol == kols["chen"]


def test_the_unmatched_page_says_why_and_links_to_the_item(client, manager, editor, kols, campaign, brand):
    ambiguous = make_kol(manager, name="Lily", name_zh="酒评人Lily", accounts=())
    assert ambiguous.pk
    item = make_item(campaign, author=editor, brands=[brand], channel="kol_post", title_en="Two KOLs in one")
    ContentItem.objects.filter(pk=item.pk).update(kol_text="Lily")
    client.force_login(manager)
    assert "1 content item names a KOL" in client.get(reverse("campaigns:kol_list")).content.decode()
    page = client.get(reverse("campaigns:kol_unmatched")).content.decode()
    assert "Could be more than one KOL: 意式生活家Lily, 酒评人Lily." in page
    assert reverse("campaigns:contentitem_update", kwargs={"item_pk": item.pk}) in page


def test_a_kol_not_in_the_brand_users_reach(client, brand_user, kols):
    client.force_login(brand_user)
    assert client.get(reverse("campaigns:kol_detail", kwargs={"pk": kols["lily"].pk})).status_code == 403


def test_other_brands_users_do_not_see_a_brands_bookings(manager, kols, brand, other_brand):
    campaign = make_campaign(user=manager, brands=[brand], festival_key="double-11", year=2027)
    book(manager, kols["lily"], campaign)
    outsider = UserFactory()
    MembershipFactory(user=outsider, brand=BrandFactory())
    assert not KolBooking.objects.visible_to(outsider).exists()


def test_the_bookings_list_costs_the_same_queries_for_2_and_10_bookings(client, manager, editor, kols, brand):
    """With their KOL, campaign, items and results (the results app's column): a fixed number of queries."""
    campaign = make_campaign(user=manager, brands=[brand], festival_key="double-11", year=2027)

    def add(n):
        item = make_item(campaign, author=editor, brands=[brand], channel="kol_post", title_en=f"Post {n}")
        book(manager, kols[("lily", "coco", "chen")[n % 3]], campaign, items=[item] if n % 2 else [])

    add(0)
    add(1)  # one booking of the whole campaign, one of an item: each kind has its query
    client.force_login(manager)
    with CaptureQueriesContext(connection) as two:
        assert client.get(reverse("campaigns:kolbooking_list")).status_code == 200
    for n in range(2, 10):
        add(n)
    with CaptureQueriesContext(connection) as ten:
        page = client.get(reverse("campaigns:kolbooking_list")).content.decode()
    assert "Post 9" in page and len(ten) == len(two)


def test_the_unmatched_names_list_costs_the_same_queries_for_1_and_10_items(client, manager, editor, campaign, brand):
    client.force_login(manager)

    def add(n):
        item = make_item(campaign, author=editor, brands=[brand], channel="kol_post", title_en=f"Typed {n}")
        ContentItem.objects.filter(pk=item.pk).update(kol_text=f"待定{n}" if n % 2 else "TBD")

    add(0)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("campaigns:kol_unmatched")).status_code == 200
    for n in range(1, 10):
        add(n)
    with CaptureQueriesContext(connection) as ten:
        page = client.get(reverse("campaigns:kol_unmatched")).content.decode()
    assert "Typed 9" in page and len(ten) == len(one)


def test_a_kol_is_found_by_the_pinyin_of_their_chinese_name(kols):
    assert _names({"q": "laochen"}) == {"Lao Chen"}
    assert _names({"q": "zhu bao kong"}) == {"Coco"}


def test_a_latin_name_that_reads_as_a_kols_chinese_name_is_that_kol(manager):
    make_kol(manager, name="", name_zh="李佳琦")
    with pytest.raises(ValidationError):
        kol_save(user=manager, name="Li Jiaqi")


# --- two records of one person ------------------------------------------------------------------------------------


@pytest.fixture
def duplicate(manager):
    """Lily, and a second record of her made under another spelling, with an account on a platform both have."""
    keep = make_kol(manager, accounts=(("red", "lily_in_italy", 400_000),), languages=["zh"])
    other = make_kol(
        manager,
        name="Lily Italia",
        name_zh="",
        accounts=(("red", "", 390_000), ("douyin", "lily.italia", 650_000)),
        focus=["fashion"],
        languages=["zh", "it"],
        agency="Milano Bridge MCN",
        fee_min_cny=Decimal(20_000),
        fee_max_cny=Decimal(40_000),
        notes="Prefers evening slots.",
    )
    return keep, other


def test_two_records_of_one_person_are_merged_into_one(manager, editor, campaign, brand, duplicate):
    from campaigns.kols import kol_merge

    keep, other = duplicate
    today = datetime.date.today()
    yesterday = today - datetime.timedelta(days=1)
    record(manager, other, "red", yesterday, 380_000)
    booking = book(manager, other, campaign)
    item = make_item(campaign, author=editor, brands=[brand], channel="kol_post")
    ContentItem.objects.filter(pk=item.pk).update(kol=other)

    merged = kol_merge(user=manager, keep=keep, other=other)

    assert (merged.accounts, merged.histories, merged.bookings, merged.items, merged.hosted) == (1, 1, 1, 1, 0)
    assert not Kol.objects.filter(pk=other.pk).exists()
    keep.refresh_from_db()
    accounts = {account.platform: account for account in keep.accounts.all()}
    assert set(accounts) == {"red", "douyin"}
    # A day both records counted keeps the kept record's count; the other days join its history.
    assert list(accounts["red"].counts.order_by("-day").values_list("day", "followers")) == [
        (today, 400_000),
        (yesterday, 380_000),
    ]
    assert (accounts["red"].handle, accounts["douyin"].handle) == ("lily_in_italy", "lily.italia")
    assert keep.followers == 400_000 + 650_000
    assert (keep.name, keep.focus, keep.languages, keep.agency) == (
        "Lily",
        ["fashion"],
        ["zh", "it"],
        "Milano Bridge MCN",
    )
    assert (keep.fee_min_cny, keep.fee_max_cny, keep.notes) == (20_000, 40_000, "Prefers evening slots.")
    assert "lily.italia" in keep.search_text
    assert KolBooking.objects.get(pk=booking.pk).kol == keep and ContentItem.objects.get(pk=item.pk).kol == keep


def test_a_record_is_not_merged_into_itself_and_brand_users_merge_nothing(manager, brand_user, duplicate):
    from campaigns.kols import kol_merge

    keep, other = duplicate
    with pytest.raises(ValidationError):
        kol_merge(user=manager, keep=keep, other=keep)
    with pytest.raises(PermissionDenied):
        kol_merge(user=brand_user, keep=keep, other=other)
    assert Kol.objects.count() == 2


def test_the_merge_page_shows_what_moves_then_merges_once_confirmed(client_for, manager, campaign, duplicate):
    keep, other = duplicate
    book(manager, other, campaign)
    client = client_for(manager)
    url = reverse("campaigns:kol_merge", kwargs={"pk": keep.pk})

    assert client.get(url).status_code == 200
    preview = client.post(url, {"other": other.pk})
    page = preview.content.decode()
    assert preview.status_code == 200 and "Lily Italia will be deleted" in page
    assert "1 platform account" in page and "1 booking" in page
    assert Kol.objects.filter(pk=other.pk).exists()  # nothing done yet

    done = client.post(url, {"other": other.pk, "confirm": "True"})

    assert done.status_code == 302 and done.url == keep.get_absolute_url()
    assert not Kol.objects.filter(pk=other.pk).exists() and keep.bookings.count() == 1
    assert "was merged into this KOL" in client.get(done.url).content.decode()
    assert client.post(url, {"other": keep.pk}).status_code == 200  # itself is no choice: the form says so


def test_compare_from_a_kols_page_opens_the_list_with_that_kol_ticked(client_for, manager, kols):
    client = client_for(manager)
    detail = client.get(reverse("campaigns:kol_detail", kwargs={"pk": kols["coco"].pk})).content.decode()
    link = f"{reverse('campaigns:kol_list')}?compare={kols['coco'].pk}"
    assert f'href="{link}"' in detail

    page = client.get(link).content.decode()

    assert f'id="compare-{kols["coco"].pk}" checked' in page and f'id="compare-{kols["lily"].pk}" checked' not in page
