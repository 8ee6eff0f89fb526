"""Every write on KOLs: their records, their platform accounts and follower history, and their bookings.

Staff only (``require_agency_staff``): KOLs are agency data. A KOL's ``followers`` and each account's latest count are
derived from the dated history and kept here, in the transaction that changes the history, so the list filters on a
column instead of reading the history.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from brandhub.access import require_agency_staff

from . import kol_names
from .choices import KolPlatform
from .models import Campaign, ContentItem, Kol, KolAccount, KolBooking, KolFollowerCount, SessionHost

KOL_FIELDS = (
    "name",
    "name_zh",
    "focus",
    "languages",
    "agency",
    "contact_name",
    "contact_email",
    "contact_phone",
    "contact_wechat",
    "fee_min_cny",
    "fee_max_cny",
    "notes",
)
BOOKING_FIELDS = ("fee_cny", "deliverables", "starts_on", "ends_on", "status", "notes")


def kol_same_person(*, name: str, name_zh: str, exclude_pk=None) -> Kol | None:
    """The KOL on record these names are (by ``kol_names``' rules), if any: the same Chinese name; or, with no Chinese
    name given, a KOL without one with the same Latin name, or one whose Chinese name reads so in pinyin."""
    new_zh, new_latin = kol_names.zh_key(name_zh), kol_names.latin_key(name)
    for kol in Kol.objects.exclude(pk=exclude_pk).only("pk", "name", "name_zh"):
        old_zh = kol_names.zh_key(kol.name_zh)
        if new_zh and old_zh == new_zh:
            return kol
        if new_zh or not new_latin:
            continue
        if (not old_zh and kol_names.latin_key(kol.name) == new_latin) or kol_names.pinyin_key(
            kol.name_zh
        ) == new_latin:
            return kol
    return None


def kol_save(*, user, kol: Kol | None = None, accounts: list[dict] | None = None, **fields) -> Kol:
    """Create or change a KOL and, with ``accounts``, their platform accounts.

    ``accounts``: one dict per platform row of the form: ``platform``, ``handle``, ``profile_url``, ``remove`` and
    ``followers`` (a count to record for today, optional). A row with nothing in it adds no account. A KOL whose
    names are another KOL's (see ``kol_same_person``) is refused: the same person twice splits their results.
    """
    require_agency_staff(user)
    kol = kol or Kol(created_by=user)
    for name, value in fields.items():
        if name in KOL_FIELDS:
            setattr(kol, name, value.strip() if isinstance(value, str) else value)
    kol.full_clean()
    twin = kol_same_person(name=kol.name, name_zh=kol.name_zh, exclude_pk=kol.pk)
    if twin is not None:
        raise ValidationError(
            {"name_zh" if kol.name_zh else "name": _("This is %(kol)s, who is on record already.") % {"kol": twin}}
        )
    with transaction.atomic():
        kol.save()
        today = timezone.localdate()
        for row in accounts or []:
            platform = row["platform"]
            if platform not in KolPlatform.values:
                raise ValidationError(_("Unknown platform “%(value)s”.") % {"value": platform})
            account = KolAccount.objects.filter(kol=kol, platform=platform).first()
            if row.get("remove"):
                if account is not None:
                    account.delete()
                continue
            handle, url = (row.get("handle") or "").strip(), (row.get("profile_url") or "").strip()
            count = row.get("followers")
            if account is None and not (handle or url or count is not None):
                continue
            account = account or KolAccount(kol=kol, platform=platform)
            account.handle, account.profile_url = handle, url
            account.full_clean()
            account.save()
            if count is not None:
                _record(account, today, count, user)
        _refresh_followers(kol)
        kol.save()  # its search text now has the handles
    return kol


def _record(account: KolAccount, day: datetime.date, followers: int, user) -> None:
    KolFollowerCount.objects.update_or_create(
        account=account, day=day, defaults={"followers": followers, "recorded_by": user}
    )


def _refresh_followers(kol: Kol) -> None:
    """Each account's latest count from its history, and the KOL's followers as their sum."""
    for account in KolAccount.objects.filter(kol=kol):
        latest = KolFollowerCount.objects.filter(account=account).order_by("-day").first()
        account.followers = latest.followers if latest else None
        account.followers_on = latest.day if latest else None
        account.save(update_fields=["followers", "followers_on"])
    total = KolAccount.objects.filter(kol=kol).aggregate(total=Sum("followers"))["total"] or 0
    kol.followers = total
    Kol.objects.filter(pk=kol.pk).update(followers=total)


def kol_followers_record(*, user, account: KolAccount, day: datetime.date, followers: int) -> KolFollowerCount:
    """Record an account's followers on a day (a count of that day again replaces it); the account's latest count
    and the KOL's followers follow. Counts come after the day: a future day is refused."""
    require_agency_staff(user)
    if day > timezone.localdate():
        raise ValidationError({"day": _("Followers are counted on a day that has come, not in advance.")})
    if followers < 0:
        raise ValidationError({"followers": _("A follower count cannot be negative.")})
    with transaction.atomic():
        Kol.objects.select_for_update().filter(pk=account.kol_id).exists()  # one writer of a KOL's totals at a time
        _record(account, day, followers, user)
        _refresh_followers(account.kol)
    return KolFollowerCount.objects.get(account=account, day=day)


def kol_growth(account: KolAccount) -> list[tuple[datetime.date, int, int | None]]:
    """(day, followers, change since the count before) for an account's history, newest first."""
    counts = list(account.counts.order_by("day").values_list("day", "followers"))
    rows = [(day, value, value - counts[i - 1][1] if i else None) for i, (day, value) in enumerate(counts)]
    return list(reversed(rows))


# --- bookings -------------------------------------------------------------------------------------------------------


def booking_save(
    *, user, kol: Kol, campaign: Campaign, items=(), booking: KolBooking | None = None, **fields
) -> KolBooking:
    """Create or change a booking of ``kol`` for ``campaign`` (and, if given, some of its content items)."""
    require_agency_staff(user)
    items = list(items)
    strangers = [item for item in items if item.campaign_id != campaign.pk]
    if strangers:
        raise ValidationError(
            {"items": _("“%(item)s” is not part of %(campaign)s.") % {"item": strangers[0], "campaign": campaign}}
        )
    booking = booking or KolBooking(created_by=user)
    booking.kol, booking.campaign = kol, campaign
    for name, value in fields.items():
        if name in BOOKING_FIELDS:
            setattr(booking, name, value.strip() if isinstance(value, str) else value)
    booking.full_clean()
    with transaction.atomic():
        booking.save()
        booking.items.set(items)
    return booking


def booking_items_choices(campaign: Campaign):
    """The items a booking of ``campaign`` may name: the campaign's, not cancelled."""
    return ContentItem.objects.filter(campaign=campaign).exclude(status="cancelled").order_by("scheduled_at", "pk")


# --- two records of one person -------------------------------------------------------------------------------------


@dataclass
class Merged:
    """What a merge moved onto the KOL kept (the merge page's preview shows the same counts before it is done)."""

    accounts: int = 0  # accounts moved as they were
    histories: int = 0  # accounts on a platform both had: their follower counts joined the kept account's
    bookings: int = 0
    items: int = 0
    hosted: int = 0  # livestream sessions hosted


def kol_merge_preview(*, keep: Kol, other: Kol) -> Merged:
    platforms = set(keep.accounts.values_list("platform", flat=True))
    theirs = list(other.accounts.values_list("platform", flat=True))
    return Merged(
        accounts=sum(platform not in platforms for platform in theirs),
        histories=sum(platform in platforms for platform in theirs),
        bookings=other.bookings.count(),
        items=other.items.count(),
        hosted=other.hosted_sessions.count(),
    )


def kol_merge(*, user, keep: Kol, other: Kol) -> Merged:
    """``other`` is the same person as ``keep``: everything of ``other`` moves to ``keep`` and ``other`` is deleted.

    Accounts on a platform ``keep`` has no account on move as they are; on one it has, their follower history joins
    ``keep``'s account (a day both counted keeps ``keep``'s count) and a missing handle or profile URL is taken over.
    Bookings, content items and hosted sessions point at ``keep``. ``keep``'s empty fields take ``other``'s values,
    focus and languages are joined, and ``other``'s notes are added to ``keep``'s. One transaction.
    """
    require_agency_staff(user)
    if keep.pk == other.pk:
        raise ValidationError(_("Choose another KOL: a record cannot be merged into itself."))
    with transaction.atomic():
        locked = {
            kol.pk: kol for kol in Kol.objects.select_for_update().filter(pk__in=[keep.pk, other.pk]).order_by("pk")
        }
        if len(locked) != 2:
            raise ValidationError(_("One of the two KOLs no longer exists."))
        keep, other = locked[keep.pk], locked[other.pk]
        merged = kol_merge_preview(keep=keep, other=other)
        mine = {account.platform: account for account in KolAccount.objects.filter(kol=keep)}
        for account in KolAccount.objects.filter(kol=other):
            target = mine.get(account.platform)
            if target is None:
                KolAccount.objects.filter(pk=account.pk).update(kol=keep)
                continue
            days = set(KolFollowerCount.objects.filter(account=target).values_list("day", flat=True))
            KolFollowerCount.objects.filter(account=account).exclude(day__in=days).update(account=target)
            target.handle = target.handle or account.handle
            target.profile_url = target.profile_url or account.profile_url
            target.save(update_fields=["handle", "profile_url"])
            account.delete()  # with the counts of days the kept account had counted
        KolBooking.objects.filter(kol=other).update(kol=keep)
        ContentItem.objects.filter(kol=other).update(kol=keep)
        SessionHost.objects.filter(kol=other).update(kol=keep)
        fees = ("fee_min_cny", "fee_max_cny")  # a range: taken whole, or not at all
        if keep.fee_min_cny is None and keep.fee_max_cny is None:
            keep.fee_min_cny, keep.fee_max_cny = other.fee_min_cny, other.fee_max_cny
        for field in (field for field in KOL_FIELDS if field not in fees):
            mine_value, theirs = getattr(keep, field), getattr(other, field)
            if field in ("focus", "languages"):
                setattr(keep, field, [*mine_value, *[value for value in theirs if value not in mine_value]])
            elif field == "notes" and mine_value and theirs and theirs not in mine_value:
                keep.notes = f"{mine_value}\n\n{theirs}"
            elif mine_value in ("", None):
                setattr(keep, field, theirs)
        other.delete()
        keep.full_clean(exclude=["created_by"])
        keep.save()
        _refresh_followers(keep)
    return merged
