"""Mails: in the recipient's language and time zone, from the catalogues; sent once after the commit; a broker down
at the commit or a failing mail server loses nothing (the sweep); a real worker sends them."""

import datetime
import smtplib

import pytest
from django.utils import timezone

from campaigns.choices import ContentStatus
from campaigns.notifications import services, tasks
from campaigns.notifications.models import Notification
from campaigns.services import content_transition
from tests.campaigns.conftest import CHINA, ROME
from tests.factories import EditorFactory

from .conftest import of_kind, publish

Kind, Mail = Notification.Kind, Notification.Mail


def mail_all():
    """Mail every pending notification now, as the task after the commit does."""
    return services.notifications_send(ids=list(Notification.objects.values_list("pk", flat=True)))


@pytest.fixture
def italian_editor():
    return EditorFactory(username="marco", first_name="Marco", language="it")


@pytest.fixture
def chinese_editor():
    return EditorFactory(username="wei", first_name="伟", language="zh-hans")


@pytest.mark.django_db
def test_an_approval_is_mailed_in_italian_to_an_italian_editor(item_for, brand, manager, italian_editor, mailoutbox):
    item_for([brand], to=ContentStatus.APPROVED, author=italian_editor)

    mail_all()

    (message,) = mailoutbox
    assert message.to == [italian_editor.email]
    assert message.subject == "Approvato: Scatola regalo di Qixi"  # the Italian title, the catalogue's words
    assert message.body.startswith("Gentile Marco,\n\nmanager ha approvato «Scatola regalo di Qixi» (Video breve).")
    assert "Campagna: Qixi together" in message.body and "Apri nel Brand Hub: http" in message.body
    assert "orari in Cina (Asia/Shanghai)" in message.body
    assert message.extra_headers["Content-Language"] == "it"


@pytest.mark.django_db
def test_changes_asked_are_mailed_in_chinese_to_a_chinese_editor(item_for, brand, manager, chinese_editor, mailoutbox):
    item = item_for([brand], to=ContentStatus.IN_REVIEW, author=chinese_editor)
    content_transition(item=item, user=manager, action="request_changes", comment="标志太小了。")

    mail_all()

    (message,) = mailoutbox
    assert message.subject == "要求修改：七夕礼盒"
    assert message.body.startswith(
        "伟，您好：\n\nmanager 已将「七夕礼盒」（短视频）退回草稿，并要求修改：\n\n标志太小了。"
    )
    assert "营销活动：Qixi together" in message.body and "在品牌中心打开：" in message.body


@pytest.mark.django_db
def test_a_brand_user_reads_went_live_in_their_language_and_time_zone(item_for, brand, italian, chinese, queued,
                                                                      mailoutbox):  # fmt: skip
    publish(item_for([brand], to=ContentStatus.SCHEDULED))
    published_at = datetime.datetime.fromisoformat(of_kind(Kind.CONTENT_PUBLISHED)[0].params["published_at"])

    mail_all()

    by_user = {m.to[0]: m for m in mailoutbox}
    rome = by_user[italian.email]
    assert rome.subject == "Ora online: Scatola regalo di Qixi"
    assert "«Scatola regalo di Qixi» per Frantoio Aurelio è online su Video breve." in rome.body
    assert "orari in Italia (Europe/Rome)" in rome.body
    (live_since,) = [line for line in rome.body.splitlines() if line.startswith("Online da: ")]
    assert live_since.endswith(f"{published_at.astimezone(ROME):%Y, %H:%M}")  # Rome's hour, not China's
    china = by_user[chinese.email]
    assert china.subject == "已上线：七夕礼盒"
    assert "奥雷利奥榨油坊的「七夕礼盒」已在短视频上线。" in china.body
    assert f"上线时间：{published_at.astimezone(CHINA):%Y年%-m月%-d日 %H:%M}" in china.body


@pytest.mark.django_db
def test_the_digest_and_the_reminder_are_mailed_in_each_language(item_for, brand, italian, chinese_editor,
                                                                 mailoutbox):  # fmt: skip
    from campaigns.models import ContentItem

    item = item_for([brand])
    ContentItem.objects.filter(pk=item.pk).update(due_on=datetime.date(2027, 7, 22))
    services.notifications_daily(now=datetime.datetime(2027, 7, 20, 9, tzinfo=CHINA))

    mail_all()

    by_user = {m.to[0]: m for m in mailoutbox}
    digest = by_user[chinese_editor.email]
    assert digest.subject == "每日摘要：1 个 3 天内截止的内容尚未批准"
    assert (
        "1 个内容的素材将在 3 天内截止，且尚未批准：" in digest.body
        and "2027年7月22日 · 七夕礼盒 · 短视频 · 草稿" in digest.body
    )
    reminder = by_user[italian.email]
    assert reminder.subject == "Materiali necessari entro il 22 luglio 2027 per Frantoio Aurelio"
    assert "L'Agenzia ha bisogno dei vostri materiali" in reminder.body and "«Qixi together»" in reminder.body
    assert "Scatola regalo" not in reminder.body and "七夕礼盒" not in reminder.body  # not the draft's title


@pytest.mark.django_db
def test_a_user_without_a_language_gets_the_sites_language(item_for, brand, manager, editor, mailoutbox, settings):
    item_for([brand], to=ContentStatus.APPROVED)
    mail_all()
    assert mailoutbox[0].subject == "Approved: Qixi gift box"


@pytest.mark.django_db
def test_a_notification_is_mailed_once_when_its_task_runs_twice(item_for, brand, editor, mailoutbox):
    item_for([brand], to=ContentStatus.APPROVED)
    (notification,) = of_kind(Kind.CONTENT_APPROVED)

    assert services.notifications_send(ids=[notification.pk]) == {"sent": 1}
    assert services.notifications_send(ids=[notification.pk]) == {"skipped": 1}  # the broker delivered it again
    assert services.notifications_sweep(now=timezone.now() + datetime.timedelta(hours=1)) == 0
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.mail_status == Mail.SENT and notification.emailed_at and notification.mail_attempts == 1


@pytest.mark.django_db
def test_one_task_per_transaction_is_queued_after_the_commit(item_for, brand, editor, monkeypatch,
                                                             django_capture_on_commit_callbacks):  # fmt: skip
    sent = []
    monkeypatch.setattr(tasks.notifications_send, "apply_async", lambda args, **kw: sent.append((args, kw)))
    with django_capture_on_commit_callbacks(execute=True):
        item_for([brand], to=ContentStatus.APPROVED)

    (notification,) = of_kind(Kind.CONTENT_APPROVED)
    assert sent == [(([notification.pk],), {"retry": False})]


@pytest.mark.django_db
def test_a_broker_down_at_the_commit_loses_no_mail_the_sweep_sends_it_a_minute_later(
    item_for, brand, editor, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.notifications_send, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        item_for([brand], to=ContentStatus.APPROVED)  # the approval commits; its mail cannot be queued
    (notification,) = of_kind(Kind.CONTENT_APPROVED)
    assert notification.mail_status == Mail.PENDING and not mailoutbox

    assert services.notifications_sweep(now=notification.created_at + datetime.timedelta(seconds=30)) == 0
    assert services.notifications_sweep(now=notification.created_at + datetime.timedelta(seconds=61)) == 1
    assert services.notifications_sweep(now=notification.created_at + datetime.timedelta(minutes=5)) == 0
    assert [m.subject for m in mailoutbox] == ["Approved: Qixi gift box"]


@pytest.mark.django_db
def test_a_failing_mail_server_is_retried_with_backoff_then_given_up(item_for, brand, editor, monkeypatch, settings,
                                                                     mailoutbox):  # fmt: skip
    settings.NOTIFY_MAIL_MAX_ATTEMPTS = 3
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    item_for([brand], to=ContentStatus.APPROVED)
    (notification,) = of_kind(Kind.CONTENT_APPROVED)

    def refused(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refused)
    assert services.notification_send(notification_id=notification.pk) == "retry"
    notification.refresh_from_db()
    first_retry = notification.next_attempt_at
    assert notification.mail_error.startswith("SMTPServerDisconnected")
    assert datetime.timedelta(seconds=55) < first_retry - timezone.now() <= datetime.timedelta(seconds=60)

    assert services.notifications_sweep(now=first_retry - datetime.timedelta(seconds=1)) == 0  # not yet
    services.notifications_sweep(now=first_retry)
    notification.refresh_from_db()
    assert datetime.timedelta(minutes=3) < notification.next_attempt_at - first_retry <= datetime.timedelta(minutes=4)

    services.notifications_sweep(now=notification.next_attempt_at)
    notification.refresh_from_db()
    assert notification.mail_status == Mail.FAILED and notification.mail_attempts == 3

    monkeypatch.undo()
    assert services.notifications_sweep(now=timezone.now() + datetime.timedelta(days=1)) == 0 and not mailoutbox


@pytest.mark.django_db
def test_a_person_without_an_address_is_told_on_the_page_only(item_for, brand, editor, mailoutbox):
    editor.email = ""
    editor.save(update_fields=["email"])
    item_for([brand], to=ContentStatus.APPROVED)

    (notification,) = of_kind(Kind.CONTENT_APPROVED)
    assert notification.mail_status == Mail.SKIPPED and notification.next_attempt_at is None
    mail_all()
    assert not mailoutbox


# --- with a real worker ------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_mails_an_approval_after_its_commit_and_the_sweep_after_a_broker_outage(
    celery_worker, item_for, brand, editor, italian_editor, manager, monkeypatch, mailoutbox
):
    from .conftest import wait_for

    item_for([brand], to=ContentStatus.APPROVED)  # committed: its task reaches the worker

    assert wait_for(lambda: len(mailoutbox) == 1, timeout=15)
    assert mailoutbox[0].to == [editor.email]
    assert Notification.objects.get().mail_status == Mail.SENT

    # The broker is down when the next approval commits: the row waits; beat's sweep (on the worker) sends it.
    with monkeypatch.context() as down:
        down.setattr(tasks.notifications_send, "apply_async", lambda *a, **k: (_ for _ in ()).throw(OSError("down")))
        item_for([brand], to=ContentStatus.APPROVED, author=italian_editor)
    waiting = Notification.objects.get(recipient=italian_editor)
    assert waiting.mail_status == Mail.PENDING and len(mailoutbox) == 1
    Notification.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now())  # a minute has passed
    tasks.notifications_sweep.delay()

    assert wait_for(lambda: len(mailoutbox) == 2, timeout=15)
    assert mailoutbox[1].subject == "Approvato: Scatola regalo di Qixi"
    assert wait_for(lambda: Notification.objects.get(pk=waiting.pk).mail_status == Mail.SENT)


@pytest.mark.django_db
def test_what_is_written_while_unmailed_is_on_the_page_only(item_for, brand, editor, mailoutbox,
                                                            django_capture_on_commit_callbacks):  # fmt: skip
    """The demo's history (seed_demo) fills the pages without mailing a year of approvals."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks, services.notifications_unmailed():
        item_for([brand], to=ContentStatus.APPROVED)

    (notification,) = of_kind(Kind.CONTENT_APPROVED)
    assert notification.mail_status == Mail.SKIPPED and not callbacks
    assert services.notifications_sweep(now=timezone.now() + datetime.timedelta(hours=1)) == 0 and not mailoutbox
