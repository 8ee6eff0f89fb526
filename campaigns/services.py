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
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from brandhub.access import require_agency_staff
from brands.images import IngestedImage, image_discard, image_store

from . import events, workflow
from .api.feed import feed_changed
from .calendar import CalendarError, occurrences
from .choices import CampaignStatus, ContentStatus
from .colors import dominant_color
from .models import Campaign, ChannelRule, ContentItem, Creative, CreativeSize, Festival

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


def festival_next_year(festival: Festival, today: datetime.date | None = None) -> int:
    """The year of the festival's next occurrence: this year's until its campaign window has ended, then next."""
    today = today or timezone.localdate(timezone=CHINA)
    try:
        if festival_occurrence(festival, today.year).window_end >= today:
            return today.year
    except CalendarError:
        pass
    return today.year + 1


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
        feed_changed()  # the partner API shows festival names with campaigns
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


def campaign_save(*, user, campaign: Campaign | None = None, brands=None, **fields) -> Campaign:
    """Create or change a campaign. A festival campaign without dates takes the festival's window."""
    if campaign is not None and campaign.pk:
        _require_editable(user, campaign)
    else:
        require_agency_staff(user)
    campaign = campaign or Campaign(owner=user)
    for name, value in fields.items():
        if name in CAMPAIGN_FIELDS:
            setattr(campaign, name, value)
    if campaign.festival_id and not campaign.festival_year:
        campaign.festival_year = festival_next_year(campaign.festival)
    if campaign.festival_id and campaign.festival_year and not (campaign.starts_on and campaign.ends_on):
        try:
            occurrence = festival_occurrence(campaign.festival, campaign.festival_year)
        except CalendarError as exc:
            raise ValidationError({"festival_year": str(exc)}) from exc
        campaign.starts_on = campaign.starts_on or occurrence.window_start
        campaign.ends_on = campaign.ends_on or occurrence.window_end
    campaign.full_clean()
    with transaction.atomic():
        # The stored status, not the object's (a caller may have set it already): partners hear of real changes.
        before = (
            Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("status", flat=True).first()
            if campaign.pk
            else None
        )
        campaign.save()
        if brands is not None:
            campaign.brands.set(brands)
        _refresh_due_dates([campaign])
        if campaign.status != (before or CampaignStatus.DRAFT):
            events.campaign_status_changed(campaign.pk, before=before, after=campaign.status)
        if before is not None:
            feed_changed()  # the partner API shows campaigns that have published items
    return campaign


def campaign_copy_to_next_year(*, campaign: Campaign, user) -> Campaign:
    """Copy a festival campaign onto the festival's next occurrence: every date moves with the festival.

    Lunar festivals move by a different number of days each year; items keep their China-time hour and
    their distance from the festival day. The copy and its items start again as drafts.
    """
    _require_editable(user, campaign)
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
                kol_id=item.kol_id,
                kol_text=item.kol_text,
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
                        size_check=c.size_check,
                    )
                    for c in item.creatives.all()
                ]
            )
    return copy


# --- content --------------------------------------------------------------------------------------

ITEM_FIELDS = (
    "channel",
    "kol",
    "kol_text",
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


def _require_editable(user, campaign: Campaign) -> None:
    """The acting user must be allowed to edit the campaign (``editable_by``): no caller can skip the rule."""
    if not (user and user.is_authenticated) or not Campaign.objects.editable_by(user).filter(pk=campaign.pk).exists():
        raise PermissionDenied


def content_save(
    *, user, campaign: Campaign, item: ContentItem | None = None, brands=None, version: int | None = None, **fields
) -> ContentItem:
    """Create or change a content item.

    A change locks the row and re-reads it: ``version`` is the version the user's form was built on, and an
    older one is refused (``StaleVersion``). Only the given fields are written. When an approved or
    scheduled item's reviewed content changes (texts, channel, time, brands), it goes back to review
    through the workflow ("changed after approval"), so nothing unreviewed can go out.
    """
    _require_editable(user, campaign)
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items() if k in ITEM_FIELDS}
    if fields.get("kol") is not None:
        fields["kol_text"] = ""  # a KOL picked: the name typed before KOLs were records has done its job
    with transaction.atomic():
        if item is None:
            item = ContentItem(campaign=campaign, author=user)
            changed = list(fields)
        else:
            item = ContentItem.objects.select_for_update().get(pk=item.pk, campaign=campaign)
            if version is not None and item.version != version:
                raise workflow.StaleVersion
            changed = [k for k, v in fields.items() if getattr(item, k) != v]
        if item.status in workflow.CLOSED:
            raise ValidationError(_("This item is being published, is held, or is closed: it cannot be changed."))
        for name in changed:
            setattr(item, name, fields[name])
        if brands is not None:
            brand_ids = {b.pk for b in brands}
            if item.pk is None or brand_ids != set(item.brands.values_list("pk", flat=True)):
                changed.append("brands")
        if not item.title:
            raise ValidationError({"title_en": _("Give the item a title in at least one language.")})
        _set_due(item, campaign)
        item.full_clean(exclude=["campaign", "author", "approved_by", "last_edited_by"])
        if item.pk is not None and not changed:
            return item
        is_new = item.pk is None
        item.last_edited_by = user
        if is_new:
            item.save()
        else:
            item.version += 1
            item.save(update_fields=[*(c for c in changed if c != "brands"), "due_on", "last_edited_by", "version",
                                     "updated_at"])  # fmt: skip
        if brands is not None and "brands" in changed:
            item.brands.set(brands)
        reviewed = [c for c in changed if c in workflow.REVIEWED_FIELDS]
        if not is_new and reviewed and item.status in (ContentStatus.APPROVED, ContentStatus.SCHEDULED):
            item = workflow.transition(
                item=item, user=user, action="changed_after_approval", changes=reviewed, system=True
            )
    return item


def content_transition(
    *, item: ContentItem, user, action: str, comment: str = "", accept_warnings: bool = False, version=None
) -> ContentItem:
    """Move an item through the review workflow (``campaigns.workflow``), or raise why not."""
    return workflow.transition(
        item=item, user=user, action=action, comment=comment, accept_warnings=accept_warnings, version=version
    )


def content_approve_and_schedule(*, item: ContentItem, user, comment: str = "", accept_warnings: bool = False):
    """Approve and schedule in one step (both transitions recorded), or neither when scheduling is refused."""
    return content_transition(
        item=item, user=user, action="approve_schedule", comment=comment, accept_warnings=accept_warnings
    )


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


def creative_add(
    *, item: ContentItem, user, image: IngestedImage, subject: str = "", topic: str = "", version: int | None = None
) -> Creative:
    """Store a banner image for an item, with its dominant colour and a warning if its size fits no rule.

    A new creative is a change of reviewed content: an approved or scheduled item goes back to review.
    """
    _require_editable(user, item.campaign)
    color = dominant_color(image.content)
    sizes = list(CreativeSize.objects.filter(channel=item.channel))
    check = {}
    if sizes and not any((s.width, s.height) == (image.width, image.height) for s in sizes):
        expected = [[s.name, s.width, s.height] for s in sizes]
        check = {"width": image.width, "height": image.height, "channel": item.channel, "expected": expected}
    creative = Creative(
        item=item, dominant_hex=color.hex, dominant_name=color.name, subject=subject, topic=topic, size_check=check
    )
    # Private: a creative is shown only to those who may see its item (campaigns:creative_image).
    asset = image_store(image, original_name=image.original_name, user=user, private=True)
    try:
        with transaction.atomic():
            locked = ContentItem.objects.select_for_update().get(pk=item.pk)
            if version is not None and locked.version != version:
                raise workflow.StaleVersion
            if locked.status in workflow.CLOSED:
                raise ValidationError(_("This item is being published, is held, or is closed: it cannot be changed."))
            creative.item = locked
            creative.image = asset
            creative.full_clean()
            creative.save()
            ContentItem.objects.filter(pk=locked.pk).update(
                version=F("version") + 1, last_edited_by=user, updated_at=timezone.now()
            )
            if locked.status in (ContentStatus.APPROVED, ContentStatus.SCHEDULED):
                workflow.transition(
                    item=locked, user=user, action="changed_after_approval", changes=["creatives"], system=True
                )
    except BaseException:
        image_discard(asset)
        raise
    return creative
