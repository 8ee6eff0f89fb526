"""A notification as words: its subject and message in the active language and time zone, and its mail.

Every kind has two templates, ``notifications/messages/<kind>_subject.txt`` and ``<kind>.txt``, written with
``{% translate %}`` / ``{% blocktranslate %}`` so the words come from the catalogues (en, it, zh-hans). The page
renders them in the reader's language of the request; the mail wraps them in ``notifications/email.txt`` in the
recipient's saved language and time zone. The parameters hold texts as the objects hold them per language, and
``pick`` chooses the reader's.
"""

import contextlib
import datetime
import re
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language

from campaigns.choices import Channel, ContentStatus

from .models import Notification

# Which stored text a reader of each language gets first (an item may exist in Chinese only).
ORDER = {"it": ("it", "en", "zh_hans"), "zh-hans": ("zh_hans", "en", "it")}
DEFAULT_ORDER = ("en", "it", "zh_hans")


# Other apps' kinds (the monthly report of ``results``), filled in their ``AppConfig.ready()``: notifications never
# import them. ``CONTEXTS[kind](notification)`` adds to the templates' context, ``ATTACHMENTS[kind](notification)``
# gives the mail's attachments as (file name, content, MIME type); both run in the reader's language and time zone.
CONTEXTS: dict = {}
ATTACHMENTS: dict = {}


class MailWithdrawn(Exception):
    """Raised by an attachment hook when the mail must not go out any more (what it would attach is no longer the
    recipient's to read): the notification stays on the page, marked as not mailed."""


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str


def pick(texts) -> str:
    """The text in the active language from ``{"it": …, "en": …, "zh_hans": …}``, else the first one written."""
    if not texts:
        return ""
    if isinstance(texts, str):
        return texts
    for code in ORDER.get(get_language() or settings.LANGUAGE_CODE, DEFAULT_ORDER):
        if texts.get(code):
            return texts[code]
    return ""


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else (value or "")


def _moment(value):
    return datetime.datetime.fromisoformat(value) if value else None


def _day(value):
    return datetime.date.fromisoformat(value) if value else None


def absolute(path: str) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}" if path and path.startswith("/") else path


def _item(params: dict) -> dict:
    """An item snapshot (``services.item_params``) in the active language."""
    return {
        "title": pick(params.get("title")),
        "channel": _label(Channel, params.get("channel")),
        "status": _label(ContentStatus, params.get("status")),
        "campaign": params.get("campaign", ""),
        "festival": pick(params.get("festival")),
        "scheduled_at": _moment(params.get("scheduled_at")),
        "due_on": _day(params.get("due_on")),
        "link": absolute(params.get("url", "")),
    }


def _brands(params: dict) -> str:
    return ", ".join(pick(names) for names in params.get("brands", []))


def _context(notification: Notification) -> dict:
    params = notification.params
    context = {"params": params, "brands": _brands(params)}
    if "item" in params:
        context["item"] = _item(params["item"])
    if notification.kind == Notification.Kind.DIGEST:
        context["items"] = [_item(p) for p in params.get("items", [])]
        context["count"] = len(context["items"]) + params.get("more", 0)
        context["more"] = params.get("more", 0)
        context["days"] = params.get("days")
        context["todo"] = absolute(notification.url)
    if notification.kind == Notification.Kind.CONTENT_PUBLISHED:
        context["published_at"] = _moment(params.get("published_at"))
        context["live_url"] = params.get("live_url", "")
    if "due_at" in params:
        context["due_at"] = _moment(params["due_at"])
    if "pack" in params:
        pack = params["pack"]
        names = dict(settings.LANGUAGES)
        codes = {"it": "it", "en": "en", "zh_hans": "zh-hans"}
        context["pack"] = {
            "url": absolute(pack["url"]),
            "texts": [
                {**t, "language": str(names.get(codes.get(t["language"]), t["language"]))} for t in pack["texts"]
            ],
            "creatives": pack["creatives"],
            "links": pack["links"],
        }
    if "late_seconds" in params:
        context["late"] = datetime.timedelta(seconds=params["late_seconds"])
    if notification.kind in (Notification.Kind.PROPOSAL_SUBMITTED, Notification.Kind.PROPOSAL_DECIDED):
        context["brand"] = pick(params.get("brand"))
    context["reason"] = params.get("reason", "")
    context["desk"] = absolute(reverse("publishing:desk"))
    if notification.kind in CONTEXTS:
        context.update(CONTEXTS[notification.kind](notification))
    return context


def _tidy(text: str) -> str:
    """Plain text from a template: no trailing spaces, at most one empty line in a row."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def render(notification: Notification) -> Rendered:
    """Subject and message in the active language and time zone."""
    context = _context(notification)
    subject = render_to_string(f"notifications/messages/{notification.kind}_subject.txt", context)
    text = render_to_string(f"notifications/messages/{notification.kind}.txt", context)
    # Plain strings (not marked safe): the page escapes them like any other text.
    return Rendered(subject=" ".join(subject.split()), text=_tidy(text))


def recipient_language(user) -> str:
    """The language a person reads their mail in: the one saved in their settings, else the site's."""
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def recipient_zone(user) -> zoneinfo.ZoneInfo:
    """Their own time zone (China time unless they chose another, as on the pages)."""
    try:
        return zoneinfo.ZoneInfo(getattr(user, "timezone", "") or settings.STAFF_TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.STAFF_TIME_ZONE)


@contextlib.contextmanager
def as_recipient(user):
    """Language and time zone of ``user`` for what is rendered inside."""
    with translation.override(recipient_language(user)), timezone.override(recipient_zone(user)):
        yield


def email_for(notification: Notification) -> EmailMessage:
    """The mail of a notification, in its recipient's language and time zone (with its kind's attachments)."""
    user = notification.recipient
    with as_recipient(user):
        rendered = render(notification)
        zone = recipient_zone(user).key
        zone_label = _label(type(user).TimeZone, zone) if hasattr(type(user), "TimeZone") else zone
        body = render_to_string(
            "notifications/email.txt",
            {
                "name": user.get_full_name() or user.get_username(),
                "message": rendered.text,
                "link": absolute(notification.url),
                "page": absolute(reverse("notifications:notification_list")),
                "zone": zone_label,
            },
        )
        language = translation.get_language()
        attach = ATTACHMENTS.get(notification.kind)
        attachments = attach(notification) if attach else []
    return EmailMessage(
        subject=rendered.subject,
        body=_tidy(body) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
        attachments=attachments,
    )
