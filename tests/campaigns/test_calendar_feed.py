"""Calendar feeds: an ICS address per person, read with icalendar as a subscribing calendar app would."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.urls import reverse

from campaigns.choices import ContentStatus
from campaigns.feeds import calendar_feed_reset, calendar_ics
from campaigns.models import CalendarFeed
from tests.campaigns.conftest import ZH_TEXTS, china, make_campaign, make_item, move
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2027, 7, 1)


def feed_url(user):
    return reverse("campaigns:calendar_feed", kwargs={"token": calendar_feed_reset(user=user).token})


def events(body: bytes) -> dict:
    """The feed's events by UID (without the domain)."""
    cal = icalendar.Calendar.from_ical(body)
    return {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}


@pytest.fixture
def shared_world(editor, manager, brand, other_brand):
    """A Qixi 2027 campaign shared by two brands: a reviewed item of each, a draft of the first brand."""
    shared = make_campaign(user=editor, brands=[brand, other_brand], title="Qixi together")

    def item(brands, title, to=ContentStatus.APPROVED, hour=20):
        at = china(2027, 8, 19, hour)
        texts = {**ZH_TEXTS, "title_en": title}
        made = make_item(shared, author=editor, channel="kol_post", brands=brands, scheduled_at=at, **texts)
        return move(made, to=to, editor=editor, manager=manager)

    return {
        "a": item([brand], "Aurelio Qixi oil"),
        "b": item([other_brand], "Bertazzi Qixi knit", hour=21),
        "draft": item([brand], "Aurelio draft", to=ContentStatus.DRAFT, hour=22),
    }


def test_the_feed_parses_and_holds_festivals_deadlines_and_items_in_china_time(editor, shared_world):
    body = calendar_ics(editor, base_url="https://hub.example", today=TODAY)
    cal = icalendar.Calendar.from_ical(body)
    found = events(body)

    assert cal["X-WR-TIMEZONE"] == "Asia/Shanghai" and cal["VERSION"] == "2.0"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    qixi = found["festival-qixi-2027"]
    assert qixi.decoded("DTSTART") == datetime.date(2027, 8, 8)  # lunar 7/7 (CALENDAR.md)
    assert qixi.decoded("DTEND") == datetime.date(2027, 8, 9)
    assert "festival-due-qixi-2027" in found
    item = shared_world["a"]
    event = found[f"item-{item.pk}"]
    assert event.decoded("DTSTART") == china(2027, 8, 19, 20)
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert b"DTSTART;TZID=Asia/Shanghai:20270819T200000" in body
    assert str(event["SUMMARY"]) == "KOL post: Aurelio Qixi oil"
    assert str(event["URL"]) == f"https://hub.example{item.get_absolute_url()}"
    assert int(event["SEQUENCE"]) == item.version and str(event["STATUS"]) == "CONFIRMED"
    draft = shared_world["draft"]
    assert f"item-{draft.pk}" in found and str(found[f"item-{draft.pk}"]["STATUS"]) == "TENTATIVE"
    assert found[f"due-{draft.pk}"].decoded("DTSTART") == draft.due_on  # staff see the draft's deadline
    # The next 12 months of festivals: Double 11 2027 and Spring Festival 2028 are there, last year's are not.
    assert {"festival-double-11-2027", "festival-spring-festival-2028"} <= set(found)
    assert not [uid for uid in found if uid.endswith("-2026")]


def test_a_brand_user_on_a_shared_campaign_gets_only_their_brands_reviewed_items(client, brand_user, shared_world):
    response = client.get(feed_url(brand_user))  # no session: the address is the credential

    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    found = events(response.content)
    items = {uid for uid in found if uid.startswith(("item-", "due-"))}
    assert f"item-{shared_world['a'].pk}" in items
    assert not {u for u in items if u.endswith((f"-{shared_world['b'].pk}", f"-{shared_world['draft'].pk}"))}
    text = response.content.decode()
    for secret in ("Bertazzi", "Maglificio", "Aurelio draft", "贝尔塔齐"):
        assert secret not in text
    assert "festival-qixi-2027" in found  # festivals are for everyone


def test_another_brands_user_sees_none_of_the_first_brands_items(client, other_brand, shared_world):
    stranger = UserFactory(username="bertazzi")
    MembershipFactory(user=stranger, brand=other_brand)

    found = events(client.get(feed_url(stranger)).content)

    assert f"item-{shared_world['b'].pk}" in found
    assert f"item-{shared_world['a'].pk}" not in found and f"item-{shared_world['draft'].pk}" not in found


def test_uids_are_stable_and_a_moved_item_keeps_its_uid_with_a_higher_sequence(client, editor, shared_world):
    from campaigns.services import content_save

    url = feed_url(editor)
    item = shared_world["draft"]
    before = events(client.get(url).content)
    content_save(user=editor, campaign=item.campaign, item=item, scheduled_at=china(2027, 8, 20, 9))
    after = events(client.get(url).content)

    assert set(before) == set(after)
    assert after[f"item-{item.pk}"].decoded("DTSTART") == china(2027, 8, 20, 9)
    assert int(after[f"item-{item.pk}"]["SEQUENCE"]) == int(before[f"item-{item.pk}"]["SEQUENCE"]) + 1


def test_reset_gives_a_new_address_and_the_old_one_stops(client_for, brand_user):
    client = client_for(brand_user)
    old = feed_url(brand_user)
    assert client.get(old).status_code == 200

    response = client.post(reverse("campaigns:calendar_feed_reset"))

    assert response.status_code == 302 and response.url.endswith("#calendar-feed")
    new = reverse("campaigns:calendar_feed", kwargs={"token": CalendarFeed.objects.get(user=brand_user).token})
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    page = client.get(reverse("user_settings")).content.decode()
    assert f"http://testserver{new}" in page and f"webcal://testserver{new}" in page


def test_the_settings_page_offers_to_create_an_address_first(client_for, editor):
    client = client_for(editor)
    page = client.get(reverse("user_settings")).content.decode()
    assert "Create my calendar address" in page and ".ics" not in page

    client.post(reverse("campaigns:calendar_feed_reset"))

    assert CalendarFeed.objects.filter(user=editor).count() == 1
    assert "Reset the address" in client.get(reverse("user_settings")).content.decode()


@pytest.mark.parametrize("token", ["no-such-token", "x" * 80])
def test_a_bad_token_is_a_404(client, editor, token):
    feed_url(editor)
    assert client.get(f"/campaigns/calendar/feed/{token}.ics").status_code == 404


def test_a_deactivated_persons_feed_stops(client, editor):
    url = feed_url(editor)
    editor.is_active = False
    editor.save()
    assert client.get(url).status_code == 404


def test_the_feed_is_in_the_persons_language(client, editor, shared_world):
    editor.language = "zh-hans"
    editor.save()

    found = events(client.get(feed_url(editor)).content)

    assert str(found["festival-qixi-2027"]["SUMMARY"]) == "七夕"
    assert "七夕礼盒" in str(found[f"item-{shared_world['a'].pk}"]["SUMMARY"])
