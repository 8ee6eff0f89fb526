from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def festival_name(spec) -> str:
    """A festival occurrence's name in the page's language (Chinese pages show the Chinese name)."""
    language = get_language() or "en"
    if language.startswith("zh"):
        return spec.name_zh or spec.name_en
    if language == "it":
        return spec.name_it or spec.name_en
    return spec.name_en or spec.name_it


@register.filter
def year_month(value) -> str:
    """A month heading in the locale's own form: 2027年11月, novembre 2027 (``brandhub/formats/it``), November 2027."""
    from django.utils import formats

    return formats.date_format(value, "YEAR_MONTH_FORMAT")


@register.filter
def day_label(value) -> str:
    """A day in the locale's own form, weekday first (``campaigns.planner.day_label``)."""
    from campaigns.planner import day_label as label

    return label(value)


@register.simple_tag(takes_context=True)
def day_cell(context, day):
    """A month view's day cell, written by the page's ``planner.CellRenderer`` (``cal.render``)."""
    return context["cal"].render.day_cell(day, context["today"], context.get("querystring", ""))


@register.filter
def campaign_items(campaigns):
    """The list items of a calendar page's campaigns (``campaigns.planner.campaign_items``)."""
    from campaigns.planner import campaign_items as items

    return items(campaigns)


@register.filter
def duration(value) -> str:
    """A timedelta as people say it, in the active language: "3 d 4 h", "2 h 5 min", "40 s"."""
    import datetime

    from django.utils.translation import gettext

    if not isinstance(value, datetime.timedelta):
        return ""
    seconds = max(int(value.total_seconds()), 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return gettext("%(d)s d %(h)s h") % {"d": days, "h": hours}
    if hours:
        return gettext("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
    if minutes:
        return gettext("%(m)s min") % {"m": minutes}
    return gettext("%(s)s s") % {"s": seconds}


@register.simple_tag(takes_context=True)
def calendar_feed_address(context):
    """The signed-in person's calendar feed address (``https`` and ``webcal``), or None before they make one."""
    from django.urls import reverse

    from campaigns.models import CalendarFeed

    request = context["request"]
    feed = CalendarFeed.objects.filter(user=request.user).only("token").first()
    if feed is None:
        return None
    url = request.build_absolute_uri(reverse("campaigns:calendar_feed", kwargs={"token": feed.token}))
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1], "created_at": feed.created_at}
