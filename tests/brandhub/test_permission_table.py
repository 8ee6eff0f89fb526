"""Every named URL × every kind of user → the status they get, on two brands sharing one campaign.

The table is checked against the URL conf: a URL that is not in it fails ``test_every_url_has_a_rule``,
so every new page must say who may open it. Brand users' pages are also searched for the other brand's
names and items, so a page that answers 200 cannot leak what the queryset rules keep out.

Codes: ``LOGIN`` is a redirect to the login page; 302 any other redirect (a POST that worked).
"""

import dataclasses
import datetime
import uuid
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from brandhub.services import apikey_create
from brands.models import CompletenessRule, ImportBatch
from campaigns.feeds import calendar_feed_reset
from campaigns.models import CreativeSize, Festival
from campaigns.services import campaign_save, content_save, content_transition
from tests.campaigns.conftest import add_creative
from tests.factories import BrandFactory, EditorFactory, ManagerFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
LOGIN = "login"
ROLES = ("anonymous", "viewer", "brand_editor", "other_brand_user", "editor", "manager")
BRAND_USERS = ("viewer", "brand_editor", "other_brand_user")


# --- the world: two brands, a campaign they share, one of their own each ---------------------------


@dataclass
class World:
    users: dict
    a: object
    b: object
    shared: object
    b_only: object
    a_item: object
    b_item: object
    a_draft: object
    creative: object
    membership: object
    tracking: object  # events and links: see ``_build_tracking``
    size: object  # a creative size of the items' channel (the go-live pack cuts creatives to it)
    api_key: object
    rule: object
    batch: object
    results: object = None  # facts, a source and an import: see ``_results``
    secrets: dict = field(default_factory=dict)  # what each brand's users must never read, by role
    webhook: object = None
    delivery: object = None
    media: object = None
    proposals: object = None  # proposed changes to A's and B's profiles: see ``_proposals``
    kols: object = None  # a KOL, bookings, a livestream session shared by A and B with results: see ``_kols``


def _item(campaign, author, brands, title, approver=None, creative=False):
    item = content_save(
        user=author,
        campaign=campaign,
        channel="kol_post",
        scheduled_at=datetime.datetime(2027, 8, 1, 20, 0, tzinfo=CHINA),
        brands=brands,
        title_zh_hans=title,
        body_zh_hans=f"{title}的文字",
    )
    if creative:
        add_creative(item, user=author)
    if approver:
        item = content_transition(item=item, user=author, action="submit", comment="请审核：内部评论")
        item = content_transition(item=item, user=approver, action="approve")
    return item


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction rolled back at the end; each test runs in a savepoint
    of it, so a POST that changes something is undone before the next one (like ``setUpTestData``)."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        with override_settings(MEDIA_ROOT=media):
            built = _build_world()
        built.media = media
        yield built
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def world_media(media_root, settings, world):
    """The world's files for this test; given back before ``media_root`` empties the test's own folder."""
    settings.MEDIA_ROOT = world.media
    yield
    settings.MEDIA_ROOT = media_root


def _build_world():
    a = BrandFactory(
        slug="frantoio-aurelio",
        name_it="Frantoio Aurelio",
        name_zh_hans="奥雷利奥榨油坊",
        stores=[{"platform": "tmall_global", "url": "https://frantoio-aurelio-official-flagship.tmall.hk/shop/view"}],
        products=[
            {
                "code": "FA-EVO-500",
                "name_it": "Olio extravergine",
                "name_zh_hans": "托斯卡纳冷榨特级初榨橄榄油礼盒装",
                "price_cny": "268",
            }
        ],
    )
    b = BrandFactory(slug="maglificio-bertazzi", name_it="Maglificio Bertazzi", name_zh_hans="贝尔塔齐针织")
    editor, manager = EditorFactory(username="editor"), ManagerFactory(username="manager")
    approver = ManagerFactory(username="approver")
    users = {
        "anonymous": None,
        "viewer": UserFactory(username="viewer"),
        "brand_editor": UserFactory(username="brand-editor"),
        "other_brand_user": UserFactory(username="other-brand-user"),
        "editor": editor,
        "manager": manager,
    }
    membership = MembershipFactory(user=users["viewer"], brand=a)
    MembershipFactory(user=users["brand_editor"], brand=a, role="editor")
    MembershipFactory(user=users["other_brand_user"], brand=b)
    qixi = Festival.objects.get(key="qixi")
    shared = campaign_save(
        user=manager, title="Qixi 2027 together", festival=qixi, festival_year=2027, brands=[a, b], budget_cny=88888
    )
    b_only = campaign_save(user=manager, title="Bertazzi solo knitwear", festival=qixi, festival_year=2027, brands=[b])
    a_item = _item(shared, editor, [a], "奥雷利奥七夕油", approver, creative=True)
    b_item = _item(shared, editor, [b], "贝尔塔齐七夕毛衣", approver)
    a_draft = _item(shared, editor, [a], "奥雷利奥草稿未审")
    _item(b_only, editor, [b], "贝尔塔齐独家", approver)
    creative = a_item.creatives.get()
    api_key, _key = apikey_create(actor=manager, name="Tmall", scopes=["brands:read"], brands=[], expires_at=None)
    rule = CompletenessRule.objects.first()
    batch = ImportBatch.objects.create(file_name="brands.csv", created_by=editor)
    tracking = _build_tracking(manager, a, b, shared)
    _scans(tracking)
    size = CreativeSize.objects.create(channel="kol_post", name="KOL cover", width=600, height=800)
    proposals = _proposals(a, b, users, manager)
    webhook, delivery = _webhook(manager, a)
    _notifications(a_draft)
    results = _results(editor, a, b, shared, a_item, b_item)
    kols = _kols(editor, manager, approver, a, b, shared, b_only, tracking)
    b_secrets = ["Maglificio Bertazzi", "贝尔塔齐", "maglificio-bertazzi", "Bertazzi solo", *B_FIGURES]
    internal = ["88888", "88,888", "88.888", "请审核", "草稿未审", *KOL_FEES]
    return World(
        users=users,
        a=a,
        b=b,
        shared=shared,
        b_only=b_only,
        a_item=a_item,
        b_item=b_item,
        a_draft=a_draft,
        creative=creative,
        membership=membership,
        tracking=tracking,
        size=size,
        api_key=api_key,
        rule=rule,
        batch=batch,
        secrets={
            "viewer": b_secrets + internal,
            "brand_editor": b_secrets + internal,
            "other_brand_user": ["Frantoio Aurelio", "奥雷利奥", "frantoio-aurelio", *A_FIGURES, *internal],
        },
        webhook=webhook,
        delivery=delivery,
        results=results,
        proposals=proposals,
        kols=kols,
    )


# Figures only one brand has, written as pages may write them: another brand's user must never read them.
A_FIGURES = ["3131313", "3,131,313", "3.131.313"]
B_FIGURES = ["4242424", "4,242,424", "4.242.424"]


def _results(editor, a, b, shared, a_item, b_item):
    """Results of both brands on the shared campaign (item and account facts) and a file import by the editor."""
    from types import SimpleNamespace

    from campaigns.results.facts import FactRow
    from campaigns.results.models import MetricFact, MetricImport, MetricSource
    from campaigns.results.services import MANUAL_SOURCE, fact_enter, facts_upsert, source_for

    source = source_for(MetricSource.Kind.FILE, "Tmall Brand Hub export")
    day = datetime.date(2027, 8, 2)
    rows = [
        FactRow("a-item", day, "kol_post", a.pk, shared.pk, a_item.pk, figures={"impressions": 3131313, "clicks": 31}),
        FactRow("b-item", day, "kol_post", b.pk, shared.pk, b_item.pk, figures={"impressions": 4242424, "clicks": 42}),
        FactRow("a-account", day, "tmall_article", a.pk, figures={"followers_total": 70_001, "followers_gained": 13}),
        FactRow("b-account", day, "tmall_article", b.pk, figures={"followers_total": 80_002, "followers_gained": 24}),
    ]
    run = MetricImport.objects.create(
        source=source,
        file_name="tmall-august.csv",
        file_format="csv",
        status=MetricImport.Status.DONE,
        created_by=editor,
    )
    facts_upsert(source=source, rows=rows, run=run, user=editor)
    # A figure typed in by hand (it can be deleted: staff only).
    fact_enter(user=editor, row=FactRow("", datetime.date(2027, 8, 3), "livestream", a.pk, figures={"viewers": 17}))
    manual = MetricFact.objects.get(source__name=MANUAL_SOURCE)
    return SimpleNamespace(source=source, run=run, manual=manual, **_imports(editor))


# KOL fees are the agency's contract with the KOL: no brand user reads them.
KOL_FEES = ["66666", "66,666", "66.666", "55555", "55,555", "55.555"]


def _kols(editor, manager, approver, a, b, shared, b_only, tracking):
    """A KOL with a follower count; a livestream session on the shared campaign featuring A's and B's products, with
    its hosts (the KOL, and a person of each brand), a run sheet showing each brand's code on screen and the session's
    results (A's sales are A's figures, B's are B's; the viewers are the session's, for both); a session of B alone;
    bookings: the shared session (confirmed), B's campaign (paid), a proposal (staff only). A sale of a product taken
    out of the registry since (its product empty) and a step that is no product (the opening) fill the empty
    relations."""
    from types import SimpleNamespace

    from campaigns.kols import booking_save, kol_save
    from campaigns.livestreams import livestream_save, run_sheet_save
    from campaigns.models import ContentItem
    from campaigns.results.livestreams import _session_sale, session_source, write_session_facts
    from campaigns.results.models import LivestreamResult

    kol = kol_save(
        user=manager,
        name="Lily",
        name_zh="意式生活家Lily",
        accounts=[{"platform": "red", "handle": "lily_in_italy", "profile_url": "", "followers": 402_000}],
    )
    a_product, b_product = a.products.get(code="FA-EVO-500"), b.products.get(code="MB-KNIT-01")
    gone = a.products.create(code="FA-OLD-1", name_it="Olio vecchio", name_zh_hans="奥雷利奥旧款")

    def session(campaign, brands, products, hosts, title):
        made = livestream_save(user=editor, campaign=campaign, brands=brands, products=products, hosts=hosts,
                               session={"platform": "taobao_live", "duration_minutes": 120}, title_zh_hans=title,
                               body_zh_hans=f"{title}的文字",
                               scheduled_at=datetime.datetime(2027, 8, 1, 20, 0, tzinfo=CHINA))  # fmt: skip
        item = content_transition(item=made.item, user=editor, action="submit")
        content_transition(item=item, user=approver, action="approve")
        return made

    hosts = [{"kol": kol}, {"name": "奥雷利奥·安娜", "brand": a}, {"name": "贝尔塔齐·布鲁诺", "brand": b}]
    shared_session = session(shared, [a, b], [a_product, b_product, gone], hosts, "七夕意大利直播")
    b_session = session(b_only, [b], [b_product], [{"kol": kol}], "贝尔塔齐独家直播")
    run_sheet_save(user=editor, session=shared_session, steps=[
        {"minutes": 10, "title": "开场", "talking_points_zh": "欢迎来到七夕直播间"},
        {"minutes": 20, "product": a_product, "offer": "买二赠一", "link_code": tracking.link_a.code},
        {"minutes": 20, "product": b_product, "offer": "贝尔塔齐毛衣限时价", "link_code": tracking.link_b.code},
    ])  # fmt: skip
    source, day = session_source(), datetime.date(2027, 8, 1)
    for product, items, gmv in ((a_product, 31, "3131313"), (b_product, 42, "4242424"), (gone, 7, "700")):
        _session_sale(source, shared_session, product, day, items, Decimal(gmv), editor)
    gone.delete()
    LivestreamResult.objects.create(item=shared_session.item, peak_viewers=38_000, viewers=420_000,
                                    interactions=90_000, entered_by=editor)  # fmt: skip
    write_session_facts(session=shared_session, user=editor)
    item = ContentItem.objects.get(pk=shared_session.pk)
    booking = booking_save(user=manager, kol=kol, campaign=shared, items=[item], fee_cny=Decimal("66666"),
                           deliverables="一场七夕直播", starts_on=day, ends_on=day, status="confirmed")  # fmt: skip
    booking_save(user=manager, kol=kol, campaign=b_only, fee_cny=Decimal("55555"), deliverables="贝尔塔齐全程",
                 starts_on=b_only.starts_on, ends_on=b_only.ends_on, status="paid")  # fmt: skip
    booking_save(user=manager, kol=kol, campaign=shared, items=[item], fee_cny=Decimal("55555"),
                 deliverables="提案中", starts_on=day, ends_on=day, status="proposed")  # fmt: skip
    return SimpleNamespace(kol=kol, session=shared_session, b_session=b_session, booking=booking)


def _imports(editor):
    """File imports waiting for people: one for its column mapping (a header the import does not know), one with a
    bad row waiting for the decision (its report names the row)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from campaigns.results import imports

    day = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()

    def upload(name, text):
        return SimpleUploadedFile(name, text.encode("utf-8"))

    mapping = imports.metric_import_create(
        user=editor,
        upload=upload("red-notes.csv", f"日期,品牌,渠道,笔记曝光\n{day},frantoio-aurelio,小红书,700\n"),
        source_name="RED 蒲公英",
        defaults={},
    )
    review = imports.metric_import_create(
        user=editor,
        upload=upload("tmall.csv", f"日期,品牌,渠道,展现量\n{day},frantoio-aurelio,横幅,100\nnot a day,x,横幅,5\n"),
        source_name="Tmall 生意参谋",
        defaults={},
    )
    imports.metric_import_run(run_id=review.pk)
    review.refresh_from_db()
    return {"mapping": mapping, "review": review}


def _proposals(a, b, users, manager):
    """A's brand editor proposes a Chinese description, a price and a logo (stored privately until accepted);
    B's own editor had a proposal accepted (B's history names them) and has another one pending."""
    from types import SimpleNamespace

    from django.core.files.uploadedfile import SimpleUploadedFile

    from brands.images import image_ingest
    from brands.proposals import proposal_accept, proposal_submit
    from tests.brands.test_images import make_image

    logo = image_ingest(SimpleUploadedFile("proposed-logo.png", make_image("PNG", size=(200, 200))))
    product = {"code": "FA-EVO-500", "name_it": "Olio extravergine", "name_zh_hans": "托斯卡纳冷榨特级初榨橄榄油礼盒装"}
    a_proposal = proposal_submit(
        brand=a,
        user=users["brand_editor"],
        fields={"description_zh_hans": "奥雷利奥提案：山丘上的冷榨橄榄油"},
        products=[{**product, "price_cny": "288"}],
        logo=logo,
    )
    b_editor = UserFactory(username="b-editor")
    MembershipFactory(user=b_editor, brand=b, role="editor")
    accepted = proposal_submit(brand=b, user=b_editor, fields={"city": "Biella"})
    proposal_accept(proposal=accepted, user=manager, version=accepted.version)
    b_proposal = proposal_submit(brand=b, user=b_editor, fields={"description_zh_hans": "贝尔塔齐提案：羊绒针织"})
    return SimpleNamespace(a=a_proposal, b=b_proposal, a_logo=a_proposal.document["fields"]["logo"])


def _latest_revision(brand):
    from brands.models import BrandRevision

    return BrandRevision.objects.filter(brand=brand).order_by("-number").values_list("number", flat=True).first()


def _notifications(draft):
    """Staff's digest and brand A's users' reminder of the draft's material (which must not tell them its title)."""
    from campaigns.notifications.services import notifications_daily

    notifications_daily(now=datetime.datetime.combine(draft.due_on, datetime.time(9), tzinfo=CHINA))


def _webhook(manager, brand):
    """A partner endpoint (its receiver on loopback, allowed in tests) and a dead letter in its log."""
    from django.utils import timezone

    from brandhub.api.webhooks.services import event_body, webhook_endpoint_create
    from brandhub.models import OutboxEvent, WebhookDelivery

    endpoint = webhook_endpoint_create(
        actor=manager, name="Tmall Global", url="http://127.0.0.1:9/hooks", events=["brand.updated"], brands=[brand]
    )
    event = OutboxEvent.objects.filter(type="brand.updated", brand_ids=[brand.pk]).first()
    OutboxEvent.objects.update(relayed_at=timezone.now())
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=event,
        body=event_body(event).decode(),
        state=WebhookDelivery.State.DEAD,
        attempts=7,
        response_status=503,
        response_snippet="Service Unavailable",
        log=[{"at": "2027-08-01T12:00:00Z", "status": 503, "error": "", "ms": 40}],
    )
    return endpoint, delivery


def _build_tracking(manager, a, b, shared):
    """A shared event (A and B) with a code for each brand and one for the whole event; an event of B alone."""
    from types import SimpleNamespace

    from campaigns.tracking.services import event_save, link_save

    a.products.all()  # A's product is featured; B's would be a leak on A's pages
    b_product = b.products.create(code="MB-KNIT-01", name_it="Maglione Bertazzi", name_zh_hans="贝尔塔齐毛衣")
    common = {
        "kind": "popup",
        "city": "上海",
        "starts_on": datetime.date(2027, 8, 1),
        "ends_on": datetime.date(2027, 8, 3),
    }
    event = event_save(
        user=manager, title="Qixi pop-up together", campaign=shared, brands=[a, b],
        products=[*a.products.all(), b_product], reward_zh="送香囊", **common,
    )  # fmt: skip
    b_event = event_save(user=manager, title="Bertazzi solo roadshow", brands=[b], products=[], **common)
    url = "https://example.com/qixi"
    return SimpleNamespace(
        event=event,
        b_event=b_event,
        link_a=link_save(user=manager, event=event, label="Aurelio counter", destination=url, brands=[a]),
        link_b=link_save(user=manager, event=event, label="Bertazzi solo corner", destination=url, brands=[b]),
        link_all=link_save(user=manager, event=event, label="Entrance", destination=url, brands=[]),
        link_b_event=link_save(user=manager, event=b_event, label="Roadshow gate", destination=url),
    )


def _scans(tracking):
    """Scans of the shared event in its first hour: A's code, B's code (each brand's count is a secret to the
    other's users) and the entrance code made for no brand (both brands' users see it)."""
    from campaigns.tracking.models import ScanHour

    common = {"hour": datetime.datetime(2027, 8, 1, 12, tzinfo=CHINA), "source": "qr", "outcome": "redirect",
              "app": "wechat", "device": "phone"}  # fmt: skip
    ScanHour.objects.create(link=tracking.link_a, scans=3131313, uniques=31, **common)
    ScanHour.objects.create(link=tracking.link_b, scans=4242424, uniques=42, **common)
    ScanHour.objects.create(link=tracking.link_all, scans=7, uniques=5, **common)


# --- the table --------------------------------------------------------------------------------------


def everyone(code):
    return dict.fromkeys(ROLES, code)


def logged_in(code=200):
    return {**everyone(code), "anonymous": LOGIN}


def staff_page(code=200, manager=None):
    """Pages without an object, for staff: brand users are told they may not (403)."""
    return {**dict.fromkeys(BRAND_USERS, 403), "anonymous": LOGIN, "editor": code, "manager": manager or code}


def manager_page(code=200):
    return {**staff_page(403), "manager": code}


def staff_object(code=200, editor=None):
    """Pages that change an object: brand users get 404 whether the object exists or not."""
    return {**dict.fromkeys(BRAND_USERS, 404), "anonymous": LOGIN, "editor": editor or code, "manager": code}


def seen_by(code_for_a, code_for_b, staff=200, anonymous=LOGIN):
    """An object page: ``code_for_a`` for brand A's users, ``code_for_b`` for brand B's."""
    return {
        "anonymous": anonymous,
        "viewer": code_for_a,
        "brand_editor": code_for_a,
        "other_brand_user": code_for_b,
        "editor": staff,
        "manager": staff,
    }


@dataclass(frozen=True)
class Case:
    kwargs: object  # a function of the world, returning the URL's kwargs
    expected: dict
    method: str = "get"
    data: object = None  # a function of the world, returning the POST data
    suffix: str = ""


def none(w):
    return {}


TABLE: dict[str, list[Case]] = {
    "home": [Case(none, logged_in())],
    "healthz": [Case(none, everyone(200))],
    "login": [Case(none, everyone(200))],
    "logout": [Case(none, everyone(LOGIN), method="post")],
    "password_change": [Case(none, logged_in())],
    "password_change_done": [Case(none, logged_in())],
    "password_reset": [Case(none, everyone(200))],
    "password_reset_done": [Case(none, everyone(200))],
    "password_reset_confirm": [Case(lambda w: {"uidb64": "MQ", "token": "bad-token"}, everyone(200))],
    "password_reset_complete": [Case(none, everyone(200))],
    "user_settings": [Case(none, logged_in())],
    "user_list": [Case(none, manager_page())],
    "user_create": [Case(none, manager_page())],
    "user_update": [
        Case(lambda w: {"pk": w.users["viewer"].pk}, manager_page()),
        Case(lambda w: {"pk": 999_999}, manager_page(404)),
    ],
    "user_action": [
        Case(lambda w: {"pk": w.users["viewer"].pk}, manager_page(302), "post", lambda w: {"action": "invite"})
    ],
    "apikey_list": [Case(none, manager_page())],
    "apikey_revoke": [Case(lambda w: {"pk": w.api_key.pk}, manager_page(302), "post")],
    "set_language": [Case(none, everyone(302), "post", lambda w: {"language": "it", "next": "/"})],
    # --- partner webhooks: managers only
    "webhooks:webhookendpoint_list": [Case(none, manager_page())],
    "webhooks:webhookendpoint_create": [Case(none, manager_page())],
    "webhooks:webhookendpoint_detail": [
        Case(lambda w: {"pk": w.webhook.pk}, manager_page()),
        Case(lambda w: {"pk": 999_999}, manager_page(404)),
    ],
    "webhooks:webhookendpoint_update": [
        Case(lambda w: {"pk": w.webhook.pk}, manager_page()),
        Case(lambda w: {"pk": 999_999}, manager_page(404)),
    ],
    "webhooks:webhookendpoint_action": [
        Case(lambda w: {"pk": w.webhook.pk}, manager_page(302), "post", lambda w: {"action": "disable"}),
        Case(lambda w: {"pk": w.webhook.pk}, manager_page(200), "post", lambda w: {"action": "rotate_secret"}),
    ],
    "webhooks:webhookdelivery_detail": [
        Case(lambda w: {"pk": w.delivery.pk}, manager_page()),
        Case(lambda w: {"pk": 999_999}, manager_page(404)),
    ],
    "webhooks:webhookdelivery_redeliver": [Case(lambda w: {"pk": w.delivery.pk}, manager_page(302), "post")],
    # --- the registry
    "brands:brand_list": [Case(none, logged_in())],
    "brands:brand_create": [Case(none, staff_page())],
    "brands:brand_export": [Case(lambda w: {"fmt": "csv"}, logged_in()), Case(lambda w: {"fmt": "xlsx"}, logged_in())],
    "brands:brand_import": [Case(none, staff_page())],
    "brands:brand_import_preview": [
        # A preview belongs to whoever uploaded the file (the editor here).
        Case(lambda w: {"pk": w.batch.pk}, {**staff_page(), "manager": 404}),
        Case(lambda w: {"pk": uuid.uuid4()}, staff_page(404)),
    ],
    "brands:completenessrule_list": [Case(none, staff_page())],
    "brands:completenessrule_create": [
        Case(none, manager_page(302), "post", lambda w: {"scope": "brand", "field": "website", "language": ""})
    ],
    "brands:completenessrule_delete": [Case(lambda w: {"pk": w.rule.pk}, manager_page(302), "post")],
    "brands:brand_detail": [
        Case(lambda w: {"slug": w.a.slug}, seen_by(200, 404)),
        Case(lambda w: {"slug": w.b.slug}, seen_by(404, 200)),
        Case(lambda w: {"slug": "no-such-brand"}, seen_by(404, 404, staff=404)),
    ],
    "brands:brand_update": [
        Case(lambda w: {"slug": w.a.slug}, {**seen_by(404, 404), "brand_editor": 200}),
        Case(lambda w: {"slug": w.b.slug}, seen_by(404, 404)),
    ],
    # Staff actions on a brand answer 403 to every brand user, for any slug: nothing is told about brands.
    "brands:brand_archive": [
        Case(lambda w: {"slug": w.a.slug}, staff_page(302), "post"),
        Case(lambda w: {"slug": "no-such-brand"}, staff_page(404), "post"),
    ],
    # A restore writes the brand directly: staff only (a brand editor proposes changes instead).
    "brands:brandrevision_restore": [
        Case(lambda w: {"slug": w.a.slug, "number": 1}, staff_object(302), "post"),
        Case(lambda w: {"slug": w.b.slug, "number": 1}, staff_object(302), "post"),
        # The preview before the restore.
        Case(lambda w: {"slug": w.a.slug, "number": 1}, staff_object()),
        Case(lambda w: {"slug": w.b.slug, "number": 1}, staff_object()),
    ],
    # Proposed changes: A's proposal is read by A's users and staff only, B's by B's; a proposal under the other
    # brand's address is not found. Deciding is staff work (403 to every brand user, for any proposal);
    # withdrawing is the proposer's alone.
    "brands:brandchangeproposal_list": [Case(none, staff_page())],
    "brands:brandchangeproposal_detail": [
        Case(lambda w: {"slug": w.a.slug, "pk": w.proposals.a.pk}, seen_by(200, 404)),
        Case(lambda w: {"slug": w.b.slug, "pk": w.proposals.b.pk}, seen_by(404, 200)),
        Case(lambda w: {"slug": w.b.slug, "pk": w.proposals.a.pk}, seen_by(404, 404, staff=404)),
        Case(lambda w: {"slug": w.a.slug, "pk": 999_999}, seen_by(404, 404, staff=404)),
    ],
    "brands:brandchangeproposal_accept": [
        Case(
            lambda w: {"slug": w.a.slug, "pk": w.proposals.a.pk},
            staff_page(302),
            "post",
            lambda w: {"version": w.proposals.a.version, "revision": _latest_revision(w.a)},
        ),
        Case(lambda w: {"slug": w.b.slug, "pk": w.proposals.a.pk}, staff_page(404), "post"),
    ],
    "brands:brandchangeproposal_reject": [
        Case(
            lambda w: {"slug": w.b.slug, "pk": w.proposals.b.pk},
            staff_page(302),
            "post",
            lambda w: {"version": w.proposals.b.version, "comment": "Not this season."},
        ),
    ],
    "brands:brandchangeproposal_withdraw": [
        Case(
            lambda w: {"slug": w.a.slug, "pk": w.proposals.a.pk},
            {**seen_by(404, 404, 404), "brand_editor": 302},
            "post",
        ),
        Case(lambda w: {"slug": w.b.slug, "pk": w.proposals.b.pk}, seen_by(404, 404, 404), "post"),
    ],
    # A proposal's logo is private until accepted; the view serves only the proposal's own images (not, say, a
    # creative's private file through A's proposal).
    "brands:brandchangeproposal_image": [
        Case(
            lambda w: {"slug": w.a.slug, "pk": w.proposals.a.pk, "asset": w.proposals.a_logo, "rendition": "thumb"},
            seen_by(200, 404),
        ),
        Case(
            lambda w: {"slug": w.a.slug, "pk": w.proposals.a.pk, "asset": w.creative.image_id, "rendition": "thumb"},
            seen_by(404, 404, 404),
        ),
    ],
    "brands:brandmembership_add": [
        Case(
            lambda w: {"slug": w.a.slug},
            manager_page(302),
            "post",
            lambda w: {"user": w.users["other_brand_user"].pk, "role": "viewer"},
        )
    ],
    "brands:brandmembership_remove": [
        Case(lambda w: {"slug": w.a.slug, "pk": w.membership.pk}, manager_page(302), "post")
    ],
    # --- planning
    "campaigns:campaign_list": [Case(none, logged_in())],
    "campaigns:campaign_create": [Case(none, staff_page())],
    "campaigns:todo": [Case(none, staff_page())],
    "campaigns:festival_list": [Case(none, staff_page())],
    "campaigns:festival_update": [Case(lambda w: {"key": "qixi"}, manager_page())],
    "campaigns:calendar": [Case(none, logged_in())],
    "campaigns:calendar_year": [Case(lambda w: {"year": 2027}, logged_in())],
    "campaigns:calendar_month": [Case(lambda w: {"year": 2027, "month": 8}, logged_in())],
    # The week of the world's items (1 August 2027, China time): brand users' pages are searched for B's items.
    "campaigns:calendar_week": [Case(lambda w: {"year": 2027, "week": 30}, logged_in())],
    # A calendar app fetches the feed without a session: the token is the credential, whoever else asks.
    # What each brand user's own feed holds is checked below (test_a_calendar_feed_holds_only_...).
    "campaigns:calendar_feed": [
        Case(lambda w: {"token": calendar_feed_reset(user=w.users["viewer"]).token}, everyone(200)),
        Case(lambda w: {"token": "no-such-token"}, everyone(404)),
    ],
    "campaigns:calendar_feed_reset": [Case(none, logged_in(302), "post")],
    "campaigns:campaign_detail": [
        Case(lambda w: {"pk": w.shared.pk}, seen_by(200, 200)),
        Case(lambda w: {"pk": w.b_only.pk}, seen_by(404, 200)),
        Case(lambda w: {"pk": 999_999}, seen_by(404, 404, staff=404)),
    ],
    "campaigns:campaign_update": [
        Case(lambda w: {"pk": w.shared.pk}, staff_object()),
        Case(lambda w: {"pk": 999_999}, staff_object(404)),
    ],
    "campaigns:campaign_copy": [Case(lambda w: {"pk": w.shared.pk}, staff_object(302), "post")],
    "campaigns:contentitem_create": [Case(lambda w: {"pk": w.shared.pk}, staff_object())],
    "campaigns:contentitem_detail": [
        Case(lambda w: {"pk": w.a_item.pk}, seen_by(200, 404)),
        Case(lambda w: {"pk": w.b_item.pk}, seen_by(404, 200)),
        Case(lambda w: {"pk": w.a_draft.pk}, seen_by(404, 404)),
    ],
    "campaigns:contentitem_update": [
        Case(lambda w: {"item_pk": w.a_item.pk}, staff_object()),
        Case(lambda w: {"item_pk": 999_999}, staff_object(404)),
    ],
    "campaigns:contentitem_transition": [
        Case(
            lambda w: {"pk": w.a_item.pk},
            staff_object(302),
            "post",
            lambda w: {"action": "schedule", "version": w.a_item.version},
        )
    ],
    # Dragging on the calendar is an edit: brand users get 404, also for an item they may see.
    "campaigns:contentitem_move": [
        Case(
            lambda w: {"pk": w.a_item.pk},
            staff_object(302),
            "post",
            lambda w: {"version": w.a_item.version, "date": "2027-08-02"},
        ),
        Case(lambda w: {"pk": 999_999}, staff_object(404), "post", lambda w: {"version": 1, "date": "2027-08-02"}),
    ],
    "campaigns:creative_add": [Case(lambda w: {"pk": w.a_item.pk}, staff_object(302), "post", lambda w: {})],
    "campaigns:creative_image": [
        Case(lambda w: {"pk": w.creative.pk, "rendition": "thumb"}, seen_by(200, 404, anonymous=404)),
    ],
    # --- KOLs (agency data: staff only) and their bookings (a brand user: the agreed ones their brands took part in,
    # without the fee, which the leak check reads for: KOL_FEES)
    "campaigns:kol_list": [Case(none, staff_page())],
    "campaigns:kol_create": [Case(none, staff_page())],
    "campaigns:kol_unmatched": [Case(none, staff_page())],
    "campaigns:kol_detail": [
        Case(lambda w: {"pk": w.kols.kol.pk}, staff_page()),
        Case(lambda w: {"pk": 999_999}, staff_page(404)),
    ],
    "campaigns:kol_update": [Case(lambda w: {"pk": w.kols.kol.pk}, staff_page())],
    # Merging a duplicate KOL into this one (the world has one KOL: itself is no choice, the form says so).
    "campaigns:kol_merge": [
        Case(lambda w: {"pk": w.kols.kol.pk}, staff_page()),
        Case(lambda w: {"pk": w.kols.kol.pk}, staff_page(), "post", lambda w: {"other": w.kols.kol.pk}),
    ],
    "campaigns:kol_followers": [
        Case(
            lambda w: {"pk": w.kols.kol.pk},
            staff_page(302),
            "post",
            lambda w: {"account": w.kols.kol.accounts.get().pk, "day": "2026-11-01", "followers": "390000"},
        )
    ],
    "campaigns:kolbooking_list": [Case(none, logged_in())],
    "campaigns:kolbooking_create": [Case(none, staff_page())],
    "campaigns:kolbooking_update": [Case(lambda w: {"pk": w.kols.booking.pk}, staff_page())],
    # --- livestream sessions: the shared one shows each brand's users their own part (products, hosts, run sheet
    # steps, sales; the session's viewers for both); B's own is not found by A's users
    "campaigns:livestream_list": [Case(none, logged_in()), Case(none, logged_in(), suffix="?when=past")],
    "campaigns:livestream_create": [Case(lambda w: {"campaign_pk": w.shared.pk}, staff_object())],
    "campaigns:livestream_detail": [
        Case(lambda w: {"pk": w.kols.session.pk}, seen_by(200, 200)),
        Case(lambda w: {"pk": w.kols.b_session.pk}, seen_by(404, 200)),
        Case(lambda w: {"pk": 999_999}, seen_by(404, 404, staff=404)),
    ],
    "campaigns:livestream_update": [
        Case(lambda w: {"pk": w.kols.session.pk}, staff_object()),
        Case(lambda w: {"pk": w.a_item.pk}, staff_object(404)),  # not a livestream
    ],
    "campaigns:runsheet_detail": [
        Case(lambda w: {"pk": w.kols.session.pk}, seen_by(200, 200)),
        Case(lambda w: {"pk": w.kols.b_session.pk}, seen_by(404, 200)),
    ],
    "campaigns:runsheet_update": [Case(lambda w: {"pk": w.kols.session.pk}, staff_object())],
    "campaigns:runsheet_pdf": [
        Case(lambda w: {"pk": w.kols.session.pk}, seen_by(200, 200)),
        Case(lambda w: {"pk": w.kols.b_session.pk}, seen_by(404, 200)),
    ],
    # The code on screen of A's step is A's; B's is B's.
    "campaigns:runsheet_code": [
        Case(lambda w: {"pk": w.kols.session.pk, "code": w.tracking.link_a.code}, seen_by(200, 404)),
        Case(lambda w: {"pk": w.kols.session.pk, "code": w.tracking.link_b.code}, seen_by(404, 200)),
        Case(lambda w: {"pk": w.kols.session.pk, "code": "NOSUCHCD"}, seen_by(404, 404, staff=404)),
    ],
    # --- notifications: everyone signed in reads (and marks read) their own only; no object in the URL
    "notifications:notification_list": [Case(none, logged_in())],
    "notifications:notification_read_all": [Case(none, logged_in(302), "post")],
    # --- the publishing desk: staff only
    "publishing:desk": [Case(none, staff_page())],
    "publishing:golive_pack": [
        Case(lambda w: {"pk": w.a_item.pk}, staff_object()),
        Case(lambda w: {"pk": w.a_draft.pk}, staff_object(404)),  # a draft has no pack
    ],
    "publishing:pack_creative": [
        Case(lambda w: {"pk": w.a_item.pk, "creative_pk": w.creative.pk, "size_pk": w.size.pk}, staff_object())
    ],
    # Not waiting for a go-live: the staff member is told so and sent back to the desk.
    "publishing:publication_action": [
        Case(
            lambda w: {"pk": w.a_item.pk},
            staff_object(302),
            "post",
            lambda w: {"action": "confirm", "url": "https://x.example/"},
        )
    ],
    # --- offline events and tracked links
    "tracking:event_list": [Case(none, logged_in())],
    "tracking:event_create": [Case(none, staff_page())],
    "tracking:event_detail": [
        Case(lambda w: {"pk": w.tracking.event.pk}, seen_by(200, 200)),
        Case(lambda w: {"pk": w.tracking.b_event.pk}, seen_by(404, 200)),
        Case(lambda w: {"pk": 999_999}, seen_by(404, 404, staff=404)),
    ],
    "tracking:event_update": [
        Case(lambda w: {"pk": w.tracking.event.pk}, staff_object()),
        Case(lambda w: {"pk": 999_999}, staff_object(404)),
    ],
    "tracking:link_create": [Case(lambda w: {"pk": w.tracking.event.pk}, staff_object())],
    "tracking:link_import": [Case(lambda w: {"pk": w.tracking.event.pk}, staff_object())],
    "tracking:event_sheet": [Case(lambda w: {"pk": w.tracking.event.pk}, staff_object())],
    "tracking:scan_export": [Case(lambda w: {"pk": w.tracking.event.pk}, staff_page())],
    "tracking:link_detail": [
        Case(lambda w: {"pk": w.tracking.link_a.pk}, seen_by(200, 404)),
        Case(lambda w: {"pk": w.tracking.link_b.pk}, seen_by(404, 200)),
        Case(lambda w: {"pk": w.tracking.link_all.pk}, seen_by(200, 200)),
        Case(lambda w: {"pk": w.tracking.link_b_event.pk}, seen_by(404, 200)),
    ],
    "tracking:link_update": [Case(lambda w: {"link_pk": w.tracking.link_a.pk}, staff_object())],
    "tracking:link_qr": [Case(lambda w: {"pk": w.tracking.link_a.pk}, staff_object())],
    "tracking:link_tent": [Case(lambda w: {"pk": w.tracking.link_a.pk}, staff_object())],
    "tracking:campaign_scans": [
        Case(lambda w: {"pk": w.shared.pk}, seen_by(200, 200)),
        Case(lambda w: {"pk": w.b_only.pk}, seen_by(404, 200)),
    ],
    # --- results: the brand portal (one brand's own figures, for its users and staff) and the agency dashboard.
    # The world's figures are of August 2027: the pages are asked for that festival year.
    # A user with one brand goes straight to its portal; staff pick a brand.
    "results:portal": [Case(none, {**seen_by(302, 302), "editor": 200, "manager": 200})],
    "results:portal_brand": [
        Case(lambda w: {"slug": w.a.slug}, seen_by(200, 404), suffix="?period=2027"),
        Case(lambda w: {"slug": w.b.slug}, seen_by(404, 200), suffix="?period=2027"),
        Case(lambda w: {"slug": "no-such-brand"}, seen_by(404, 404, staff=404)),
    ],
    "results:portal_campaign": [
        Case(lambda w: {"slug": w.a.slug, "pk": w.shared.pk}, seen_by(200, 404)),
        Case(lambda w: {"slug": w.b.slug, "pk": w.shared.pk}, seen_by(404, 200)),
        Case(lambda w: {"slug": w.b.slug, "pk": w.b_only.pk}, seen_by(404, 200)),
        # A is not in B's own campaign: no portal page of it, for staff either.
        Case(lambda w: {"slug": w.a.slug, "pk": w.b_only.pk}, seen_by(404, 404, staff=404)),
    ],
    # The CSV (what it holds: test_the_results_csv_holds_only_the_readers_brand); bad dates get the form (400).
    "results:portal_export": [
        Case(lambda w: {"slug": w.a.slug}, seen_by(200, 404), suffix="?start=2027-08-01&end=2027-08-31"),
        Case(lambda w: {"slug": w.b.slug}, seen_by(404, 200), suffix="?start=2027-08-01&end=2027-08-31"),
        Case(lambda w: {"slug": w.a.slug}, seen_by(400, 404, staff=400), suffix="?start=2027-08-31&end=2027-08-01"),
    ],
    "results:dashboard": [Case(none, staff_page(), suffix="?period=2027")],
    # --- results: the PDF reports of one brand (per month, per campaign), read back with pdftotext for the leak check
    # below; the managers' page that mails a month's report again (the world's A has results in August 2027).
    "results:report_month": [
        Case(lambda w: {"slug": w.a.slug, "year": 2027, "month": 8}, seen_by(200, 404)),
        Case(lambda w: {"slug": w.b.slug, "year": 2027, "month": 8}, seen_by(404, 200)),
        Case(lambda w: {"slug": w.a.slug, "year": 2027, "month": 13}, seen_by(404, 404, staff=404)),
        Case(lambda w: {"slug": "no-such-brand", "year": 2027, "month": 8}, seen_by(404, 404, staff=404)),
    ],
    "results:report_campaign": [
        Case(lambda w: {"slug": w.a.slug, "pk": w.shared.pk}, seen_by(200, 404)),
        Case(lambda w: {"slug": w.b.slug, "pk": w.shared.pk}, seen_by(404, 200)),
        Case(lambda w: {"slug": w.b.slug, "pk": w.b_only.pk}, seen_by(404, 200)),
        # A is not in B's own campaign: no report of it, for staff either.
        Case(lambda w: {"slug": w.a.slug, "pk": w.b_only.pk}, seen_by(404, 404, staff=404)),
    ],
    "results:report_mail": [
        Case(none, manager_page()),
        Case(none, manager_page(302), "post", lambda w: {"brand": w.a.pk, "month": "2027-08", "token": "0" * 32}),
    ],
    # --- results: manual entry of figures (staff only; the entry page is reached from items and campaigns) and the
    # targets last year's lesson suggests (an edit of the campaign: brand users 404; the world's Qixi 2027 has no
    # Qixi 2026 to learn from, so staff are sent back with a message).
    "results:fact_entry": [
        Case(none, staff_page()),
        Case(
            none,
            staff_page(302),
            "post",
            lambda w: {"date": "2026-11-11", "channel": "kol_post", "brand": w.a.pk, "interactions": "5"},
        ),
    ],
    "results:fact_delete": [
        Case(lambda w: {"pk": w.results.manual.pk}, staff_page()),
        Case(lambda w: {"pk": w.results.manual.pk}, staff_page(302), "post"),
    ],
    # --- results: a livestream session's results (entry and sales import: staff; an edit of the session, so brand users
    # get 404) and KOLs side by side (staff)
    "results:livestream_entry": [Case(lambda w: {"pk": w.kols.session.pk}, staff_object())],
    "results:livestream_import": [Case(lambda w: {"pk": w.kols.session.pk}, staff_object())],
    "results:kol_compare": [Case(none, staff_page())],
    "results:campaign_targets_apply": [
        Case(lambda w: {"pk": w.shared.pk}, staff_object(302), "post", lambda w: {"targets": ["target_impressions"]})
    ],
    # The redirect is for anyone with the code, signed in or not.
    "tracked_link_scan": [
        Case(lambda w: {"code": w.tracking.link_a.code}, everyone(302)),
        Case(lambda w: {"code": "NOSUCHCD"}, everyone(404)),
    ],
    # --- results: the file import, for staff (brand users get 403 whether the run exists or not)
    "results:import_list": [Case(none, staff_page())],
    "results:import_create": [Case(none, staff_page())],
    "results:import_detail": [
        Case(lambda w: {"pk": w.results.run.pk}, staff_page()),
        Case(lambda w: {"pk": w.results.review.pk}, staff_page()),
        Case(lambda w: {"pk": w.results.mapping.pk}, staff_page()),
        Case(lambda w: {"pk": 999_999}, staff_page(404)),
    ],
    "results:import_mapping": [
        Case(lambda w: {"pk": w.results.mapping.pk}, staff_page()),
        Case(lambda w: {"pk": w.results.run.pk}, staff_page(302)),  # mapped already: the page sends to the run
    ],
    "results:import_status": [Case(lambda w: {"pk": w.results.review.pk}, staff_page())],
    "results:import_report": [Case(lambda w: {"pk": w.results.review.pk}, staff_page())],
    "results:import_action": [
        Case(lambda w: {"pk": w.results.review.pk}, staff_page(302), "post", lambda w: {"action": "cancel"})
    ],
    # --- the partner API: keys, not sessions
    "api_brand_list": [Case(none, everyone(401))],
    "api_brand_detail": [Case(lambda w: {"slug": w.a.slug}, everyone(401))],
    "api_calendar": [Case(none, everyone(401))],
    "api_content_list": [Case(none, everyone(401))],
    "api_content_detail": [Case(lambda w: {"pk": w.a_item.pk}, everyone(401))],
    "api_content_creative": [
        Case(lambda w: {"pk": w.a_item.pk, "creative_id": w.creative.pk, "rendition": "thumb"}, everyone(401))
    ],
    "api_campaign_list": [Case(none, everyone(401))],
    "api_campaign_detail": [Case(lambda w: {"pk": w.shared.pk}, everyone(401))],
    "api_metric_push": [Case(none, everyone(401), "post")],
    "api_webhook_list": [Case(none, everyone(401))],
    "api_webhook_detail": [Case(lambda w: {"pk": w.webhook.pk}, everyone(401))],
    "api_webhook_delivery_list": [Case(lambda w: {"pk": w.webhook.pk}, everyone(401))],
    "api_webhook_redeliver": [
        Case(lambda w: {"pk": w.webhook.pk, "delivery_id": w.delivery.pk}, everyone(401), "post")
    ],
    "api_schema": [Case(none, everyone(200))],
    "api_docs": [Case(none, everyone(200))],
    "media": [Case(lambda w: {"path": "nothing/here.png"}, everyone(404))],
}


# --- the checks -------------------------------------------------------------------------------------


def _named_urls(resolver=None, namespace=None):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the Django admin: superusers only, checked below
            inner = ":".join(filter(None, [namespace, pattern.namespace])) if pattern.namespace else namespace
            yield from _named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_has_a_rule():
    missing = sorted(set(_named_urls()) - set(TABLE))
    assert not missing, f"add these URLs to the permission table: {missing}"
    assert not sorted(set(TABLE) - set(_named_urls())), "the table names URLs that no longer exist"


def _status(response):
    if response.status_code == 302 and response.url.startswith(reverse("login")):
        return LOGIN
    return response.status_code


CASES = [(name, i, role) for name, cases in TABLE.items() for i in range(len(cases)) for role in ROLES]


@pytest.mark.parametrize(("name", "index", "role"), CASES, ids=[f"{n}[{i}]-{r}" for n, i, r in CASES])
def test_permission_table(client, world, name, index, role):
    case = TABLE[name][index]
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = reverse(name, kwargs=case.kwargs(world)) + case.suffix
    data = case.data(world) if case.data else {}
    response = client.post(url, data) if case.method == "post" else client.get(url)

    assert _status(response) == case.expected[role], f"{role} {case.method.upper()} {url}"
    if role in world.secrets and response.status_code == 200:
        readable = _readable(response)
        if readable is not None:
            leaks = _leaks(readable, world.secrets[role])
            assert not leaks, f"{role} reads {leaks} on {url}"


def _readable(response) -> str | None:
    """What a person reads in a response: an HTML page as it is, a PDF's text as pdftotext extracts it; None for
    other answers (files checked by tests of their own)."""
    import subprocess

    content_type = response.get("Content-Type", "")
    body = b"".join(response) if response.streaming else response.content
    if "html" in content_type:
        return body.decode()
    if content_type.startswith("application/pdf"):
        return subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()
    return None


def _leaks(text: str, secrets) -> list[str]:
    """The secrets in ``text``; a name with spaces also when a PDF's layout broke it across lines or cells."""
    squashed = "".join(text.split())
    return [s for s in secrets if s in text or (" " in s and "".join(s.split()) in squashed)]


@pytest.mark.parametrize("role", ROLES)
def test_the_export_holds_only_the_brands_a_user_may_see(client, world, role):
    user = world.users[role]
    if user is None or role not in world.secrets:
        pytest.skip("staff export every brand; anonymous users are sent to log in")
    client.force_login(user)
    body = b"".join(client.get(reverse("brands:brand_export", kwargs={"fmt": "csv"})))

    assert not [s for s in world.secrets[role] if s.encode() in body]


@pytest.mark.parametrize("role", BRAND_USERS)
def test_the_results_csv_holds_only_the_readers_brand(client, world, role):
    """A brand's CSV of results holds that brand's figures, never the other brand's on the campaign they share."""
    client.force_login(world.users[role])
    own = world.b if role == "other_brand_user" else world.a
    url = reverse("results:portal_export", kwargs={"slug": own.slug}) + "?start=2027-08-01&end=2027-08-31"
    body = b"".join(client.get(url).streaming_content).decode("utf-8")

    assert (A_FIGURES if own == world.a else B_FIGURES)[0] in body  # the brand's own impressions are there
    assert not [secret for secret in world.secrets[role] if secret in body]


@pytest.mark.parametrize("role", BRAND_USERS)
def test_a_brand_users_pdf_reports_hold_their_brand_and_nothing_of_the_other(client, world, role):
    """The PDF reports, read back: the brand's own figures are there (the positive side of the leak check above),
    and in every language nothing of the other brand of the shared campaign, nor the campaign's internal texts."""
    client.force_login(world.users[role])
    own = world.b if role == "other_brand_user" else world.a
    urls = [
        reverse("results:report_month", kwargs={"slug": own.slug, "year": 2027, "month": 8}),
        reverse("results:report_campaign", kwargs={"slug": own.slug, "pk": world.shared.pk}),
    ]
    for url in urls:
        for language in ("en", "it", "zh-hans"):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            text = _readable(response)
            assert (A_FIGURES if own == world.a else B_FIGURES)[1 if language != "it" else 2] in text
            assert not _leaks(text, world.secrets[role]), f"{role} reads {_leaks(text, world.secrets[role])} on {url}"


@pytest.mark.parametrize("role", ROLES)
def test_only_superusers_open_the_django_admin(client, world, role):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response.url
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_shared_campaign_shows_a_brand_user_their_own_part_only(client, world):
    """The positive side of the leak checks above: what the brand user must see is there."""
    client.force_login(world.users["viewer"])
    page = client.get(reverse("campaigns:campaign_detail", kwargs={"pk": world.shared.pk})).content.decode()

    assert "Frantoio Aurelio" in page and "奥雷利奥七夕油" in page
    assert "Maglificio Bertazzi" not in page and "贝尔塔齐七夕毛衣" not in page and "88888" not in page
    listing = client.get(reverse("campaigns:campaign_list"))
    shared = next(c for c in listing.context["object_list"] if c.pk == world.shared.pk)
    # Their brand; their reviewed item and the livestream session it shares with the other brand (``_kols``).
    assert (shared.brand_count, shared.item_count) == (1, 2)


@pytest.mark.parametrize(("role", "own", "product"), [("viewer", "3,131,313", "FA-EVO-500"),
                                                       ("other_brand_user", "4,242,424", "MB-KNIT-01")])  # fmt: skip
def test_a_shared_livestream_shows_each_brand_their_sales_and_the_sessions_viewers(client, world, role, own, product):
    """The positive side of the leak checks on the shared session: the session's viewers and the reader's own sales
    are on its page; the other brand's product is not."""
    client.force_login(world.users[role])
    page = client.get(reverse("campaigns:livestream_detail", kwargs={"pk": world.kols.session.pk})).content.decode()

    assert "420,000" in page and own in page
    assert {"viewer": "MB-KNIT-01", "other_brand_user": "FA-EVO-500"}[role] not in page
    assert product in page  # the reader's own product


@pytest.mark.parametrize("role", [*BRAND_USERS, "editor"])
def test_a_calendar_feed_holds_only_what_its_owner_may_see(client, world, role):
    """The feed of each brand user on the shared campaign: their brand's reviewed item, never the other brand's,
    no draft, no internal text; staff get every item."""
    import icalendar

    user = world.users[role]
    url = reverse("campaigns:calendar_feed", kwargs={"token": calendar_feed_reset(user=user).token})
    body = client.get(url).content
    uids = {str(e["UID"]).split("@")[0] for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}

    own = {"viewer": world.a_item, "brand_editor": world.a_item, "other_brand_user": world.b_item}
    if role in world.secrets:
        assert f"item-{own[role].pk}" in uids
        others = {world.a_item.pk, world.b_item.pk, world.a_draft.pk} - {own[role].pk}
        assert not {uid for uid in uids if uid.startswith("item-") and int(uid[5:]) in others}
        text = body.decode()
        assert not [secret for secret in world.secrets[role] if secret in text], f"{role}'s feed leaks"
    else:
        assert {f"item-{world.a_item.pk}", f"item-{world.b_item.pk}", f"item-{world.a_draft.pk}"} <= uids


# --- empty relations: a deleted account never breaks a page -----------------------------------------


APP_LABELS = ("brandhub", "brands", "campaigns", "publishing", "tracking", "notifications", "results")


def _set_null_relations():
    """Every nullable foreign key of our apps whose target can disappear (``SET_NULL``)."""
    from django.apps import apps
    from django.db import models

    for model in apps.get_models():
        if model._meta.app_label not in (
            "brandhub",
            "brands",
            "campaigns",
            "publishing",
            "tracking",
            "notifications",
            "results",
        ):
            continue
        for f in model._meta.get_fields():
            if isinstance(f, models.ForeignKey) and f.remote_field.on_delete is models.SET_NULL:
                yield model, f


GET_CASES = [(name, i) for name, cases in TABLE.items() for i, case in enumerate(cases) if case.method == "get"]


@pytest.fixture
def orphaned(world):
    """The world after the accounts that wrote, owned, approved and created everything were deleted."""
    from campaigns.models import Campaign
    from campaigns.services import campaign_copy_to_next_year

    copy = campaign_copy_to_next_year(campaign=world.b_only, user=world.users["editor"])
    Campaign.objects.filter(pk=copy.pk).update(copied_from=None)
    campaign_save(
        user=world.users["manager"],
        title="Own dates, no festival",
        starts_on=datetime.date(2027, 3, 1),
        ends_on=datetime.date(2027, 3, 31),
        brands=[world.a],
    )
    _orphan_notifications_and_facts(world)
    # Through a queryset: the world's own user objects must keep their primary keys for the next test.
    User = type(world.users["viewer"])
    User.objects.filter(username__in=["editor", "manager", "approver", "b-editor"]).delete()
    users = {**world.users, "editor": EditorFactory(username="new-editor"), "manager": ManagerFactory()}
    return dataclasses.replace(world, users=users)


def _orphan_notifications_and_facts(world):
    """A notification whose item went with its campaign (deleted in the admin), and a fact whose import was deleted."""
    from campaigns.models import Campaign
    from campaigns.notifications.models import Notification
    from campaigns.results.facts import FactRow
    from campaigns.results.models import MetricImport
    from campaigns.results.services import facts_upsert

    gone = campaign_save(user=world.users["manager"], title="Deleted later", starts_on=datetime.date(2027, 3, 1),
                         ends_on=datetime.date(2027, 3, 31), brands=[world.a])  # fmt: skip
    item = _item(gone, world.users["editor"], [world.a], "被删除的内容")
    for user in world.users.values():
        if user is not None:
            Notification.objects.create(
                recipient=user,
                kind=Notification.Kind.CONTENT_APPROVED,
                item=item,
                params={},
                created_at=item.created_at,
            )
    Campaign.objects.filter(pk=gone.pk).delete()
    run = MetricImport.objects.create(source=world.results.source, file_name="deleted.csv", file_format="csv")
    row = FactRow("orphan", datetime.date(2027, 8, 3), "kol_post", world.a.pk, figures={"impressions": 1})
    facts_upsert(source=world.results.source, rows=[row], run=run)
    MetricImport.objects.filter(pk=run.pk).delete()


def test_the_empty_relations_test_empties_every_set_null_relation(orphaned):
    relations = list(_set_null_relations())
    assert len(relations) >= 6
    for model, f in relations:
        if model.objects.exists():
            assert model.objects.filter(**{f"{f.name}__isnull": True}).exists(), f"no {model.__name__} without {f.name}"


@pytest.mark.parametrize(("name", "index"), GET_CASES, ids=[f"{n}[{i}]" for n, i in GET_CASES])
def test_every_page_renders_with_its_nullable_relations_empty(client, orphaned, name, index):
    case = TABLE[name][index]
    url = reverse(name, kwargs=case.kwargs(orphaned)) + case.suffix
    for role in ("viewer", "editor", "manager"):
        client.force_login(orphaned.users[role])

        response = client.get(url)

        gone = name == "brands:brand_import_preview" and role != "viewer"  # the upload went with its uploader
        assert _status(response) == (404 if gone else case.expected[role]), f"{role} {url}"
