"""The codes a livestream's run sheet shows on screen (``campaigns.kol_selectors.SCREEN_CODES``): the tracked links of
the session's campaign and of that campaign's events, as the reader may see them, with their QR code drawn on demand.
"""

from functools import partial

from django.db.models import Q

from campaigns.kol_selectors import ScreenCode

from .models import TrackedLink
from .qr import qr_png

SCREEN_DPI = 200  # a code on a phone or a printed A4 sheet: sharp at 2.5 cm without a heavy image


def _png(url: str, size_cm: float) -> bytes:
    return qr_png(url, size_cm=size_cm, dpi=SCREEN_DPI)


def screen_codes(user, session):
    campaign_id = session.item.campaign_id
    links = (
        TrackedLink.objects.visible_to(user)
        .filter(Q(campaign_id=campaign_id) | Q(event__campaign_id=campaign_id))
        .exclude(status=TrackedLink.Status.ARCHIVED)
        .order_by("label", "pk")
    )
    for link in links:
        url = link.tracked_url("qr")
        yield ScreenCode(code=link.code, label=link.label, url=url, png=partial(_png, url))
