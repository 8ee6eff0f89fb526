"""The monthly report mail: each brand's users get last month's report of their brand, with the PDF attached.

**When and to whom.** Beat runs ``report_mails_monthly`` every ``RESULTS_REPORT_MAIL_TICK_SECONDS``. From the 1st
of a month at ``RESULTS_REPORT_MAIL_HOUR`` in each person's own time zone (China time unless they chose another),
every active brand user gets, for each brand they are a member of, the report of the month before — if that brand
had results in it (figures, or scans of its codes). A brand without results gets no mail: a monthly mail that says
"nothing this month" teaches people to stop reading the one that matters, and a brand's results usually arrive
with its first campaign. Until ``RESULTS_REPORT_MAIL_DAYS`` after the 1st the run keeps looking, so a beat that
was down on the 1st, or a brand whose figures were imported on the 3rd, still gets its mail then.

**Once.** Each mail is a notification keyed ``monthly-report:<brand>:<YYYY-MM>`` for its recipient (unique per
person and key): a run repeated, or two runs at once, write nothing twice; the run also skips anyone who already
had that month's report sent by hand.

**Through the notifications.** A new kind (``monthly_report``) rather than an outbox of its own: notifications
already are written in the transaction, mailed after the commit, swept a minute later when the broker was down,
retried with backoff when the mail server refuses, rendered per recipient in their language and time zone, and
shown on the notifications page. What they lacked is given by hooks filled in ``ResultsConfig.ready()``: the
mail's figures (``mail_context``) and its attachment (``mail_attachments``). The PDF is made when the mail is
sent, in the recipient's language, from the figures of that moment; a recipient no longer a member of the brand
by then gets no mail (``MailWithdrawn``).

**By hand.** Managers send a month's report again from the console (``report_mail_send``), e.g. after a late
import: every user of the brand gets it, marked as an update for those who had it already. The form's token makes
the send idempotent: the same form posted twice sends once.
"""

import datetime
import logging
import re
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brands.models import Brand, BrandMembership
from campaigns.notifications.models import Notification
from campaigns.notifications.render import MailWithdrawn, recipient_zone
from campaigns.notifications.services import notifications_write

from . import selectors
from .reports import (
    CHINA,
    FIGURES,
    change,
    figure,
    figure_label,
    integer,
    month_bounds,
    month_has_results,
    month_name,
    month_report,
    report_pdf,
    scan_rows,
)

logger = logging.getLogger(__name__)
KIND = Notification.Kind.MONTHLY_REPORT
LANGUAGE_FIELDS = ("it", "en", "zh_hans")
TOKEN = re.compile(r"^[0-9a-f]{32}$")
KEPT = ("facts", "followers_total", "followers_gained", "impressions", "interactions", "viewers", "clicks",
        "items_sold", "gmv_cny")  # fmt: skip


def month_key(brand_id: int, month: datetime.date) -> str:
    return f"monthly-report:{brand_id}:{month:%Y-%m}"


def previous_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def recipients(brand) -> list:
    """The brand's active brand users (agency staff read every brand on the hub and get no brand mails)."""
    User = get_user_model()
    memberships = BrandMembership.objects.filter(brand=brand, user__role=User.Role.BRAND, user__is_active=True)
    return [m.user for m in memberships.select_related("user").order_by("user_id")]


def _snapshot(totals: selectors.Totals) -> dict:
    return {name: str(getattr(totals, name)) if name == "gmv_cny" else getattr(totals, name) for name in KEPT}


def _totals(values: dict) -> selectors.Totals:
    return selectors.Totals(**{k: Decimal(v) if k == "gmv_cny" else v for k, v in values.items() if k in KEPT})


def report_params(brand, month: datetime.date) -> dict:
    """What the mail says, kept with the notification: the brand's names, the month, its headline figures and the
    month before's (the PDF itself is made when the mail is sent)."""
    start, end = month_bounds(month.year, month.month)
    before = previous_month(start)
    scans = sum(group["scans"] for group in scan_rows(brand, start=start, end=end))
    return {
        "brand": brand.pk,
        "brands": [{code: getattr(brand, f"name_{code}", "") or "" for code in LANGUAGE_FIELDS}],
        "month": start.isoformat(),
        "figures": _snapshot(selectors.period_totals([brand.pk], start, end)),
        "before": _snapshot(selectors.period_totals([brand.pk], before, start - datetime.timedelta(days=1))),
        "scans": scans,
    }


def _notification(user, brand, month: datetime.date, params: dict, *, key: str, update: bool) -> Notification:
    url = reverse("results:report_month", kwargs={"slug": brand.slug, "year": month.year, "month": month.month})
    return Notification(recipient=user, kind=KIND, key=key, url=url, params={**params, "update": update})


def _due(user, month_start: datetime.date, now: datetime.datetime) -> bool:
    """From the 1st at the mail hour in the person's own time zone, for ``RESULTS_REPORT_MAIL_DAYS`` days."""
    due = datetime.datetime.combine(month_start, datetime.time(settings.RESULTS_REPORT_MAIL_HOUR), recipient_zone(user))
    return due <= now < due + datetime.timedelta(days=settings.RESULTS_REPORT_MAIL_DAYS)


def report_mails_monthly(*, now: datetime.datetime | None = None) -> dict:
    """Last month's report to every brand user whose mail hour has come and who has not had it (see the module)."""
    now = now or timezone.now()
    today = timezone.localtime(now, CHINA).date()
    outcome = {"brands": 0, "mails": 0, "without_results": 0}
    if today.day > settings.RESULTS_REPORT_MAIL_DAYS + 1:
        return outcome  # outside the window: no query at all
    month_start = today.replace(day=1)
    month = previous_month(month_start)
    User = get_user_model()
    memberships = (
        BrandMembership.objects.filter(
            user__role=User.Role.BRAND, user__is_active=True, brand__archived_at__isnull=True
        )
        .select_related("user", "brand")
        .order_by("brand_id", "user_id")
    )
    done = set(
        Notification.objects.filter(
            kind=KIND, key__startswith="monthly-report:", key__contains=f":{month:%Y-%m}"
        ).values_list("recipient_id", "key")
    )
    sent = {(recipient, key.split(":")[1]) for recipient, key in done}  # (person, brand id as text)
    waiting = defaultdict(list)
    brands = {}
    for membership in memberships:
        if (membership.user_id, str(membership.brand_id)) in sent or not _due(membership.user, month_start, now):
            continue
        waiting[membership.brand_id].append(membership.user)
        brands[membership.brand_id] = membership.brand
    for brand_id, users in waiting.items():
        brand = brands[brand_id]
        if not month_has_results(brand, month.year, month.month):
            outcome["without_results"] += 1
            continue
        params = report_params(brand, month)
        key = month_key(brand_id, month)
        try:
            with transaction.atomic():
                written = notifications_write(
                    [_notification(user, brand, month, params, key=key, update=False) for user in users]
                )
        except IntegrityError:
            # Another run wrote this brand's mails between our read and our write: they are there, once.
            logger.info("report mails: %s's for %s were written by another run", brand.slug, month)
            continue
        outcome["brands"] += 1
        outcome["mails"] += len(written)
    if outcome["mails"]:
        logger.info(
            "report mails for %s: %s mails to the users of %s brands", month, outcome["mails"], outcome["brands"]
        )
    return outcome


def report_mail_send(*, brand, year: int, month: int, actor, token: str) -> list[Notification]:
    """A manager sends a month's report (again) to every user of the brand. Refused when the brand has no results
    in the month or no one to send it to; the same ``token`` (one per form) sends once."""
    if not TOKEN.match(token or ""):
        raise ValidationError(_("This form has expired: open the page again."), code="bad_token")
    start = datetime.date(year, month, 1)
    values = {"brand": brand.name, "month": month_name(start)}
    if not month_has_results(brand, year, month):
        raise ValidationError(
            _("%(brand)s has no results in %(month)s: there is no report to send."), code="no_results", params=values
        )
    users = recipients(brand)
    if not users:
        raise ValidationError(_("%(brand)s has no users to send the report to."), code="no_recipients", params=values)
    base = month_key(brand.pk, start)
    had = set(
        Notification.objects.filter(kind=KIND, recipient__in=users)
        .filter(Q(key=base) | Q(key__startswith=f"{base}:"))
        .values_list("recipient_id", flat=True)
    )
    params = {**report_params(brand, start), "by": actor.get_full_name() or actor.get_username()}
    try:
        with transaction.atomic():
            written = notifications_write(
                [_notification(u, brand, start, params, key=f"{base}:{token}", update=u.pk in had) for u in users]
            )
    except IntegrityError:
        raise ValidationError(_("This report was just sent: it is not sent twice."), code="already_sent") from None
    logger.info("report mails: %s sent %s's report for %s to %s people", actor, brand.slug, start, len(written))
    return written


def report_mail_log(limit: int = 100) -> list[Notification]:
    """The latest report mails, for the managers' page (one query)."""
    return list(
        Notification.objects.filter(kind=KIND).select_related("recipient").order_by("-created_at", "-pk")[:limit]
    )


# --- the notification's parts (hooks of ``campaigns.notifications.render``) -----------------------------------------


def mail_context(notification: Notification) -> dict:
    """The month, its headline figures and their change, written in the active language (the recipient's)."""
    params = notification.params
    month = datetime.date.fromisoformat(params["month"])
    this, before = _totals(params["figures"]), _totals(params["before"])
    rows = []
    for name in FIGURES:
        text, _trend = change(name, this, before)
        rows.append({"label": figure_label(name), "value": figure(name, this), "change": text})
    return {
        "month": month_name(month),
        "before_month": month_name(previous_month(month)),
        "figures": rows,
        "scans": integer(params.get("scans") or 0) if params.get("scans") else "",
        "update": bool(params.get("update")),
    }


def mail_attachments(notification: Notification) -> list[tuple[str, bytes, str]]:
    """The month's PDF report in the recipient's language, made now; none (and no mail) for someone who is no
    longer a user of the brand."""
    params = notification.params
    user = notification.recipient
    brand = Brand.objects.filter(pk=params.get("brand")).first()
    if brand is None or not BrandMembership.objects.filter(user=user, brand=brand).exists():
        raise MailWithdrawn("no longer a user of the brand")
    month = datetime.date.fromisoformat(params["month"])
    report = month_report(brand, month.year, month.month)
    return [(report.filename, report_pdf(report), "application/pdf")]
