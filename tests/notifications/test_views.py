"""The notifications page: one's own messages, newest first, unread ones highlighted, in the reader's language;
mark all read; the top bar's count; the language setting."""

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.choices import ContentStatus
from campaigns.notifications.models import Notification
from campaigns.services import content_transition
from tests.factories import EditorFactory
from tests.utils import count_queries

from .conftest import publish

pytestmark = pytest.mark.django_db
PAGE = "/notifications/"


@pytest.fixture
def italian_editor():
    return EditorFactory(username="marco", language="it")


def test_the_page_lists_ones_own_messages_newest_first_in_the_language_of_the_page(
    client_for, item_for, brand, manager, italian_editor, editor
):
    item_for([brand], to=ContentStatus.APPROVED, author=italian_editor, title_en="First")
    item = item_for([brand], to=ContentStatus.IN_REVIEW, author=italian_editor, title_en="Second")
    content_transition(item=item, user=manager, action="request_changes", comment="Più grande il logo.")
    item_for([brand], to=ContentStatus.APPROVED, title_en="Someone else's")  # the other editor's

    client = client_for(italian_editor)
    page = client.get(PAGE, headers={"accept-language": "en"}).content.decode()
    assert page.index("Changes requested: Second") < page.index("Approved: First")
    assert "Più grande il logo." in page and "Someone else" not in page
    assert page.count('class="notification unread"') == 2

    # The same rows read in Chinese when the page is in Chinese (his mail stays Italian: his setting).
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(PAGE).content.decode()
    assert "要求修改：七夕礼盒" in chinese and "已批准：七夕礼盒" in chinese
    assert "manager 已将「七夕礼盒」（短视频）退回草稿，并要求修改：" in chinese


def test_a_brand_user_reads_their_live_item_and_nothing_of_the_other_brand(
    client_for, item_for, brand, other_brand, italian, rival, queued
):
    publish(item_for([brand, other_brand], to=ContentStatus.SCHEDULED))

    page = client_for(italian).get(PAGE, headers={"accept-language": "it"}).content.decode()
    assert "Ora online: Scatola regalo di Qixi" in page and "Frantoio Aurelio" in page
    assert "Maglificio Bertazzi" not in page
    rivals = client_for(rival).get(PAGE).content.decode()
    assert "Maglificio Bertazzi" in rivals and "Frantoio Aurelio" not in rivals


def test_mark_all_read(client_for, item_for, brand, editor):
    item_for([brand], to=ContentStatus.APPROVED)
    client = client_for(editor)
    assert 'class="count-badge">1<' in client.get("/").content.decode()

    response = client.post(reverse("notifications:notification_read_all"))

    assert response.status_code == 302 and response.url == PAGE
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    page = client.get(PAGE).content.decode()
    assert 'class="notification unread"' not in page and "count-badge" not in page
    assert "Mark all as read" not in page


def test_marking_read_touches_only_ones_own(client_for, item_for, brand, editor, italian_editor):
    item_for([brand], to=ContentStatus.APPROVED)
    item_for([brand], to=ContentStatus.APPROVED, author=italian_editor)

    client_for(italian_editor).post(reverse("notifications:notification_read_all"))

    assert Notification.objects.get(recipient=editor).read_at is None


def test_the_page_needs_a_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_page_and_the_top_bar_count_run_the_same_queries_for_1_and_30_notifications(
    client_for, item_for, brand, editor
):
    item = item_for([brand], to=ContentStatus.APPROVED)
    client = client_for(editor)
    few, few_home = count_queries(client, PAGE), count_queries(client, "/")
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=editor,
                kind=Notification.Kind.CONTENT_APPROVED,
                item=item,
                url=item.get_absolute_url(),
                params=Notification.objects.get().params,
                created_at=timezone.now(),
            )
            for _ in range(29)
        ]
    )
    assert count_queries(client, PAGE) == few
    assert count_queries(client, "/") == few_home


def test_saving_a_language_in_my_settings_keeps_it_and_switches_the_pages(client_for, editor):
    client = client_for(editor)
    data = {"first_name": "Ed", "last_name": "", "email": editor.email, "timezone": "Asia/Shanghai", "language": "it"}

    response = client.post(reverse("user_settings"), data, follow=True)

    editor.refresh_from_db()
    assert editor.language == "it"
    assert client.cookies["django_language"].value == "it"
    assert "Le mie impostazioni" in response.content.decode()


def test_an_invitation_goes_out_in_the_language_chosen_for_the_new_user(manager, mailoutbox,
                                                                       django_capture_on_commit_callbacks):  # fmt: skip
    from brandhub.services import user_create

    with django_capture_on_commit_callbacks(execute=True):
        user_create(actor=manager, base_url="https://hub.example/", username="chiara", email="chiara@example.com",
                    role="brand", language="it")  # fmt: skip

    (message,) = mailoutbox
    assert message.body.startswith("Gentile chiara,")
