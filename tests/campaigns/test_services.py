"""Campaign and content services: time zones, the review workflow, creatives, due dates, copying, access."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from brands.models import ImageAsset
from campaigns.choices import ContentStatus
from campaigns.kols import kol_save
from campaigns.models import Campaign, ContentItem, ContentTransition, Creative, CreativeSize, Festival
from campaigns.services import (
    campaign_copy_to_next_year,
    campaign_save,
    content_problems,
    content_save,
    content_transition,
    creative_add,
)
from tests.factories import EditorFactory
from tests.utils import stored_files

from .conftest import (
    CHINA,
    ROME,
    UTC,
    ZH_TEXTS,
    add_creative,
    china,
    ingested,
    make_campaign,
    make_item,
    move,
    occurrence,
)

S = ContentStatus
pytestmark = pytest.mark.django_db


def messages(exc_info) -> str:
    return " ".join(exc_info.value.messages)


# --- time zones -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "rome_hour"),
    [(datetime.date(2027, 1, 15), 13), (datetime.date(2027, 8, 8), 14)],
    ids=["winter", "summer-qixi-2027"],
)
def test_item_entered_at_20_china_time_is_stored_at_12_utc_and_shown_in_rome_local_time(
    campaign, editor, day, rome_hour
):
    item = make_item(campaign, author=editor, scheduled_at=china(day.year, day.month, day.day, 20))

    stored = ContentItem.objects.get(pk=item.pk).scheduled_at
    assert stored == datetime.datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    assert stored.utcoffset() == datetime.timedelta(0)
    assert ContentItem.objects.filter(scheduled_at__date=day, scheduled_at__hour=12).get() == item
    assert timezone.localtime(stored, ROME).hour == rome_hour
    assert timezone.localtime(stored, ROME).date() == day
    assert timezone.localtime(stored, CHINA).hour == 20


# --- the review workflow --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "source", "actor", "target"),
    [
        ("submit", S.DRAFT, "editor", S.IN_REVIEW),
        ("submit", S.DRAFT, "manager", S.IN_REVIEW),
        ("approve", S.IN_REVIEW, "manager", S.APPROVED),
        ("request_changes", S.IN_REVIEW, "manager", S.DRAFT),
        ("request_changes", S.APPROVED, "manager", S.DRAFT),
        ("schedule", S.APPROVED, "editor", S.SCHEDULED),
        ("unschedule", S.SCHEDULED, "editor", S.APPROVED),
        ("cancel", S.DRAFT, "manager", S.CANCELLED),
        ("cancel", S.IN_REVIEW, "manager", S.CANCELLED),
        ("cancel", S.APPROVED, "manager", S.CANCELLED),
        ("cancel", S.SCHEDULED, "manager", S.CANCELLED),
    ],
)
def test_allowed_transition_moves_item_and_records_from_to_user_and_comment(
    ready_item, editor, manager, action, source, actor, target
):
    item = move(ready_item, to=source, editor=editor, manager=manager)
    before = set(item.transitions.values_list("pk", flat=True))
    user = {"editor": editor, "manager": manager}[actor]

    moved = content_transition(item=item, user=user, action=action, comment="  Use the gold box photo.  ")

    assert moved.status == target
    assert ContentItem.objects.get(pk=item.pk).status == target
    (row,) = ContentTransition.objects.filter(item=item).exclude(pk__in=before)
    assert (row.from_status, row.to_status, row.user, row.comment) == (source, target, user, "Use the gold box photo.")


@pytest.mark.parametrize("action", ["submit", "approve", "request_changes", "schedule", "unschedule", "cancel"])
@pytest.mark.parametrize("who", ["brand_user", "brand_editor", "anonymous"])
def test_brand_users_and_anonymous_make_no_transition(request, ready_item, editor, manager, action, who):
    source = {"submit": S.DRAFT, "approve": S.IN_REVIEW, "request_changes": S.IN_REVIEW, "unschedule": S.SCHEDULED}
    item = move(ready_item, to=source.get(action, S.APPROVED), editor=editor, manager=manager)
    status, rows = item.status, item.transitions.count()
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        content_transition(item=item, user=user, action=action, comment="Please change it")

    item.refresh_from_db()
    assert (item.status, item.transitions.count()) == (status, rows)


@pytest.mark.parametrize(
    ("action", "source"), [("approve", S.IN_REVIEW), ("request_changes", S.IN_REVIEW), ("cancel", S.DRAFT)]
)
def test_editor_cannot_approve_request_changes_or_cancel(ready_item, editor, manager, action, source):
    item = move(ready_item, to=source, editor=editor, manager=manager)
    other_editor = EditorFactory(username="editor-two")

    with pytest.raises(PermissionDenied, match="Only an agency manager"):
        content_transition(item=item, user=other_editor, action=action, comment="Needs a new photo")

    item.refresh_from_db()
    assert item.status == source
    assert item.approved_by is None


def test_nobody_approves_their_own_item(campaign, manager):
    item = make_item(campaign, author=manager, channel="kol_post", **ZH_TEXTS)
    content_transition(item=item, user=manager, action="submit")

    with pytest.raises(PermissionDenied, match="Nobody approves their own item"):
        content_transition(item=item, user=manager, action="approve")

    item.refresh_from_db()
    assert (item.status, item.approved_by, item.transitions.count()) == (S.IN_REVIEW, None, 1)


def test_another_manager_approves_an_item_a_manager_wrote(campaign, manager, second_manager):
    item = make_item(campaign, author=manager, channel="kol_post", **ZH_TEXTS)
    content_transition(item=item, user=manager, action="submit")

    item = content_transition(item=item, user=second_manager, action="approve")

    assert item.status == S.APPROVED
    assert item.approved_by == second_manager


def test_approve_records_approver_and_time_and_request_changes_clears_them(ready_item, editor, manager):
    item = content_transition(item=ready_item, user=editor, action="submit")
    before = timezone.now()

    item = content_transition(item=item, user=manager, action="approve")

    item.refresh_from_db()
    assert item.approved_by == manager
    assert before <= item.approved_at <= timezone.now()

    item = content_transition(item=item, user=manager, action="request_changes", comment="Wrong price in the text")

    item.refresh_from_db()
    assert (item.status, item.approved_by, item.approved_at) == (S.DRAFT, None, None)
    assert item.transitions.first().comment == "Wrong price in the text"


@pytest.mark.parametrize(
    ("action", "source"),
    [
        ("submit", S.IN_REVIEW),
        ("submit", S.APPROVED),
        ("approve", S.DRAFT),
        ("approve", S.APPROVED),
        ("request_changes", S.DRAFT),
        ("request_changes", S.CANCELLED),
        ("schedule", S.DRAFT),
        ("schedule", S.IN_REVIEW),
        ("schedule", S.SCHEDULED),
        ("unschedule", S.APPROVED),
        ("cancel", S.CANCELLED),
        ("cancel", S.PUBLISHED),
        ("cancel", S.FAILED),
    ],
)
def test_action_from_the_wrong_status_is_refused(ready_item, editor, manager, second_manager, action, source):
    item = move(ready_item, to=source, editor=editor, manager=manager)
    rows = item.transitions.count()

    with pytest.raises(ValidationError, match="cannot be moved that way"):
        content_transition(item=item, user=second_manager, action=action, comment="Change it")

    item.refresh_from_db()
    assert (item.status, item.transitions.count()) == (source, rows)


def test_unknown_action_is_refused(ready_item, manager):
    with pytest.raises(ValidationError, match="Unknown action"):
        content_transition(item=ready_item, user=manager, action="launch_rockets")


@pytest.mark.parametrize("comment", ["", "   "])
def test_request_changes_needs_a_comment(ready_item, editor, manager, comment):
    item = content_transition(item=ready_item, user=editor, action="submit")

    with pytest.raises(ValidationError) as exc_info:
        content_transition(item=item, user=manager, action="request_changes", comment=comment)

    assert "comment" in exc_info.value.message_dict
    item.refresh_from_db()
    assert (item.status, item.transitions.count()) == (S.IN_REVIEW, 1)


# --- approval needs the channel's content ---------------------------------------------------------


def _banner_in_review(campaign, editor, with_chinese, with_creative):
    item = make_item(campaign, author=editor, channel="banner", **(ZH_TEXTS if with_chinese else {}))
    if with_creative:
        add_creative(item, user=editor)
    return content_transition(item=item, user=editor, action="submit")


@pytest.mark.parametrize(
    ("with_chinese", "with_creative", "expected"),
    [
        (False, True, ["The title and text in Chinese are missing."]),
        (True, False, ["This channel needs a creative (an image)."]),
        (False, False, ["The title and text in Chinese are missing.", "This channel needs a creative (an image)."]),
    ],
)
def test_banner_without_chinese_text_or_creative_cannot_be_approved(
    campaign, editor, manager, with_chinese, with_creative, expected
):
    item = _banner_in_review(campaign, editor, with_chinese, with_creative)

    with pytest.raises(ValidationError) as exc_info:
        content_transition(item=item, user=manager, action="approve")

    assert exc_info.value.messages == expected
    item.refresh_from_db()
    assert (item.status, item.approved_by) == (S.IN_REVIEW, None)


def test_banner_with_only_a_chinese_title_but_no_chinese_text_cannot_be_approved(campaign, editor, manager):
    item = make_item(campaign, author=editor, title_zh_hans="七夕礼盒", body_zh_hans="   ", body_en="Gift box")
    add_creative(item, user=editor)
    content_transition(item=item, user=editor, action="submit")

    with pytest.raises(ValidationError, match="Chinese are missing"):
        content_transition(item=item, user=manager, action="approve")


def test_banner_with_chinese_text_and_creative_is_approved(campaign, editor, manager):
    item = _banner_in_review(campaign, editor, with_chinese=True, with_creative=True)

    item = content_transition(item=item, user=manager, action="approve")

    assert item.status == S.APPROVED


def test_offline_event_needs_english_as_well_as_chinese(campaign, editor):
    item = make_item(campaign, author=editor, channel="offline_event", **ZH_TEXTS)

    assert [p.message for p in content_problems(item)] == ["The title and text in English are missing."]
    item = make_item(campaign, author=editor, channel="offline_event", body_en="Tasting in Shanghai", **ZH_TEXTS)
    item = content_save(user=editor, campaign=campaign, item=item, title_en="Tasting")
    assert content_problems(item) == []


def test_content_problems_lists_blocking_problems_and_size_warnings_apart(campaign, editor):
    item = make_item(campaign, author=editor, channel="banner")
    assert [(p.message, p.blocking) for p in content_problems(item)] == [
        ("The title and text in Chinese are missing.", True),
        ("This channel needs a creative (an image).", True),
    ]

    creative = add_creative(item, user=editor, size=(800, 800))
    item = content_save(user=editor, campaign=campaign, item=item, **ZH_TEXTS)

    assert [(p.message, p.blocking) for p in content_problems(item)] == [(creative.size_warning, False)]
    assert "800×800" in creative.size_warning


# --- scheduling -----------------------------------------------------------------------------------


def test_an_item_whose_time_has_passed_cannot_be_scheduled(campaign, editor, manager):
    item = make_item(
        campaign,
        author=editor,
        channel="kol_post",
        scheduled_at=timezone.now() - datetime.timedelta(hours=1),
        **ZH_TEXTS,
    )
    item = move(item, to=S.APPROVED, editor=editor, manager=manager)

    with pytest.raises(ValidationError, match="scheduled time has passed"):
        content_transition(item=item, user=editor, action="schedule", accept_warnings=True)

    item.refresh_from_db()
    assert item.status == S.APPROVED


def test_creative_of_a_size_the_channel_does_not_take_gets_a_warning_that_scheduling_must_accept(
    campaign, editor, manager
):
    item = make_item(campaign, author=editor, channel="banner", **ZH_TEXTS)
    creative = add_creative(item, user=editor, size=(1000, 500))
    item = move(item, to=S.APPROVED, editor=editor, manager=manager)

    assert Creative.objects.get(pk=creative.pk).size_warning == (
        "The image is 1000×500 px; Banner expects Tmall PC full-width poster 1920×540, Tmall mobile banner 750×390."
    )
    with pytest.raises(ValidationError) as exc_info:
        content_transition(item=item, user=editor, action="schedule")
    assert exc_info.value.messages == [creative.size_warning]
    item.refresh_from_db()
    assert item.status == S.APPROVED

    item = content_transition(item=item, user=editor, action="schedule", accept_warnings=True)
    assert item.status == S.SCHEDULED


def test_scheduling_over_size_warnings_raises_a_validation_error_with_code_warnings(campaign, editor, manager):
    item = make_item(campaign, author=editor, channel="banner", **ZH_TEXTS)
    add_creative(item, user=editor, size=(1000, 500))
    item = move(item, to=S.APPROVED, editor=editor, manager=manager)

    with pytest.raises(ValidationError) as exc_info:
        content_transition(item=item, user=editor, action="schedule")

    assert [error.code for error in exc_info.value.error_list] == ["warnings"]


@pytest.mark.parametrize("size", [(1920, 540), (750, 390)])
def test_banner_of_a_listed_size_has_no_warning_and_is_scheduled(campaign, editor, manager, size):
    item = make_item(campaign, author=editor, channel="banner", **ZH_TEXTS)
    creative = add_creative(item, user=editor, size=size)
    item = move(item, to=S.APPROVED, editor=editor, manager=manager)

    assert creative.size_warning == ""
    assert content_transition(item=item, user=editor, action="schedule").status == S.SCHEDULED


def test_creative_of_a_wrong_size_is_stored_with_its_warning_however_many_sizes_the_channel_lists(
    campaign, editor, media_root
):
    CreativeSize.objects.create(channel="banner", name="Tmall mobile homepage carousel", width=1200, height=600)
    CreativeSize.objects.create(channel="banner", name="Taobao flagship store header", width=990, height=300)
    CreativeSize.objects.create(channel="banner", name="Tmall store front campaign strip", width=990, height=200)
    item = make_item(campaign, author=editor, channel="banner")

    creative = add_creative(item, user=editor, size=(640, 480))

    assert "640×480" in Creative.objects.get(pk=creative.pk).size_warning


# --- creatives ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("color", "hex_value", "name"), [((200, 16, 46), "#c8102e", "red"), ((0, 132, 61), "#00843d", "green")]
)
def test_creative_add_stores_the_image_with_its_dominant_colour(campaign, editor, media_root, color, hex_value, name):
    item = make_item(campaign, author=editor)

    creative = add_creative(item, user=editor, color=color, subject="product", topic="gifting")

    creative = Creative.objects.select_related("image").get(pk=creative.pk)
    assert (creative.dominant_hex, creative.dominant_name) == (hex_value, name)
    assert (creative.subject, creative.topic, creative.item) == ("product", "gifting", item)
    assert (creative.image.width, creative.image.height, creative.image.uploaded_by) == (1920, 540, editor)
    files = stored_files(media_root)
    assert len(files) == 1 + len(creative.image.renditions)
    assert media_root / creative.image.file.name in files


def test_a_failed_creative_add_leaves_no_files_and_no_image_asset(campaign, editor, media_root, monkeypatch):
    item = make_item(campaign, author=editor)
    image = ingested()
    assets = ImageAsset.objects.count()

    def broken_full_clean(self, *args, **kwargs):
        raise ValidationError("Broken on purpose")

    monkeypatch.setattr(Creative, "full_clean", broken_full_clean)
    with pytest.raises(ValidationError, match="Broken on purpose"):
        creative_add(item=item, user=editor, image=image)

    assert stored_files(media_root) == []
    assert ImageAsset.objects.count() == assets
    assert not Creative.objects.exists()


def test_brand_user_cannot_add_a_creative(campaign, editor, brand_user, media_root):
    item = make_item(campaign, author=editor)

    with pytest.raises(PermissionDenied):
        creative_add(item=item, user=brand_user, image=ingested())

    assert stored_files(media_root) == []
    assert not Creative.objects.exists()


# --- content_save ---------------------------------------------------------------------------------


def test_due_date_is_the_festival_lead_time_before_the_china_date(campaign, editor):
    qixi = Festival.objects.get(key="qixi")
    # 00:30 on Aug 8 in China is still Aug 7 in UTC: the China date counts.
    item = make_item(campaign, author=editor, scheduled_at=china(2027, 8, 8, 0, 30))

    assert ContentItem.objects.get(pk=item.pk).due_on == datetime.date(2027, 8, 8) - datetime.timedelta(
        days=qixi.content_due_days
    )
    assert qixi.content_due_days == 49


def test_due_date_without_festival_is_the_default_lead_time_before_the_china_date(manager, editor):
    campaign = make_campaign(user=manager, festival_key=None)

    item = make_item(campaign, author=editor, scheduled_at=china(2027, 3, 20, 1))

    assert ContentItem.objects.get(pk=item.pk).due_on == datetime.date(2027, 3, 6)


def test_due_date_follows_the_scheduled_time_when_the_item_is_moved(campaign, editor):
    item = make_item(campaign, author=editor, scheduled_at=china(2027, 8, 8))

    content_save(user=editor, campaign=campaign, item=item, scheduled_at=china(2027, 8, 1))

    assert ContentItem.objects.get(pk=item.pk).due_on == datetime.date(2027, 6, 13)


@pytest.mark.parametrize("status", [S.APPROVED, S.SCHEDULED])
def test_editing_an_approved_or_scheduled_item_sends_it_back_to_review(ready_item, editor, manager, status):
    item = move(ready_item, to=status, editor=editor, manager=manager)

    item = content_save(user=editor, campaign=item.campaign, item=item, body_zh_hans="新的文字")

    item = ContentItem.objects.get(pk=item.pk)
    assert (item.status, item.approved_by, item.approved_at, item.body_zh_hans) == (S.IN_REVIEW, None, None, "新的文字")
    row = item.transitions.first()
    assert (row.action, row.from_status, row.to_status, row.user) == (
        "changed_after_approval",
        status,
        S.IN_REVIEW,
        editor,
    )
    assert row.changes == ["body_zh_hans"]


@pytest.mark.parametrize("status", [S.DRAFT, S.IN_REVIEW])
def test_editing_a_draft_or_an_item_in_review_keeps_its_status(ready_item, editor, manager, status):
    item = move(ready_item, to=status, editor=editor, manager=manager)
    rows = item.transitions.count()

    kol = kol_save(user=manager, name="Li Jiaqi", name_zh="李佳琦")
    content_save(user=editor, campaign=item.campaign, item=item, kol=kol)

    item.refresh_from_db()
    assert (item.status, item.kol, item.transitions.count()) == (status, kol, rows)


@pytest.mark.parametrize("status", [S.PUBLISHED, S.CANCELLED])
def test_a_published_or_cancelled_item_cannot_be_edited(ready_item, editor, manager, status):
    item = move(ready_item, to=status, editor=editor, manager=manager)

    with pytest.raises(ValidationError, match="cannot be changed"):
        content_save(user=editor, campaign=item.campaign, item=item, title_en="Changed")

    item.refresh_from_db()
    assert (item.status, item.title_en, item.title_zh_hans) == (status, "", "七夕礼盒")


def test_an_item_needs_a_title_in_at_least_one_language(campaign, editor):
    with pytest.raises(ValidationError) as exc_info:
        content_save(user=editor, campaign=campaign, channel="banner", scheduled_at=china(2027, 8, 8), body_en="Text")

    assert "title_en" in exc_info.value.message_dict
    assert not ContentItem.objects.exists()


def test_a_title_of_spaces_only_is_no_title(campaign, editor):
    with pytest.raises(ValidationError):
        content_save(user=editor, campaign=campaign, channel="kol_post", scheduled_at=china(2027, 8, 8), title_en="   ")
    assert not ContentItem.objects.exists()


@pytest.mark.parametrize("language", ["it", "en", "zh_hans"])
def test_a_title_in_any_one_language_is_enough(campaign, editor, language):
    item = make_item(campaign, author=editor, **{f"title_{language}": "Titolo"})

    assert ContentItem.objects.get(pk=item.pk).title == "Titolo"


def test_brand_users_and_anonymous_cannot_save_content(campaign, brand_editor):
    for user in (brand_editor, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            make_item(campaign, author=user)
    assert not ContentItem.objects.exists()


# --- campaign_save --------------------------------------------------------------------------------


def test_festival_campaign_without_dates_takes_the_festival_window(manager, brand):
    campaign = make_campaign(user=manager, festival_key="qixi", year=2027, brands=[brand])

    window = occurrence("qixi", 2027)
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert (campaign.starts_on, campaign.ends_on) == (window.window_start, window.window_end)
    assert window.date == datetime.date(2027, 8, 8)
    assert (campaign.owner, list(campaign.brands.all())) == (manager, [brand])


def test_festival_campaign_keeps_the_dates_it_is_given(manager):
    campaign = make_campaign(
        user=manager, starts_on=datetime.date(2027, 7, 1), ends_on=datetime.date(2027, 8, 10), title="Qixi 2027"
    )

    campaign.refresh_from_db()
    assert (campaign.starts_on, campaign.ends_on) == (datetime.date(2027, 7, 1), datetime.date(2027, 8, 10))


def test_campaign_cannot_end_before_it_starts(manager):
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        make_campaign(user=manager, starts_on=datetime.date(2027, 8, 10), ends_on=datetime.date(2027, 8, 1))
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 12, 1), 2027),  # Qixi 2026 (Aug 19) is over: the next one
        (datetime.date(2027, 7, 20), 2027),  # inside Qixi 2027's window
        (datetime.date(2027, 8, 9), 2028),  # the day after Qixi 2027
    ],
)
def test_a_festival_campaign_without_a_year_takes_the_festivals_next_date(manager, monkeypatch, today, expected):
    from campaigns import services

    monkeypatch.setattr(services.timezone, "localdate", lambda *args, **kwargs: today)

    campaign = campaign_save(user=manager, title="Qixi", festival=Festival.objects.get(key="qixi"))

    assert campaign.festival_year == expected
    assert campaign.starts_on <= occurrence("qixi", expected).date <= campaign.ends_on


def test_festival_year_the_calendar_does_not_cover_is_refused(manager):
    with pytest.raises(ValidationError) as exc_info:
        make_campaign(user=manager, year=2150)

    assert "festival_year" in exc_info.value.message_dict


@pytest.mark.parametrize("who", ["brand_user", "brand_editor", "anonymous"])
def test_brand_users_and_anonymous_cannot_save_campaigns(request, manager, who):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    campaign = make_campaign(user=manager, title="Qixi 2027")

    with pytest.raises(PermissionDenied):
        make_campaign(user=user)
    with pytest.raises(PermissionDenied):
        campaign_save(user=user, campaign=campaign, title="Hacked")

    assert list(Campaign.objects.values_list("title", flat=True)) == ["Qixi 2027"]


def test_changing_the_festival_recomputes_the_items_due_dates(campaign, manager, editor):
    item = make_item(campaign, author=editor, scheduled_at=china(2027, 8, 8))
    assert item.due_on == datetime.date(2027, 6, 20)  # Qixi: 49 days

    campaign_save(user=manager, campaign=campaign, festival=Festival.objects.get(key="double-11"))
    item.refresh_from_db()
    assert item.due_on == datetime.date(2027, 8, 8) - datetime.timedelta(days=47)

    campaign_save(user=manager, campaign=campaign, festival=None, festival_year=None)
    item.refresh_from_db()
    assert item.due_on == datetime.date(2027, 7, 25)  # no festival: 14 days


# --- copying to next year -------------------------------------------------------------------------


@pytest.fixture
def qixi_2026(manager, editor, brand, other_brand):
    campaign = make_campaign(
        user=manager, year=2026, title="Qixi 2026: Italian gifts", brands=[brand, other_brand], budget_cny=50000
    )
    on_the_day = make_item(campaign, author=editor, scheduled_at=china(2026, 8, 19, 20), brands=[brand], **ZH_TEXTS)
    add_creative(on_the_day, user=editor)
    before = make_item(
        campaign, author=editor, channel="kol_post", scheduled_at=china(2026, 8, 10, 9, 30), brands=[other_brand]
    )
    for item in (on_the_day, before):
        ContentItem.objects.filter(pk=item.pk).update(status=S.SCHEDULED)
        ContentTransition.objects.create(item=item, from_status=S.APPROVED, to_status=S.SCHEDULED, user=manager)
    return campaign


def test_copy_to_next_year_moves_the_campaign_with_the_festival(qixi_2026, second_manager):
    old, new = occurrence("qixi", 2026), occurrence("qixi", 2027)
    assert (old.date, new.date) == (datetime.date(2026, 8, 19), datetime.date(2027, 8, 8))
    shift = new.date - old.date

    copy = campaign_copy_to_next_year(campaign=qixi_2026, user=second_manager)

    copy = Campaign.objects.get(pk=copy.pk)
    assert (copy.festival.key, copy.festival_year, copy.title) == ("qixi", 2027, "Qixi 2027: Italian gifts")
    assert (copy.starts_on, copy.ends_on) == (qixi_2026.starts_on + shift, qixi_2026.ends_on + shift)
    assert (copy.starts_on, copy.ends_on) == (new.window_start, new.window_end)
    assert (copy.copied_from, copy.owner, copy.status, copy.budget_cny) == (qixi_2026, second_manager, "draft", 50000)
    assert set(copy.brands.all()) == set(qixi_2026.brands.all())
    assert Campaign.objects.get(pk=qixi_2026.pk).festival_year == 2026


def test_copied_items_keep_their_china_hour_and_distance_from_the_festival(qixi_2026, second_manager):
    copy = campaign_copy_to_next_year(campaign=qixi_2026, user=second_manager)

    times = [timezone.localtime(i.scheduled_at, CHINA) for i in copy.items.order_by("scheduled_at")]
    assert [(t.date(), t.hour, t.minute) for t in times] == [
        (datetime.date(2027, 7, 30), 9, 30),  # 9 days before Qixi
        (datetime.date(2027, 8, 8), 20, 0),  # Qixi itself
    ]
    assert [i.due_on for i in copy.items.order_by("scheduled_at")] == [
        datetime.date(2027, 6, 11),
        datetime.date(2027, 6, 20),
    ]


def test_copied_items_are_drafts_without_history_for_the_same_brands_and_images(
    qixi_2026, editor, second_manager, brand, other_brand
):
    copy = campaign_copy_to_next_year(campaign=qixi_2026, user=second_manager)

    old_banner = qixi_2026.items.get(channel="banner")
    banner, post = copy.items.order_by("-scheduled_at")
    assert {i.status for i in copy.items.all()} == {S.DRAFT}
    assert not ContentTransition.objects.filter(item__campaign=copy).exists()
    assert {i.author for i in copy.items.all()} == {second_manager}
    assert (list(banner.brands.all()), list(post.brands.all())) == ([brand], [other_brand])
    assert (banner.title_zh_hans, banner.body_zh_hans, banner.title_en) == (
        old_banner.title_zh_hans,
        old_banner.body_zh_hans,
        old_banner.title_en,
    )
    (old_creative,), (new_creative,) = old_banner.creatives.all(), banner.creatives.all()
    assert new_creative.pk != old_creative.pk
    assert new_creative.image_id == old_creative.image_id
    assert (new_creative.dominant_hex, new_creative.dominant_name) == (old_creative.dominant_hex, "red")
    assert ImageAsset.objects.count() == 1
    assert old_banner.status == S.SCHEDULED and old_banner.transitions.count() == 1


@pytest.mark.parametrize("year", [2026, 2027])
def test_fixed_date_festival_moves_by_exactly_one_year(manager, editor, year):
    campaign = make_campaign(user=manager, festival_key="double-11", year=year, title=f"Double 11 {year}")
    make_item(campaign, author=editor, scheduled_at=china(year, 11, 11, 0))

    copy = campaign_copy_to_next_year(campaign=campaign, user=manager)

    shift = datetime.date(year + 1, 11, 11) - datetime.date(year, 11, 11)
    assert shift.days == (366 if year == 2027 else 365)
    assert (copy.starts_on - campaign.starts_on, copy.ends_on - campaign.ends_on) == (shift, shift)
    assert copy.starts_on == campaign.starts_on.replace(year=year + 1)
    (item,) = copy.items.all()
    assert timezone.localtime(item.scheduled_at, CHINA) == china(year + 1, 11, 11, 0)


def test_campaign_without_festival_cannot_be_copied(manager):
    campaign = make_campaign(user=manager, festival_key=None)

    with pytest.raises(ValidationError, match="Only a campaign on a festival"):
        campaign_copy_to_next_year(campaign=campaign, user=manager)
    assert Campaign.objects.count() == 1


def test_brand_user_cannot_copy_a_campaign(qixi_2026, brand_user):
    with pytest.raises(PermissionDenied):
        campaign_copy_to_next_year(campaign=qixi_2026, user=brand_user)
    assert Campaign.objects.count() == 1


# --- who sees what --------------------------------------------------------------------------------


@pytest.fixture
def two_campaigns(manager, editor, brand, other_brand):
    ours = make_campaign(user=manager, title="Ours", brands=[brand, other_brand])
    theirs = make_campaign(user=manager, title="Theirs", brands=[other_brand])
    ready = {"channel": "kol_post", **ZH_TEXTS}
    items = {
        "ours-brand": make_item(ours, author=editor, brands=[brand], **ready),
        "ours-both": make_item(ours, author=editor, brands=[brand, other_brand], **ready),
        "ours-other": make_item(ours, author=editor, brands=[other_brand], **ready),
        "ours-none": make_item(ours, author=editor, brands=[], **ready),
        "theirs": make_item(theirs, author=editor, brands=[other_brand], **ready),
    }
    return ours, theirs, items


def test_brand_user_sees_only_campaigns_and_reviewed_items_featuring_their_brand(
    two_campaigns, brand_user, editor, manager
):
    ours, _theirs, items = two_campaigns
    for item in items.values():
        move(item, to=S.APPROVED, editor=editor, manager=manager)

    assert list(Campaign.objects.visible_to(brand_user)) == [ours]
    assert set(ContentItem.objects.visible_to(brand_user)) == {items["ours-brand"], items["ours-both"]}


@pytest.mark.parametrize(
    ("status", "visible"),
    [
        (S.DRAFT, False),
        (S.IN_REVIEW, False),
        (S.APPROVED, True),
        (S.SCHEDULED, True),
        (S.PUBLISHED, True),
        (S.FAILED, False),
        (S.CANCELLED, False),
    ],
)
def test_brand_user_sees_an_item_of_their_brand_only_once_it_is_approved(
    two_campaigns, brand_user, editor, manager, status, visible
):
    _ours, _theirs, items = two_campaigns
    item = move(items["ours-brand"], to=status, editor=editor, manager=manager)

    assert ContentItem.objects.visible_to(brand_user).filter(pk=item.pk).exists() is visible


def test_staff_see_every_campaign_and_item(two_campaigns, manager, editor):
    for user in (manager, editor):
        assert Campaign.objects.visible_to(user).count() == 2
        assert ContentItem.objects.visible_to(user).count() == 5


def test_anonymous_and_deactivated_users_see_nothing(two_campaigns, brand_user, editor):
    brand_user.is_active = False
    brand_user.save()
    editor.is_active = False
    editor.save()
    for user in (AnonymousUser(), brand_user, editor):
        assert not Campaign.objects.visible_to(user).exists()
        assert not ContentItem.objects.visible_to(user).exists()


def test_a_size_warning_reads_in_the_readers_language_whoever_uploaded(campaign, editor):
    from django.utils import translation

    item = make_item(campaign, author=editor, channel="banner", **ZH_TEXTS)
    with translation.override("en"):
        creative = add_creative(item, user=editor, size=(1000, 500))
    creative = Creative.objects.get(pk=creative.pk)
    assert creative.size_check["width"] == 1000 and creative.size_check["channel"] == "banner"
    with translation.override("zh-hans"):
        chinese = creative.size_warning
    with translation.override("it"):
        italian = creative.size_warning
    assert "1000×500" in chinese and "横幅" in chinese and "1000×500" in italian and "Banner" not in chinese
    assert chinese != italian != creative.size_warning
