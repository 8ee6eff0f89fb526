"""Reads behind the KOL, booking and livestream pages, and the hooks other apps fill to add to them.

The results app adds each booking's results and each session's figures; the tracking app resolves the codes a run
sheet shows on screen. ``campaigns`` never imports them: they register functions here from their
``AppConfig.ready()`` (like ``selectors.CALENDAR_SOURCES`` and ``CAMPAIGN_PANELS``).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from brands.models import Brand, Product

from .models import ContentItem, Kol, KolAccount, KolBooking, LivestreamSession, RunSheetStep, SessionHost
from .selectors import ItemColumn, Panel

# --- hooks ------------------------------------------------------------------------------------------------------------

# Functions ``(user, bookings) -> ItemColumn | None`` (cells keyed by booking id): the results app adds each booking's
# results (and, for staff, its costs per result) to the KOL page and the bookings list.
BOOKING_COLUMNS: list = []
# Functions ``(user, sessions) -> ItemColumn | None`` (cells keyed by session id): the sessions list's figures.
LIVESTREAM_COLUMNS: list = []
# Functions ``(user, session) -> Panel | None``: the session page's results (the results app).
LIVESTREAM_PANELS: list = []


@dataclass(frozen=True)
class ScreenCode:
    """A tracked link a run sheet can show on screen: its code, its label, the address its QR code holds, and a
    function drawing that QR code as PNG at a size in centimetres (for the page's image and the PDF)."""

    code: str
    label: str
    url: str
    png: Callable[[float], bytes] = field(compare=False)


# Functions ``(user, session) -> iterable of ScreenCode``: the codes the user may see that a session's run sheet may
# show (the tracking app: the links of the session's campaign and of its events).
SCREEN_CODES: list = []


def booking_columns(user, bookings) -> list[ItemColumn]:
    return [column for hook in BOOKING_COLUMNS if (column := hook(user, bookings)) is not None]


def livestream_columns(user, sessions) -> list[ItemColumn]:
    return [column for hook in LIVESTREAM_COLUMNS if (column := hook(user, sessions)) is not None]


def livestream_panels(user, session) -> list[Panel]:
    return [panel for hook in LIVESTREAM_PANELS if (panel := hook(user, session)) is not None]


def screen_codes(user, session) -> dict[str, ScreenCode]:
    found = {}
    for hook in SCREEN_CODES:
        for code in hook(user, session):
            found.setdefault(code.code, code)
    return found


# --- KOLs -------------------------------------------------------------------------------------------------------------


def kol_list(queryset):
    """KOLs with their accounts (for the platform chips and counts): two queries whatever the page size."""
    return queryset.prefetch_related(Prefetch("accounts", queryset=KolAccount.objects.order_by("platform")))


def kol_bookings(kol: Kol):
    """A KOL's bookings, newest first, with their campaign and items (one query each)."""
    return (
        kol.bookings.select_related("campaign")
        .prefetch_related(Prefetch("items", queryset=ContentItem.objects.order_by("scheduled_at", "pk")))
        .order_by("-starts_on", "-pk")
    )


def bookings_for(user, queryset=None):
    """The bookings a reader may see, with their KOL, campaign and the items the reader may see."""
    queryset = queryset if queryset is not None else KolBooking.objects.all()
    items = ContentItem.objects.visible_to(user).order_by("scheduled_at", "pk")
    return (
        queryset.filter(pk__in=KolBooking.objects.visible_to(user).values("pk"))
        .select_related("kol", "campaign")
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("-starts_on", "-pk")
    )


def unmatched_items():
    """Content items whose KOL was typed before KOLs were records and could not be matched (``0010_kol_links``)."""
    return ContentItem.objects.exclude(kol_text="").filter(kol__isnull=True).select_related("campaign")


# --- livestream sessions ----------------------------------------------------------------------------------------------


def _reader_brands(user):
    return Brand.objects.visible_to(user)


def sessions_for(user):
    """The sessions a reader may see, with their item, campaign and KOL hosts: a fixed number of queries."""
    return (
        LivestreamSession.objects.visible_to(user)
        .select_related("item__campaign")
        .prefetch_related(
            Prefetch("item__brands", queryset=_reader_brands(user).order_by("name_it")),
            Prefetch("hosts", queryset=SessionHost.objects.select_related("kol").order_by("position", "pk")),
        )
        .order_by("-item__scheduled_at", "-pk")
    )


def session_for_page(user, pk):
    """A session page's session, its brands and products limited to the reader's (a shared session shows a brand
    user their own part), its hosts and run sheet steps prefetched."""
    brands = _reader_brands(user)
    return (
        LivestreamSession.objects.visible_to(user)
        .select_related("item__campaign__festival", "item__kol")
        .prefetch_related(
            Prefetch("item__brands", queryset=brands.order_by("name_it")),
            Prefetch("products", queryset=Product.objects.filter(brand__in=brands).select_related("brand")),
            Prefetch("hosts", queryset=SessionHost.objects.select_related("kol", "brand").order_by("position", "pk")),
            Prefetch(
                "steps", queryset=RunSheetStep.objects.select_related("product__brand").order_by("position", "pk")
            ),
        )
        .filter(pk=pk)
        .first()
    )


def visible_hosts(user, session) -> list[SessionHost]:
    """The hosts a reader sees: KOLs and the agency's own for everyone, a brand's own people for that brand's readers
    and staff (another brand's people are that brand's part)."""
    if user.is_agency_staff:
        return list(session.hosts.all())
    mine = set(_reader_brands(user).values_list("pk", flat=True))
    return [host for host in session.hosts.all() if host.brand_id is None or host.brand_id in mine]


@dataclass
class Slot:
    """A run sheet step with its time slot in China time."""

    step: RunSheetStep
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    offset: int  # minutes from the session's start

    @property
    def past_the_end(self) -> bool:
        return self.ends_at > self.step.session.ends_at


def run_sheet(user, session) -> list[Slot]:
    """The run sheet's steps with their time slots (each starts when the steps before it have run). A brand user gets
    the steps of their own products and the session's general steps (opening, lucky draw), at their true times."""
    mine = None if user.is_agency_staff else set(_reader_brands(user).values_list("pk", flat=True))
    slots, offset = [], 0
    for step in session.steps.all():
        step.session = session
        start = session.starts_at + datetime.timedelta(minutes=offset)
        slot = Slot(step, start, start + datetime.timedelta(minutes=step.minutes), offset)
        offset += step.minutes
        if mine is not None and step.product_id is not None and step.product.brand_id not in mine:
            continue
        slots.append(slot)
    return slots


def run_sheet_minutes(session) -> int:
    return sum(step.minutes for step in session.steps.all())


def is_past(session) -> bool:
    return session.starts_at <= timezone.now()
