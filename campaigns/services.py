"""Every write on campaigns and content: planning, the review workflow, creatives, copying to next year.

The workflow is draft → in review → approved → scheduled, and back to draft with a comment when
changes are asked. Each transition checks who may make it, records a ``ContentTransition`` and
happens in one transaction on a locked row, so two reviewers cannot both move the same item.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from brands.images import IngestedImage, image_discard, image_store

from .calendar import CalendarError, occurrences
from .choices import CampaignStatus, ContentStatus
from .colors import dominant_color
from .models import Campaign, ChannelRule, ContentItem, ContentTransition, Creative, CreativeSize, Festival

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
LANGUAGE_SUFFIX = {"it": "it", "en": "en", "zh-hans": "zh_hans"}
LANGUAGE_NAMES = {
    "it": pgettext_lazy("language", "Italian"),
    "en": pgettext_lazy("language", "English"),
    "zh-hans": pgettext_lazy("language", "Chinese"),
}


# --- the calendar ---------------------------------------------------------------------------------


def festival_occurrence(festival: Festival, year: int):
    """The festival's dates in ``year``, computed with every other festival known (for offset rules)."""
    specs = Festival.objects.specs()
    for occurrence in occurrences(year, specs):
        if occurrence.key == festival.key:
            return occurrence
    raise CalendarError(_("%(festival)s has no date in %(year)s.") % {"festival": festival, "year": year})


def festival_save(*, user, festival: Festival) -> Festival:
    """Save a changed festival rule after checking it computes for a sample of years with every other festival.

    The item due dates of its campaigns follow the new lead time.
    """
    if not (user and user.is_authenticated and user.is_agency_manager):
        raise PermissionDenied
    festival.full_clean()
    specs = [f.spec() for f in Festival.objects.select_related("anchor").exclude(pk=festival.pk)] + [festival.spec()]
    try:
        for year in (1901, timezone.localdate().year, 2098):
            occurrences(year, specs)
    except CalendarError as exc:
        raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        festival.save()
        _refresh_due_dates(festival.campaigns.all())
    return festival


# --- campaigns ------------------------------------------------------------------------------------

CAMPAIGN_FIELDS = (
    "title",
    "festival",
    "festival_year",
    "category",
    "channels",
    "starts_on",
    "ends_on",
    "budget_cny",
    "target_followers",
    "target_impressions",
    "target_interactions",
    "status",
)


def _require_staff(user) -> None:
    if not (user and user.is_authenticated and user.is_agency_staff):
        raise PermissionDenied


def campaign_save(*, user, campaign: Campaign | None = None, brands=None, **fields) -> Campaign:
    """Create or change a campaign. A festival campaign without dates takes the festival's window."""
    _require_staff(user)
    campaign = campaign or Campaign(owner=user)
    for name, value in fields.items():
        if name in CAMPAIGN_FIELDS:
            setattr(campaign, name, value)
    if campaign.festival_id and campaign.festival_year and not (campaign.starts_on and campaign.ends_on):
        try:
            occurrence = festival_occurrence(campaign.festival, campaign.festival_year)
        except CalendarError as exc:
            raise ValidationError({"festival_year": str(exc)}) from exc
        campaign.starts_on = campaign.starts_on or occurrence.window_start
        campaign.ends_on = campaign.ends_on or occurrence.window_end
    campaign.full_clean()
    with transaction.atomic():
        campaign.save()
        if brands is not None:
            campaign.brands.set(brands)
        _refresh_due_dates([campaign])
    return campaign


def campaign_copy_to_next_year(*, campaign: Campaign, user) -> Campaign:
    """Copy a festival campaign onto the festival's next occurrence: every date moves with the festival.

    Lunar festivals move by a different number of days each year; items keep their China-time hour and
    their distance from the festival day. The copy and its items start again as drafts.
    """
    _require_staff(user)
    if not campaign.festival_id:
        raise ValidationError(_("Only a campaign on a festival can be copied to the festival's next date."))
    year = campaign.festival_year + 1
    try:
        old = festival_occurrence(campaign.festival, campaign.festival_year)
        new = festival_occurrence(campaign.festival, year)
    except CalendarError as exc:
        raise ValidationError(str(exc)) from exc
    shift = new.date - old.date
    with transaction.atomic():
        copy = Campaign.objects.create(
            title=campaign.title.replace(str(campaign.festival_year), str(year)),
            festival=campaign.festival,
            festival_year=year,
            category=campaign.category,
            channels=list(campaign.channels),
            starts_on=campaign.starts_on + shift,
            ends_on=campaign.ends_on + shift,
            budget_cny=campaign.budget_cny,
            target_followers=campaign.target_followers,
            target_impressions=campaign.target_impressions,
            target_interactions=campaign.target_interactions,
            owner=user,
            status=CampaignStatus.DRAFT,
            copied_from=campaign,
        )
        copy.brands.set(campaign.brands.all())
        for item in campaign.items.prefetch_related("brands", "creatives"):
            local = item.scheduled_at.astimezone(CHINA)
            moved = datetime.datetime.combine(local.date() + shift, local.time(), tzinfo=CHINA)
            new_item = ContentItem(
                campaign=copy,
                channel=item.channel,
                kol=item.kol,
                scheduled_at=moved,
                author=user,
                **{f"{f}_{s}": getattr(item, f"{f}_{s}") for f in ("title", "body") for s in LANGUAGE_SUFFIX.values()},
            )
            _set_due(new_item, copy)
            new_item.save()
            new_item.brands.set(item.brands.all())
            Creative.objects.bulk_create(
                [
                    Creative(
                        item=new_item,
                        image_id=c.image_id,
                        dominant_hex=c.dominant_hex,
                        dominant_name=c.dominant_name,
                        subject=c.subject,
                        topic=c.topic,
                        size_warning=c.size_warning,
                    )
                    for c in item.creatives.all()
                ]
            )
    return copy


# --- content --------------------------------------------------------------------------------------

ITEM_FIELDS = (
    "channel",
    "kol",
    "scheduled_at",
    *(f"{f}_{s}" for f in ("title", "body") for s in LANGUAGE_SUFFIX.values()),
)


def _refresh_due_dates(campaigns) -> None:
    """Recompute the material due dates of these campaigns' items: one query and one bulk update."""
    items = list(ContentItem.objects.filter(campaign__in=campaigns).select_related("campaign__festival"))
    for item in items:
        _set_due(item, item.campaign)
    ContentItem.objects.bulk_update(items, ["due_on"], batch_size=500)


def _set_due(item: ContentItem, campaign: Campaign) -> None:
    """Material is due the festival's content lead time before the item goes out (default lead without one)."""
    lead = campaign.festival.content_due_days if campaign.festival_id else settings.CONTENT_DEFAULT_LEAD_DAYS
    item.due_on = item.scheduled_at.astimezone(CHINA).date() - datetime.timedelta(days=lead)


def content_save(*, user, campaign: Campaign, item: ContentItem | None = None, brands=None, **fields) -> ContentItem:
    """Create or change a content item. Changing an approved or scheduled item sends it back to draft."""
    _require_staff(user)
    item = item or ContentItem(campaign=campaign, author=user)
    if item.status in (ContentStatus.PUBLISHED, ContentStatus.CANCELLED):
        raise ValidationError(_("A published or cancelled item cannot be changed."))
    for name, value in fields.items():
        if name in ITEM_FIELDS:
            setattr(item, name, value.strip() if isinstance(value, str) else value)
    if not item.title:
        raise ValidationError({"title_en": _("Give the item a title in at least one language.")})
    _set_due(item, campaign)
    item.full_clean(exclude=["campaign", "author", "approved_by"])
    with transaction.atomic():
        back_to_draft = item.pk and item.status in (ContentStatus.APPROVED, ContentStatus.SCHEDULED)
        previous = item.status
        if back_to_draft:
            item.status, item.approved_by, item.approved_at = ContentStatus.DRAFT, None, None
        item.save()
        if brands is not None:
            item.brands.set(brands)
        if back_to_draft:
            ContentTransition.objects.create(
                item=item,
                from_status=previous,
                to_status=ContentStatus.DRAFT,
                user=user,
                comment=_("Edited after approval: it needs a new review."),
            )
    return item


@dataclass(frozen=True)
class Problem:
    """Something an item misses; ``blocking`` problems stop approval, the others are warnings."""

    message: str
    blocking: bool = True


def content_problems(item: ContentItem, creatives=None) -> list[Problem]:
    """What stands between this item and approval (missing languages or creative), plus size warnings."""
    rule = ChannelRule.objects.filter(channel=item.channel).first()
    creatives = list(item.creatives.all()) if creatives is None else creatives
    problems = []
    if rule is not None:
        for language in rule.required_languages:
            suffix = LANGUAGE_SUFFIX.get(language, language)
            if (
                not (getattr(item, f"title_{suffix}", "") or "").strip()
                or not (getattr(item, f"body_{suffix}", "") or "").strip()
            ):
                problems.append(
                    Problem(
                        _("The title and text in %(language)s are missing.")
                        % {"language": LANGUAGE_NAMES.get(language, language)}
                    )
                )
        if rule.needs_creative and not creatives:
            problems.append(Problem(_("This channel needs a creative (an image).")))
    problems.extend(Problem(c.size_warning, blocking=False) for c in creatives if c.size_warning)
    return problems


TRANSITIONS = {
    # action: (allowed from, to, who)
    "submit": ((ContentStatus.DRAFT,), ContentStatus.IN_REVIEW, "staff"),
    "approve": ((ContentStatus.IN_REVIEW,), ContentStatus.APPROVED, "manager"),
    "request_changes": ((ContentStatus.IN_REVIEW, ContentStatus.APPROVED), ContentStatus.DRAFT, "manager"),
    "schedule": ((ContentStatus.APPROVED,), ContentStatus.SCHEDULED, "staff"),
    "unschedule": ((ContentStatus.SCHEDULED,), ContentStatus.APPROVED, "staff"),
    "cancel": (
        (ContentStatus.DRAFT, ContentStatus.IN_REVIEW, ContentStatus.APPROVED, ContentStatus.SCHEDULED),
        ContentStatus.CANCELLED,
        "manager",
    ),
}


def content_transition(
    *, item: ContentItem, user, action: str, comment: str = "", accept_warnings: bool = False
) -> ContentItem:
    """Move an item through the review workflow, or raise ``PermissionDenied`` / ``ValidationError``."""
    if action not in TRANSITIONS:
        raise ValidationError(_("Unknown action."))
    sources, target, who = TRANSITIONS[action]
    _require_staff(user)
    if who == "manager" and not user.is_agency_manager:
        raise PermissionDenied(_("Only an agency manager can do this."))
    with transaction.atomic():
        item = ContentItem.objects.select_for_update().get(pk=item.pk)
        if item.status not in sources:
            raise ValidationError(
                _("This item is %(status)s: it cannot be moved that way.") % {"status": item.get_status_display()}
            )
        if action == "approve" and item.author_id == user.pk:
            raise PermissionDenied(_("Nobody approves their own item: another manager must approve it."))
        if action == "request_changes" and not comment.strip():
            raise ValidationError({"comment": _("Say what needs to change.")})
        problems = content_problems(item)
        if action in ("approve", "schedule") and any(p.blocking for p in problems):
            raise ValidationError([p.message for p in problems if p.blocking])
        if action == "schedule":
            if item.scheduled_at <= timezone.now():
                raise ValidationError(_("The scheduled time has passed: choose a new time first."))
            warnings = [p.message for p in problems if not p.blocking]
            if warnings and not accept_warnings:
                # Each message carries the code, so a caller can tell "accept the warnings?" from a refusal.
                raise ValidationError([ValidationError(message, code="warnings") for message in warnings])
        previous = item.status
        item.status = target
        if action == "approve":
            item.approved_by, item.approved_at = user, timezone.now()
        elif target == ContentStatus.DRAFT:
            item.approved_by, item.approved_at = None, None
        item.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        ContentTransition.objects.create(
            item=item, from_status=previous, to_status=target, user=user, comment=comment.strip()
        )
    return item


def content_approve_and_schedule(*, item: ContentItem, user, comment: str = "", accept_warnings: bool = False):
    """Approve and schedule in one step (both transitions recorded), or neither when scheduling is refused."""
    with transaction.atomic():
        item = content_transition(item=item, user=user, action="approve", comment=comment)
        return content_transition(item=item, user=user, action="schedule", accept_warnings=accept_warnings)


def creative_add(*, item: ContentItem, user, image: IngestedImage, subject: str = "", topic: str = "") -> Creative:
    """Store a banner image for an item, with its dominant colour and a warning if its size fits no rule."""
    _require_staff(user)
    color = dominant_color(image.content)
    sizes = list(CreativeSize.objects.filter(channel=item.channel))
    warning = ""
    if sizes and not any((s.width, s.height) == (image.width, image.height) for s in sizes):
        expected = ", ".join(f"{s.name} {s.width}×{s.height}" for s in sizes)
        warning = _("The image is %(w)s×%(h)s px; %(channel)s expects %(expected)s.") % {
            "w": image.width,
            "h": image.height,
            "channel": item.get_channel_display(),
            "expected": expected,
        }
    creative = Creative(
        item=item, dominant_hex=color.hex, dominant_name=color.name, subject=subject, topic=topic, size_warning=warning
    )
    asset = image_store(image, original_name=image.original_name, user=user)
    try:
        with transaction.atomic():
            creative.image = asset
            creative.full_clean()
            creative.save()
    except BaseException:
        image_discard(asset)
        raise
    return creative
