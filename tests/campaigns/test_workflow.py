"""The content workflow in one place: versions, changes after approval, concurrency, the admin, the buttons."""

import threading
import time

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse

from campaigns import workflow
from campaigns.choices import ContentStatus as S
from campaigns.models import ContentItem
from campaigns.services import content_save, content_transition
from tests.factories import UserFactory

from .conftest import ZH_TEXTS, add_creative, china, make_item, move

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="row locks between two sessions need PostgreSQL (CI's first pass); SQLite serialises writers",
)


@pytest.fixture
def scheduled_banner(campaign, editor, manager, brand):
    item = make_item(campaign, author=editor, channel="banner", brands=[brand], **ZH_TEXTS)
    add_creative(item, user=editor)
    return move(item, to=S.SCHEDULED, editor=editor, manager=manager)


# --- changes after approval -------------------------------------------------------------------------


def test_creative_added_to_a_scheduled_item_sends_it_back_to_review(scheduled_banner, editor):
    assert scheduled_banner.status == S.SCHEDULED

    add_creative(scheduled_banner, user=editor, size=(800, 800))

    item = ContentItem.objects.get(pk=scheduled_banner.pk)
    assert (item.status, item.approved_by, item.approved_at) == (S.IN_REVIEW, None, None)
    row = item.transitions.first()
    assert (row.action, row.from_status, row.to_status, row.changes) == (
        "changed_after_approval",
        S.SCHEDULED,
        S.IN_REVIEW,
        ["creatives"],
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title_zh_hans", "新标题"),
        ("body_en", "New text"),
        ("channel", "kol_post"),
        ("scheduled_at", china(2027, 8, 8, hour=21)),
    ],
)
def test_each_reviewed_field_changed_on_a_scheduled_item_sends_it_back_to_review(
    scheduled_banner, editor, field, value
):
    content_save(user=editor, campaign=scheduled_banner.campaign, item=scheduled_banner, **{field: value})

    item = ContentItem.objects.get(pk=scheduled_banner.pk)
    assert item.status == S.IN_REVIEW
    assert item.transitions.first().changes == [field]


def test_changing_the_brands_of_an_approved_item_sends_it_back_to_review(scheduled_banner, editor, other_brand):
    scheduled_banner.campaign.brands.add(other_brand)

    content_save(
        user=editor, campaign=scheduled_banner.campaign, item=scheduled_banner, brands=[other_brand], **ZH_TEXTS
    )

    item = ContentItem.objects.get(pk=scheduled_banner.pk)
    assert item.status == S.IN_REVIEW and list(item.brands.all()) == [other_brand]


def test_saving_an_approved_item_unchanged_keeps_it_approved(scheduled_banner, editor, brand):
    content_save(user=editor, campaign=scheduled_banner.campaign, item=scheduled_banner, brands=[brand], **ZH_TEXTS)

    assert ContentItem.objects.get(pk=scheduled_banner.pk).status == S.SCHEDULED


def test_the_manager_who_changed_an_item_cannot_approve_the_change(scheduled_banner, manager, second_manager):
    content_save(user=manager, campaign=scheduled_banner.campaign, item=scheduled_banner, body_zh_hans="改过的文字")

    with pytest.raises(PermissionDenied):
        content_transition(item=scheduled_banner, user=manager, action="approve")
    item = content_transition(item=scheduled_banner, user=second_manager, action="approve")
    assert item.status == S.APPROVED


def test_the_edit_page_warns_before_saving_that_an_approved_item_goes_back_to_review(
    client_for, scheduled_banner, editor
):
    page = client_for(editor).get(reverse("campaigns:contentitem_update", args=[scheduled_banner.pk]))

    assert "sends it back to review" in page.content.decode()


# --- versions ---------------------------------------------------------------------------------------


def test_a_stale_edit_form_is_refused_and_changes_nothing(client_for, ready_item, editor, manager):
    url = reverse("campaigns:contentitem_update", args=[ready_item.pk])
    client = client_for(editor)
    form = client.get(url).context["form"]
    seen_version = form.initial["version"]
    content_save(user=manager, campaign=ready_item.campaign, item=ready_item, body_zh_hans="经理改的")

    response = client.post(
        url,
        {
            "version": seen_version,
            "channel": "kol_post",
            "scheduled_at": "2027-08-08T20:00",
            "title_zh_hans": "七夕礼盒",
            "body_zh_hans": "编辑改的",
        },
    )

    assert response.status_code == 200
    assert "Someone else changed this item" in response.content.decode()
    assert ContentItem.objects.get(pk=ready_item.pk).body_zh_hans == "经理改的"


def test_an_approval_pressed_on_an_older_page_is_refused(client_for, ready_item, editor, manager):
    item = content_transition(item=ready_item, user=editor, action="submit")
    seen_version = item.version
    content_save(user=editor, campaign=item.campaign, item=item, body_zh_hans="评审时改了")

    response = client_for(manager).post(
        reverse("campaigns:contentitem_transition", args=[item.pk]), {"action": "approve", "version": seen_version}
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == S.IN_REVIEW and item.approved_by is None


def test_every_edit_and_transition_bumps_the_version(ready_item, editor, manager):
    versions = [ready_item.version]
    item = content_save(user=editor, campaign=ready_item.campaign, item=ready_item, kol_text="Li Jiaqi")
    versions.append(item.version)
    item = content_transition(item=item, user=editor, action="submit")
    versions.append(item.version)
    item = content_transition(item=item, user=manager, action="approve")
    versions.append(item.version)

    assert versions == sorted(set(versions)) and len(versions) == 4


# --- two sessions at once ---------------------------------------------------------------------------


@on_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_edit_and_an_approval_at_the_same_moment_never_approve_unreviewed_text(campaign, editor, manager):
    """Two PostgreSQL sessions: the editor changes the text while the manager approves the version they read.

    Whichever commits first, the item never ends approved with text the manager did not see.
    """
    item = make_item(campaign, author=editor, channel="kol_post", **ZH_TEXTS)
    item = content_transition(item=item, user=editor, action="submit")
    seen_version = item.version
    barrier = threading.Barrier(2)
    outcomes = {}

    def run(name, action):
        try:
            barrier.wait()
            action()
            outcomes[name] = "ok"
        except (ValidationError, PermissionDenied) as exc:
            outcomes[name] = type(exc).__name__
        finally:
            connection.close()

    edit = threading.Thread(
        target=run,
        args=("edit", lambda: content_save(user=editor, campaign=campaign, item=item, body_zh_hans="同时改的文字")),
    )
    approve = threading.Thread(
        target=run,
        args=("approve", lambda: content_transition(item=item, user=manager, action="approve", version=seen_version)),
    )
    for t in (edit, approve):
        t.start()
    for t in (edit, approve):
        t.join(20)

    final = ContentItem.objects.get(pk=item.pk)
    assert outcomes["edit"] == "ok"
    if final.status == S.APPROVED:
        pytest.fail(f"approved text the manager never saw: {final.body_zh_hans!r} ({outcomes})")
    assert final.body_zh_hans == "同时改的文字" and final.status == S.IN_REVIEW
    # Either the approval lost (stale version) or it won and the edit sent the item back to review.
    assert outcomes["approve"] in ("ok", "StaleVersion")
    if outcomes["approve"] == "ok":
        assert [t.action for t in final.transitions.order_by("pk")][-2:] == ["approve", "changed_after_approval"]


@on_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_managers_approving_at_once_approve_once(campaign, editor, manager, second_manager):
    item = make_item(campaign, author=editor, channel="kol_post", **ZH_TEXTS)
    item = content_transition(item=item, user=editor, action="submit")
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        try:
            barrier.wait()
            content_transition(item=item, user=user, action="approve", version=item.version)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (manager, second_manager)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)

    assert sorted(outcomes) == ["ok", "refused"]
    assert ContentItem.objects.get(pk=item.pk).transitions.filter(action="approve").count() == 1


# --- who may ----------------------------------------------------------------------------------------


def test_nobody_takes_a_system_step_by_hand(ready_item, editor, manager):
    item = move(ready_item, to=S.APPROVED, editor=editor, manager=manager)

    with pytest.raises(PermissionDenied):
        content_transition(item=item, user=manager, action="changed_after_approval")


def test_a_brand_editor_cannot_save_or_move_content_through_the_services(ready_item, brand_editor):
    with pytest.raises(PermissionDenied):
        content_save(user=brand_editor, campaign=ready_item.campaign, item=ready_item, kol_text="Someone")
    with pytest.raises(PermissionDenied):
        content_transition(item=ready_item, user=brand_editor, action="submit")
    with pytest.raises(PermissionDenied):
        add_creative(ready_item, user=brand_editor)


@pytest.mark.parametrize(
    ("status", "who", "expected"),
    [
        (S.DRAFT, "editor", {"submit"}),
        (S.DRAFT, "manager", {"submit", "cancel"}),
        (S.IN_REVIEW, "editor", set()),
        (S.IN_REVIEW, "manager", {"approve", "approve_schedule", "request_changes", "cancel"}),
        (S.APPROVED, "editor", {"schedule"}),
        (S.SCHEDULED, "editor", {"unschedule"}),
        (S.SCHEDULED, "manager", {"unschedule", "request_changes", "cancel"}),
        (S.PUBLISHED, "manager", set()),
    ],
)
def test_buttons_come_from_the_workflow_table(ready_item, editor, manager, status, who, expected):
    item = move(ready_item, to=status, editor=editor, manager=manager)
    user = {"editor": editor, "manager": manager}[who]

    assert {action for action, _label, _primary in workflow.allowed_actions(item, user)} == expected


@pytest.mark.parametrize("status", [S.DRAFT, S.IN_REVIEW, S.APPROVED, S.SCHEDULED])
def test_every_button_offered_is_accepted_by_the_service(ready_item, editor, manager, second_manager, status):
    item = move(ready_item, to=status, editor=editor, manager=manager)
    offered = workflow.allowed_actions(item, second_manager)
    assert offered
    for action, _label, _primary in offered:
        ContentItem.objects.filter(pk=item.pk).update(status=status)
        content_transition(item=item, user=second_manager, action=action, comment="Because.")


def test_the_page_shows_the_buttons_of_the_allowed_actions_only(client_for, ready_item, editor, manager):
    item = move(ready_item, to=S.IN_REVIEW, editor=editor, manager=manager)

    editor_page = client_for(editor).get(item.get_absolute_url()).content.decode()
    manager_page = client_for(manager).get(item.get_absolute_url()).content.decode()

    assert 'value="approve"' not in editor_page and 'value="approve"' in manager_page


# --- the Django admin -------------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True, role="manager")


def test_the_admin_shows_workflow_fields_read_only(client_for, superuser, scheduled_banner):
    page = client_for(superuser).get(reverse("admin:campaigns_contentitem_change", args=[scheduled_banner.pk]))

    assert page.status_code == 200
    form = page.context["adminform"].form
    assert not {"status", "approved_by", "approved_at", "version", "author"} & set(form.fields)


def test_an_admin_edit_of_a_scheduled_item_goes_through_the_workflow(client_for, superuser, scheduled_banner):
    url = reverse("admin:campaigns_contentitem_change", args=[scheduled_banner.pk])
    client = client_for(superuser)
    data = {
        "channel": "banner",
        "title_it": "",
        "title_en": "",
        "title_zh_hans": ZH_TEXTS["title_zh_hans"],
        "body_it": "",
        "body_en": "",
        "body_zh_hans": "管理员改了文字",
        "kol": "",
        "scheduled_at_0": scheduled_banner.scheduled_at.strftime("%Y-%m-%d"),
        "scheduled_at_1": scheduled_banner.scheduled_at.strftime("%H:%M:%S"),
        "status": "published",  # read-only: ignored
    }

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    item = ContentItem.objects.get(pk=scheduled_banner.pk)
    assert (item.status, item.body_zh_hans) == (S.IN_REVIEW, "管理员改了文字")
    assert item.transitions.first().action == "changed_after_approval"


def test_the_admin_cannot_delete_or_add_items(client_for, superuser, scheduled_banner):
    client = client_for(superuser)

    assert client.get(reverse("admin:campaigns_contentitem_delete", args=[scheduled_banner.pk])).status_code == 403
    assert client.get(reverse("admin:campaigns_contentitem_add")).status_code == 403


def test_the_publisher_publishes_or_fails_a_scheduled_item_and_nobody_does_it_by_hand(
    scheduled_banner, manager, editor
):
    with pytest.raises(PermissionDenied):
        content_transition(item=scheduled_banner, user=manager, action="publish")

    item = workflow.transition(item=scheduled_banner, user=None, action="publish", system=True)

    assert item.status == S.PUBLISHED
    row = item.transitions.first()
    assert (row.action, row.user, str(row.label)) == ("publish", None, "Published")
    with pytest.raises(ValidationError):
        content_save(user=editor, campaign=item.campaign, item=item, body_zh_hans="发布后不能改")


def test_a_transition_on_an_item_the_caller_locked_uses_that_lock_and_refuses_to_run_without_it(
    scheduled_banner,
):
    with transaction.atomic():
        item = ContentItem.objects.select_for_update().get(pk=scheduled_banner.pk)
        moved = workflow.transition(item=item, user=None, action="publish", system=True, already_locked=True)
        assert moved is item and item.status == S.PUBLISHED
    assert ContentItem.objects.get(pk=item.pk).status == S.PUBLISHED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_locked_transition_outside_a_transaction_is_a_programming_error(campaign, editor, manager, brand):
    item = make_item(campaign, author=editor, channel="banner", brands=[brand], **ZH_TEXTS)
    add_creative(item, user=editor)
    item = move(item, to=S.SCHEDULED, editor=editor, manager=manager)

    with pytest.raises(RuntimeError):
        workflow.transition(item=item, user=None, action="publish", system=True, already_locked=True)
    assert ContentItem.objects.get(pk=item.pk).status == S.SCHEDULED


@pytest.mark.parametrize("status", [S.PUBLISHING, S.HELD, S.PUBLISHED, S.CANCELLED])
def test_an_item_being_published_held_or_closed_offers_no_edit_and_refuses_one(
    client_for, scheduled_banner, editor, status
):
    ContentItem.objects.filter(pk=scheduled_banner.pk).update(status=status)

    page = client_for(editor).get(scheduled_banner.get_absolute_url()).content.decode()

    assert reverse("campaigns:contentitem_update", args=[scheduled_banner.pk]) not in page
    assert "Add the creative" not in page
    with pytest.raises(ValidationError, match="cannot be changed"):
        content_save(user=editor, campaign=scheduled_banner.campaign, item=scheduled_banner, body_en="Too late")


# --- many items at once (the publishing dispatcher) -------------------------------------------------


@pytest.fixture
def three_scheduled(campaign, editor, manager, brand):
    def make(i):
        item = make_item(campaign, author=editor, channel="kol_post", brands=[brand], title_en=f"Post {i}", **ZH_TEXTS)
        return move(item, to=S.SCHEDULED, editor=editor, manager=manager)

    return [make(i) for i in range(3)]


def test_transition_many_moves_only_the_items_still_in_the_source_status(three_scheduled, editor):
    first, second, unscheduled = three_scheduled
    unscheduled = content_transition(item=unscheduled, user=editor, action="unschedule")  # no longer scheduled
    before = {i.pk: ContentItem.objects.get(pk=i.pk) for i in three_scheduled}

    moved = workflow.transition_many(
        item_ids=[i.pk for i in three_scheduled],
        user=None,
        action="dispatch",
        comments={first.pk: "Late by 0:06:00."},
        system=True,
    )

    assert sorted(i.pk for i in moved) == [first.pk, second.pk]
    for item in (first, second):
        after = ContentItem.objects.get(pk=item.pk)
        # Only the workflow fields change: the approval and the texts stay as they were.
        assert (after.status, after.version) == (S.PUBLISHING, before[item.pk].version + 1)
        assert (after.approved_by_id, after.title_en) == (before[item.pk].approved_by_id, before[item.pk].title_en)
        (step,) = after.transitions.filter(action="dispatch")
        assert (step.from_status, step.to_status, step.user) == (S.SCHEDULED, S.PUBLISHING, None)
        assert step.comment == ("Late by 0:06:00." if item == first else "")
    # The returned items are the rows as written (what the listeners were given).
    assert {(i.pk, i.status, i.version) for i in moved} == {
        (i.pk, S.PUBLISHING, before[i.pk].version + 1) for i in (first, second)
    }
    left = ContentItem.objects.get(pk=unscheduled.pk)
    assert (left.status, left.version) == (S.APPROVED, before[unscheduled.pk].version)
    assert not left.transitions.filter(action="dispatch").exists()


def test_transition_many_calls_the_listeners_once_per_item_moved(three_scheduled, monkeypatch):
    heard = []
    monkeypatch.setattr(workflow, "TRANSITION_LISTENERS", [lambda **kw: heard.append((kw["item"].pk, kw["previous"]))])

    workflow.transition_many(item_ids=[i.pk for i in three_scheduled], user=None, action="hold", system=True)

    assert sorted(heard) == sorted((i.pk, S.SCHEDULED) for i in three_scheduled)


def test_transition_many_takes_only_rows_without_checks_and_system_rows_only_for_the_system(three_scheduled, manager):
    ids = [i.pk for i in three_scheduled]
    with pytest.raises(ValueError, match="checks"):
        workflow.transition_many(item_ids=ids, user=manager, action="approve")
    with pytest.raises(PermissionDenied):
        workflow.transition_many(item_ids=ids, user=manager, action="dispatch")
    assert workflow.transition_many(item_ids=[], user=None, action="dispatch", system=True) == []
    assert set(ContentItem.objects.filter(pk__in=ids).values_list("status", flat=True)) == {S.SCHEDULED}


@on_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_transition_many_waits_for_a_concurrent_change_and_does_not_overwrite_it(three_scheduled, editor):
    """Another session unschedules an item and holds its lock while the batch runs: once it commits, the batch
    leaves that item alone (its change stands) and moves the others."""
    first, second, third = three_scheduled
    locked, release = threading.Event(), threading.Event()

    def unschedule_slowly():
        try:
            with transaction.atomic():
                content_transition(item=second, user=editor, action="unschedule")
                locked.set()
                release.wait(20)
        finally:
            connection.close()

    def waiting_on_a_row_lock() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] > 0

    moved = []

    def batch():
        try:
            moved.extend(
                workflow.transition_many(
                    item_ids=[first.pk, second.pk, third.pk], user=None, action="dispatch", system=True
                )
            )
        finally:
            connection.close()

    other = threading.Thread(target=unschedule_slowly)
    other.start()
    runner = threading.Thread(target=batch)
    try:
        assert locked.wait(10)
        runner.start()
        deadline = time.monotonic() + 20
        while not waiting_on_a_row_lock() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert waiting_on_a_row_lock(), "the batch never waited for the other session's row"
    finally:
        release.set()
        other.join(20)
        if runner.ident:
            runner.join(20)

    assert sorted(i.pk for i in moved) == [first.pk, third.pk]
    second = ContentItem.objects.get(pk=second.pk)
    assert second.status == S.APPROVED
    assert second.transitions.first().action == "unschedule"
