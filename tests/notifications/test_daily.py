"""The daily run: staff's digest of items due within 3 days and not approved, brand users' material reminders;
each once a day whatever how often beat runs it."""

import datetime

import pytest
from django.utils import translation

from campaigns.choices import ContentStatus
from campaigns.models import ContentItem
from campaigns.notifications import services
from campaigns.notifications.models import Notification
from campaigns.notifications.render import render
from tests.campaigns.conftest import CHINA

from .conftest import of_kind

pytestmark = pytest.mark.django_db
Kind = Notification.Kind
TODAY = datetime.date(2027, 7, 20)
NINE = datetime.datetime(2027, 7, 20, 9, 0, tzinfo=CHINA)


def due(item, days):
    ContentItem.objects.filter(pk=item.pk).update(due_on=TODAY + datetime.timedelta(days=days))
    item.refresh_from_db()
    return item


def english(notification) -> str:
    with translation.override("en"):
        rendered = render(notification)
    return f"{rendered.subject}\n{rendered.text}"


@pytest.fixture
def due_items(item_for, brand, other_brand):
    """Drafts and items in review due today, in 3 and in 4 days; an approved one due tomorrow."""
    return {
        "today": due(item_for([brand], title_en="Due today"), 0),
        "in_review": due(item_for([other_brand], to=ContentStatus.IN_REVIEW, title_en="In review, 3 days"), 3),
        "later": due(item_for([brand], title_en="Four days away"), 4),
        "approved": due(item_for([brand], to=ContentStatus.APPROVED, title_en="Approved already"), 1),
    }


def test_the_digest_lists_items_due_within_3_days_that_are_not_approved(due_items, editor, manager):
    result = services.notifications_daily(now=NINE)

    digests = of_kind(Kind.DIGEST)
    assert result["digests"] == 2 and [n.recipient for n in digests] == [editor, manager]
    text = english(digests[0])
    assert text.startswith("Daily digest: 2 items due within 3 days are not approved\n")
    assert "Due today" in text and "In review, 3 days" in text and "In review" in text
    assert "Four days away" not in text and "Approved already" not in text
    assert digests[0].url == "/campaigns/todo/"


def test_the_digest_is_sent_once_a_day_however_often_it_runs(due_items, editor, manager):
    services.notifications_daily(now=NINE)
    again = services.notifications_daily(now=NINE + datetime.timedelta(hours=3))

    assert again["digests"] == 0 and len(of_kind(Kind.DIGEST)) == 2
    services.notifications_daily(now=NINE + datetime.timedelta(days=1))
    assert len(of_kind(Kind.DIGEST)) == 4  # the next day's


def test_the_digest_waits_for_its_hour_and_a_late_beat_still_sends_it(due_items, editor, settings):
    settings.NOTIFY_DAILY_HOUR = 8
    assert services.notifications_daily(now=NINE.replace(hour=7, minute=59)) == {"digests": 0, "reminders": 0}
    assert services.notifications_daily(now=NINE.replace(hour=23))["digests"] == 2  # beat was down all day


def test_no_digest_when_nothing_is_due(item_for, brand, editor, manager):
    due(item_for([brand]), 5)
    services.notifications_daily(now=NINE)

    assert not of_kind(Kind.DIGEST)


def test_one_digest_per_person_and_day_is_a_database_constraint(due_items, editor):
    """Two beats by mistake, both reading before either commits: the second one's rows are refused."""
    from django.db import IntegrityError, transaction

    services.notifications_daily(now=NINE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=editor, kind=Kind.DIGEST, key="digest:2027-07-20", created_at=NINE)


def test_a_run_that_meets_another_runs_rows_writes_nothing_and_says_so(due_items, editor, monkeypatch):
    from django.db import IntegrityError

    def collided(today):
        raise IntegrityError("duplicate key value violates unique constraint notification_once_per_key")

    monkeypatch.setattr(services, "_material_reminders", collided)

    assert services.notifications_daily(now=NINE) == {"digests": 0, "reminders": 0}
    assert not Notification.objects.filter(kind=Kind.DIGEST).exists()  # its digests rolled back with it


def test_brand_users_are_reminded_of_their_material_without_being_told_the_draft(
    due_items, italian, chinese, rival, editor
):
    services.notifications_daily(now=NINE)

    reminders = of_kind(Kind.MATERIAL_DUE)
    # Giulia and Lihua (brand A) for today's draft; the rival (brand B) for the item in review; nobody for the
    # item 4 days away or the approved one.
    assert sorted((n.recipient.username, n.item_id) for n in reminders) == sorted(
        [
            ("giulia", due_items["today"].pk),
            ("lihua", due_items["today"].pk),
            ("rival", due_items["in_review"].pk),
        ]
    )
    for notification in reminders:
        text = english(notification)
        assert "Due today" not in text and "In review, 3 days" not in text  # never a draft's title
        assert "Qixi together" in text and "Short video" in text
        assert notification.url == notification.item.campaign.get_absolute_url()  # not the item: 404 for them
    giulia = next(n for n in reminders if n.recipient == italian)
    assert "Frantoio Aurelio" in english(giulia) and "Maglificio Bertazzi" not in english(giulia)
    rivals = next(n for n in reminders if n.recipient == rival)
    assert "Maglificio Bertazzi" in english(rivals) and "Frantoio Aurelio" not in english(rivals)
    assert editor not in [n.recipient for n in reminders]


def test_a_reminder_is_sent_once_and_again_when_the_due_date_moves(due_items, italian, settings):
    settings.NOTIFY_BRAND_DUE_DAYS = 3
    services.notifications_daily(now=NINE)
    services.notifications_daily(now=NINE + datetime.timedelta(days=1))
    mine = Notification.objects.filter(kind=Kind.MATERIAL_DUE, recipient=italian)
    # Today's item once; the 4-day item entered the 3-day window on the next day.
    assert sorted(mine.values_list("item_id", flat=True)) == sorted([due_items["today"].pk, due_items["later"].pk])

    due(due_items["later"], 6)
    services.notifications_daily(now=NINE + datetime.timedelta(days=3))
    assert mine.filter(item=due_items["later"]).count() == 2


def test_the_reminder_days_are_a_setting(due_items, italian, settings):
    settings.NOTIFY_BRAND_DUE_DAYS = 5
    services.notifications_daily(now=NINE)

    assert set(
        Notification.objects.filter(kind=Kind.MATERIAL_DUE, recipient=italian).values_list("item_id", flat=True)
    ) == {
        due_items["today"].pk,
        due_items["later"].pk,
    }
