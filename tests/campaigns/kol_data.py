"""KOL and livestream test data, built through the services (used by the campaigns, results, permission-table and
browser tests)."""

import datetime
import zoneinfo
from decimal import Decimal

from campaigns.kols import booking_save, kol_followers_record, kol_save
from campaigns.livestreams import livestream_save, run_sheet_save
from campaigns.models import ContentItem

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
ZH_BODY = "意大利酒庄连线直播，专享优惠。"


def make_kol(user, *, name="Lily", name_zh="意式生活家Lily", accounts=(("red", "lily_in_italy", 400_000),), **fields):
    """A KOL with accounts (platform, handle, followers today)."""
    rows = [{"platform": p, "handle": h, "profile_url": "", "followers": f} for p, h, f in accounts]
    return kol_save(user=user, name=name, name_zh=name_zh, accounts=rows, **fields)


def record(user, kol, platform, day, followers):
    return kol_followers_record(user=user, account=kol.accounts.get(platform=platform), day=day, followers=followers)


def make_session(
    *,
    user,
    campaign,
    brands,
    products=(),
    when=None,
    hosts=None,
    title="双十一意大利之夜直播",
    platform="taobao_live",
    duration=120,
):
    """A livestream session (its item a draft with a Chinese title and text) featuring ``products``."""
    return livestream_save(
        user=user,
        campaign=campaign,
        brands=list(brands),
        products=list(products),
        hosts=hosts if hosts is not None else [],
        session={"platform": platform, "duration_minutes": duration},
        title_zh_hans=title,
        body_zh_hans=ZH_BODY,
        scheduled_at=when or datetime.datetime(2026, 11, 10, 20, tzinfo=CHINA),
    )


def steps(*rows):
    """Run sheet steps: (minutes, product or title, offer)."""
    result = []
    for minutes, what, *rest in rows:
        step = {"minutes": minutes, "offer": rest[0] if rest else ""}
        if isinstance(what, str):
            step["title"] = what
        else:
            step["product"] = what
            step["talking_points_zh"] = f"{what.name_zh_hans}：意大利原产。"
            step["talking_points_it"] = f"{what.name_it}: prodotto in Italia."
        result.append(step)
    return result


def make_run_sheet(user, session, rows):
    return run_sheet_save(user=user, session=session, steps=steps(*rows))


def book(user, kol, campaign, items=(), fee="30000", status="confirmed", **fields):
    fields.setdefault("starts_on", campaign.starts_on)
    fields.setdefault("ends_on", campaign.ends_on)
    return booking_save(
        user=user,
        kol=kol,
        campaign=campaign,
        items=list(items),
        fee_cny=Decimal(fee),
        deliverables=fields.pop("deliverables", "一场直播"),
        status=status,
        **fields,
    )


def published(item, *, editor, manager):
    """Walk a draft through review and publishing (the system's publish step) as the workflow does."""
    from campaigns import workflow

    item = workflow.transition(item=item, user=editor, action="submit")
    item = workflow.transition(item=item, user=manager, action="approve")
    past = item.scheduled_at - datetime.timedelta(days=1)
    item = workflow.transition(item=item, user=editor, action="schedule", accept_warnings=True, now=past)
    workflow.transition(item=item, user=None, action="publish", system=True)
    return ContentItem.objects.get(pk=item.pk)
