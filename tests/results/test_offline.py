"""Offline to online: an event's scans (bots left out) next to the followers its brands gained in its days, on the
campaign's results and on the tracking event page; the followers typed in by hand only when nothing was measured."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from campaigns.results.facts import FactRow
from campaigns.results.offline import campaign_events, followers_in_window
from campaigns.results.services import facts_upsert
from campaigns.tracking.models import ScanHour
from campaigns.tracking.services import event_save, link_save
from tests.utils import count_queries

pytestmark = pytest.mark.django_db
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
START, END = datetime.date(2026, 11, 5), datetime.date(2026, 11, 7)


def scans(link, hour, count, uniques, bot=False):
    ScanHour.objects.create(link=link, hour=hour, source="qr", outcome="redirect", app="wechat",
                            device="bot" if bot else "phone", is_bot=bot, scans=count, uniques=uniques)  # fmt: skip


def account(key, brand, day, gained):
    return FactRow(key, day, "tmall_article", brand.pk, figures={"followers_gained": gained})


@pytest.fixture
def popup(manager, brand, other_brand, campaign):
    """A pop-up of both brands in the campaign (typed-in followers: 999), with a code for each brand and one for
    the whole event; scans on its first day, a bot among them."""
    event = event_save(user=manager, title="Double 11 pop-up", kind="popup", city="上海", starts_on=START,
                       ends_on=END, campaign=campaign, brands=[brand, other_brand], products=[],
                       followers_gained=999)  # fmt: skip
    url = "https://example.com/d11"
    a = link_save(user=manager, event=event, label="A counter", destination=url, brands=[brand])
    b = link_save(user=manager, event=event, label="B counter", destination=url, brands=[other_brand])
    everyone = link_save(user=manager, event=event, label="Entrance", destination=url, brands=[])
    noon = datetime.datetime(2026, 11, 5, 12, tzinfo=CHINA)
    scans(a, noon, 30, 20)
    scans(b, noon, 50, 40)
    scans(everyone, noon, 10, 8)
    scans(everyone, noon, 500, 1, bot=True)
    return event


@pytest.fixture
def measured(file_source, brand, other_brand):
    """Followers gained: the brand 12 + 8 in the event's days, the other brand 30; days outside the window too."""
    facts_upsert(
        source=file_source,
        rows=[
            account("a5", brand, START, 12),
            account("a7", brand, END, 8),
            account("a-before", brand, START - datetime.timedelta(days=1), 1000),
            account("b6", other_brand, datetime.date(2026, 11, 6), 30),
            account("b-after", other_brand, END + datetime.timedelta(days=1), 2000),
        ],
    )


def test_staff_see_each_event_s_scans_beside_its_brands_followers(popup, measured, manager, campaign):
    (row,) = campaign_events(manager, campaign, None)
    assert (row.scans, row.uniques) == (90, 68)  # the bot's 500 scans left out
    assert (row.followers, row.measured) == (50, True)  # 12 + 8 + 30, not the 999 typed in
    assert row.followers_per_visitor == pytest.approx(50 / 68)


def test_a_brand_user_sees_their_codes_and_their_followers_only(popup, measured, brand_user, brand, campaign):
    (row,) = campaign_events(brand_user, campaign, [brand.pk])
    assert (row.scans, row.uniques) == (40, 28)  # their counter and the entrance, not the other brand's counter
    assert (row.followers, row.measured) == (20, True)


def test_the_typed_in_followers_count_only_when_nothing_was_measured(popup, file_source, manager, brand_user, brand,
                                                                     campaign):  # fmt: skip
    # Followers measured only outside the event's days: nothing measured for the event.
    facts_upsert(source=file_source, rows=[account("a-before", brand, START - datetime.timedelta(days=1), 1000)])
    (row,) = campaign_events(manager, campaign, None)
    assert (row.followers, row.measured) == (999, False)
    # All the event's brands together: a brand user of a shared event does not see that figure.
    (own,) = campaign_events(brand_user, campaign, [brand.pk])
    assert own.followers is None
    assert followers_in_window([brand.pk], START, END) is None


def test_the_event_page_shows_measured_followers_day_by_day(popup, measured, client_for, manager, brand_user):
    url = reverse("tracking:event_detail", kwargs={"pk": popup.pk})
    staff = client_for(manager).get(url)
    assert staff.context["measured"].total == 50
    assert [(d.day.day, d.scans, d.followers) for d in staff.context["days"]] == [(5, 90, 12), (6, 0, 30), (7, 0, 8)]
    page = staff.content.decode()
    assert "the platforms&#x27; figures" in page or "the platforms' figures" in page
    assert ">999<" not in page
    own = client_for(brand_user).get(url)
    assert own.context["measured"].total == 20
    assert [(d.scans, d.followers) for d in own.context["days"]] == [(40, 12), (0, 0), (0, 8)]


def test_the_event_page_falls_back_to_the_typed_in_figure(popup, client_for, manager):
    response = client_for(manager).get(reverse("tracking:event_detail", kwargs={"pk": popup.pk}))
    assert response.context["measured"] is None
    page = response.content.decode()
    assert "999" in page and "entered by hand" in page


def test_the_campaign_page_lists_the_events_in_a_fixed_number_of_queries(
    popup, measured, client_for, manager, brand, campaign
):
    client = client_for(manager)
    url = reverse("campaigns:campaign_detail", kwargs={"pk": campaign.pk})
    few = count_queries(client, url)
    for n in range(3):
        day = START + datetime.timedelta(days=n + 10)
        more = event_save(user=manager, title=f"Roadshow {n}", kind="roadshow", city="杭州", starts_on=day,
                          ends_on=day, campaign=campaign, brands=[brand], products=[])  # fmt: skip
        link = link_save(user=manager, event=more, label="Gate", destination="https://example.com/", brands=[brand])
        scans(link, datetime.datetime.combine(day, datetime.time(15), tzinfo=CHINA), 5, 5)
    assert count_queries(client, url) == few
    page = client.get(url).content.decode()
    assert "Roadshow 2" in page and "Offline to online" in page
