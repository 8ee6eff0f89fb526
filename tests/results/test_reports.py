"""PDF reports (per month, per campaign) and the monthly report mail.

The data: brands A (Frantoio Aurelio) and B (Maglificio Bertazzi) share a Double 11 campaign in November 2026;
each has a reviewed banner item with a creative, its account's followers, and codes at a shared pop-up. B's
figures are all made of 4s and 2s, so any of them in A's PDF would be found.
"""

import datetime
import subprocess
from decimal import Decimal

import pymupdf
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from PIL import Image

from brands.models import BrandMembership
from campaigns.choices import Channel, ContentStatus
from campaigns.notifications import services as notifications
from campaigns.notifications import tasks as notification_tasks
from campaigns.notifications.models import Notification
from campaigns.results import selectors
from campaigns.results.facts import FactRow
from campaigns.results.report_mail import report_mails_monthly
from campaigns.results.reports import CHINA, campaign_report, figure, month_report, report_pdf
from campaigns.results.reports import FIGURES as REPORT_FIGURES
from campaigns.results.services import facts_upsert
from campaigns.results.tasks import report_mails_monthly as report_mail_task
from campaigns.tracking.models import ScanHour
from campaigns.tracking.services import event_save, link_save
from tests.campaigns.conftest import add_creative, china, make_campaign, make_item, move
from tests.factories import BrandFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 5, 9, 30, tzinfo=datetime.UTC)  # when the reports are made
NOV = datetime.date(2026, 11, 1)
B_SECRETS = [
    "Maglificio Bertazzi",
    "贝尔塔齐",
    "maglificio-bertazzi",
    "Bertazzi corner",
    "贝尔塔齐羊绒衫",
    "4242424",
    "4,242,424",
    "4.242.424",
    "424242",
    "424,242",
    "424.242",
    "98,765.43",
    "98.765,43",
]


def pdftotext(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def squash(text: str) -> str:
    return "".join(text.split())


def pixels(image: Image.Image) -> list[tuple[int, int, int]]:
    data = image.convert("RGB").tobytes()
    return list(zip(data[0::3], data[1::3], data[2::3], strict=True))


def render(pdf: bytes, page: int = 0, dpi: int = 100) -> Image.Image:
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        pixmap = document[page].get_pixmap(dpi=dpi)
        return Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)


@pytest.fixture
def shared(manager, brand, other_brand, editor):
    """Both brands on Double 11 2026, each with a reviewed banner (and creative); A also has a draft."""
    other_brand.name_zh_hans = "贝尔塔齐针织"
    other_brand.save()
    campaign = make_campaign(
        user=manager, brands=[brand, other_brand], year=2026, festival_key="double-11", title="Double 11 together"
    )
    a_item = make_item(
        campaign,
        author=editor,
        brands=[brand],
        channel="banner",
        scheduled_at=china(2026, 11, 10),
        title_en="Olive oil gift box",
        title_it="Cofanetto olio",
        title_zh_hans="橄榄油礼盒",
        body_zh_hans="托斯卡纳橄榄油。",
    )
    b_item = make_item(
        campaign,
        author=editor,
        brands=[other_brand],
        channel="banner",
        scheduled_at=china(2026, 11, 10),
        title_en="Cashmere",
        title_zh_hans="贝尔塔齐羊绒衫",
        body_zh_hans="羊绒。",
    )
    a_creative = add_creative(a_item, user=editor)
    b_creative = add_creative(b_item, user=editor, color=(20, 60, 200))
    a_item = move(a_item, to=ContentStatus.APPROVED, editor=editor, manager=manager)
    b_item = move(b_item, to=ContentStatus.APPROVED, editor=editor, manager=manager)
    draft = make_item(campaign, author=editor, brands=[brand], channel="short_video", title_en="Secret draft video")
    return campaign, a_item, b_item, a_creative, b_creative, draft


@pytest.fixture
def results(shared, brand, other_brand, file_source, manager):
    campaign, a_item, b_item, a_creative, b_creative, draft = shared
    day = datetime.date
    rows = [
        # A's account: October and November levels and gains.
        FactRow(
            "a-oct",
            day(2026, 10, 31),
            "tmall_article",
            brand.pk,
            figures={"followers_total": 10_000, "followers_gained": 120, "impressions": 5_000},
        ),
        FactRow(
            "a-nov-1",
            day(2026, 11, 1),
            "tmall_article",
            brand.pk,
            figures={"followers_total": 10_150, "followers_gained": 150, "impressions": 7_000},
        ),
        FactRow(
            "a-nov-30",
            day(2026, 11, 30),
            "tmall_article",
            brand.pk,
            figures={"followers_total": 12_345, "followers_gained": 2_195, "impressions": 9_100},
        ),
        # A's banner on two days, with its creative.
        FactRow(
            "a-b1",
            day(2026, 11, 10),
            "banner",
            brand.pk,
            campaign.pk,
            a_item.pk,
            a_creative.pk,
            figures={"impressions": 31_000, "clicks": 930, "interactions": 410},
        ),
        FactRow(
            "a-b2",
            day(2026, 11, 11),
            "banner",
            brand.pk,
            campaign.pk,
            a_item.pk,
            a_creative.pk,
            figures={
                "impressions": 52_000,
                "clicks": 1_300,
                "interactions": 777,
                "items_sold": 321,
                "gmv_cny": Decimal("65432.10"),
            },
        ),
        # A draft's figures never show (its title is not the brand's to read).
        FactRow(
            "a-draft",
            day(2026, 11, 11),
            "short_video",
            brand.pk,
            campaign.pk,
            draft.pk,
            figures={"impressions": 1_111, "viewers": 1_111},
        ),
        # B: the same campaign, other channels, figures only B has.
        FactRow(
            "b-b1",
            day(2026, 11, 11),
            "banner",
            other_brand.pk,
            campaign.pk,
            b_item.pk,
            b_creative.pk,
            figures={"impressions": 4_242_424, "clicks": 424_242, "gmv_cny": Decimal("98765.43")},
        ),
        FactRow(
            "b-live",
            day(2026, 11, 11),
            "livestream",
            other_brand.pk,
            campaign.pk,
            figures={"viewers": 424_242, "items_sold": 4_242},
        ),
        FactRow(
            "b-acc",
            day(2026, 11, 30),
            "tmall_article",
            other_brand.pk,
            figures={"followers_total": 4_242_424, "followers_gained": 424_242},
        ),
    ]
    facts_upsert(source=file_source, rows=rows)
    event = event_save(
        user=manager,
        title="Double 11 pop-up",
        kind="popup",
        city="上海",
        starts_on=day(2026, 11, 9),
        ends_on=day(2026, 11, 12),
        campaign=campaign,
        brands=[brand, other_brand],
        products=[],
        reward_zh="送橄榄油小样",
    )
    url = "https://example.com/d11"
    links = {
        "a": link_save(user=manager, event=event, label="Aurelio counter", destination=url, brands=[brand]),
        "b": link_save(user=manager, event=event, label="Bertazzi corner", destination=url, brands=[other_brand]),
        "all": link_save(user=manager, event=event, label="Entrance", destination=url, brands=[]),
    }
    for key, scans, uniques in (("a", 57, 41), ("b", 4242, 424), ("all", 13, 12)):
        ScanHour.objects.create(
            link=links[key],
            hour=china(2026, 11, 10, 15),
            source="qr",
            outcome="redirect",
            app="wechat",
            device="phone",
            scans=scans,
            uniques=uniques,
        )
    ScanHour.objects.create(
        link=links["a"],
        hour=china(2026, 11, 10, 16),
        source="qr",
        outcome="redirect",
        app="browser",
        device="bot",
        is_bot=True,
        scans=900,
        uniques=0,
    )
    Notification.objects.all().delete()  # the approvals of the items above: not what these tests count
    return campaign


def month_pdf(brand, language: str, **kwargs) -> bytes:
    with translation.override(language):
        return report_pdf(month_report(brand, 2026, 11, now=NOW, **kwargs))


def campaign_pdf(brand, campaign, language: str) -> bytes:
    with translation.override(language):
        return report_pdf(campaign_report(brand, campaign, now=NOW))


def text_of(pdf: bytes) -> tuple[str, str]:
    """The text as pdftotext lays it out, and without any white space (a name the layout broke still matches)."""
    text = pdftotext(pdf)
    return text, squash(text)


def leaks(pdf: bytes, secrets) -> list[str]:
    text, squashed = text_of(pdf)
    return [secret for secret in secrets if secret in text or squash(secret) in squashed]


# --- the PDF --------------------------------------------------------------------------------------------------------

MONTH_WORDS = {
    "en": [
        "Frantoio Aurelio",
        "Monthly report · November 2026",
        "Followers over time",
        "Day by day",
        "By channel",
        "Campaigns",
        "Banner comparison",
        "Page 1 of 3",
        "Changes against October 2026",
        "Nov 10",
    ],
    "it": [
        "Frantoio Aurelio",
        "Report mensile · novembre 2026",
        "Follower nel tempo",
        "Giorno per giorno",
        "Per canale",
        "Campagne",
        "Confronto dei banner",
        "Pagina 1 di 3",
        "Variazioni rispetto a ottobre 2026",
        "10 nov",
    ],
    "zh-hans": [
        "奥雷利奥榨油坊",
        "月度报告 · 2026年11月",
        "粉丝变化",
        "每日数据",
        "按渠道",
        "营销活动",
        "横幅对比",
        "第 1 页，共 3 页",
        "11月10日",
    ],
}
FIGURES = {  # impressions, GMV, clicks, followers, CTR as each language writes them
    "en": ["100,211", "65,432.10", "2,230", "12,345", "2.23%", "Olive oil gift box"],
    "it": ["100.211", "65.432,10", "2.230", "12.345", "2,23%", "Cofanetto olio"],
    "zh-hans": ["100,211", "65,432.10", "2,230", "12,345", "2.23%", "橄榄油礼盒"],
}


@pytest.mark.parametrize("language", ["en", "it", "zh-hans"])
def test_the_month_report_reads_back_in_the_readers_language(results, brand, language):
    pdf = month_pdf(brand, language)

    text, squashed = text_of(pdf)
    for words in MONTH_WORDS[language] + FIGURES[language]:
        assert squash(words) in squashed, words
    assert "\ufffd" not in text and "□" not in text
    assert page_count(pdf) == 3
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        assert document.metadata["author"] == "helloITA Brand Hub"
        for page in document:
            assert "helloITA Brand Hub" in page.get_text()  # every page names the hub


def page_count(pdf: bytes) -> int:
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        return document.page_count


def test_the_chinese_font_is_embedded_as_a_subset(results, brand):
    pdf = month_pdf(brand, "zh-hans")

    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    rows = [line for line in fonts.splitlines() if "NotoSansSC" in line]
    assert len(rows) == 2, fonts  # regular and bold
    assert all(" yes yes yes " in row for row in rows)  # embedded, subset, with a Unicode map
    assert len(pdf) < 250_000  # a subset, not the 17 MB font


def test_a_page_renders_with_its_charts_and_is_not_blank(results, brand):
    pdf = month_pdf(brand, "en")

    first = pixels(render(pdf, 0))
    inked = sum(1 for pixel in first if sum(pixel) < 600)
    assert inked > len(first) * 0.01  # text, tiles and the followers line
    second = pixels(render(pdf, 1))  # the day-by-day bars: the accent blue of the charts
    bars = sum(1 for r, g, b in second if b > 150 and r < 60 and 70 < g < 110)
    assert bars > 500


@pytest.mark.parametrize("language", ["en", "it", "zh-hans"])
def test_a_pdf_for_brand_a_holds_nothing_of_brand_b(results, brand, language):
    """On the campaign they share: not B's name in any language, B's item, B's code at the shared pop-up, B's
    figures (impressions, clicks, viewers, GMV, followers, scans), and not A's draft either."""
    secrets = [*B_SECRETS, "Secret draft video", "4,242", "4.242"]
    for pdf in (month_pdf(brand, language), campaign_pdf(brand, results, language)):
        assert not leaks(pdf, secrets)
        text, squashed = text_of(pdf)
        assert squash(FIGURES[language][-1]) in squashed  # A's own item is there
        assert "Aurelio counter" in text and "Entrance" in text  # A's code and the event's own code


def test_figures_in_the_pdf_equal_the_selectors_totals(results, brand):
    month = selectors.period_totals([brand.pk], NOV, datetime.date(2026, 11, 30))
    campaign = selectors.campaign_results(results, [brand.pk])
    with translation.override("en"):
        expected_month = [figure(name, month) for name in REPORT_FIGURES]
        expected_campaign = [figure(name, campaign.totals) for name in REPORT_FIGURES if name != "followers_total"]
        channels = [(str(Channel(c).label), figure("impressions", t)) for c, t in campaign.by_channel]

    _text, month_text = text_of(month_pdf(brand, "en"))
    for value in expected_month:
        assert squash(value) in month_text, value
    assert month.impressions == 100_211 and month.followers_total == 12_345  # the data, read the way pages read it
    _text, campaign_text = text_of(campaign_pdf(brand, results, "en"))
    for value in expected_campaign:
        assert squash(value) in campaign_text, value
    for channel, impressions in channels:
        assert squash(f"{channel}{impressions}") in campaign_text
    assert campaign.totals.impressions == 84_111  # A's banner and draft on the campaign, never B's 4,242,424


def test_a_month_still_running_compares_with_the_same_days_of_the_month_before(results, brand):
    with translation.override("en"):
        report = month_report(brand, 2026, 11, now=datetime.datetime(2026, 11, 10, 12, tzinfo=CHINA))
    assert report.subtitle == "Monthly report · November 2026, to Nov 10"
    impressions = next(k for k in report.kpis if k.label == "Impressions")
    assert impressions.value == "38,000"  # 1 and 10 November
    assert impressions.before == "Oct 1 – Oct 10: 0" and impressions.change == ""


def test_the_month_report_reads_the_same_few_queries_however_many_campaigns(
    results, brand, manager, editor, django_assert_max_num_queries, file_source
):
    with CaptureQueriesContext(connection) as one:
        month_report(brand, 2026, 11, now=NOW)
    for n in range(4):
        campaign = make_campaign(
            user=manager,
            brands=[brand],
            festival_key=None,
            title=f"November {n}",
            starts_on=datetime.date(2026, 11, 2),
            ends_on=datetime.date(2026, 11, 20),
        )
        item = make_item(
            campaign,
            author=editor,
            brands=[brand],
            channel="kol_post",
            scheduled_at=china(2026, 11, 3),
            title_en=f"I{n}",
            body_zh_hans="文字",
            title_zh_hans=f"内容{n}",
        )
        move(item, to=ContentStatus.APPROVED, editor=editor, manager=manager)
        facts_upsert(
            source=file_source,
            rows=[
                FactRow(
                    f"n{n}",
                    datetime.date(2026, 11, 3),
                    "kol_post",
                    brand.pk,
                    campaign.pk,
                    item.pk,
                    figures={"impressions": 10 + n},
                )
            ],
        )
    with django_assert_max_num_queries(len(one)):
        report = month_report(brand, 2026, 11, now=NOW)
    assert sum(1 for block in report.sections[3].blocks if getattr(block, "style", "") == "B") == 5


# --- the views ------------------------------------------------------------------------------------------------------


def month_url(brand, year=2026, month=11):
    return reverse("results:report_month", kwargs={"slug": brand.slug, "year": year, "month": month})


def campaign_url(brand, campaign):
    return reverse("results:report_campaign", kwargs={"slug": brand.slug, "pk": campaign.pk})


def test_a_brand_user_downloads_their_brands_reports_in_their_language(results, brand, brand_user, client):
    client.force_login(brand_user)

    response = client.get(month_url(brand), HTTP_ACCEPT_LANGUAGE="it")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="helloita-frantoio-aurelio-2026-11-it.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert "Report mensile" in pdftotext(response.content)
    response = client.get(campaign_url(brand, results), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    text = pdftotext(response.content)
    assert "营销活动报告" in squash(text) and "Double 11 together" in text
    assert not leaks(response.content, B_SECRETS)


def test_a_brand_user_gets_404_for_another_brand_or_a_campaign_their_brand_is_not_in(
    results, brand, other_brand, brand_user, manager, client
):
    b_only = make_campaign(user=manager, brands=[other_brand], year=2026, festival_key=None, title="B alone")
    client.force_login(brand_user)

    assert client.get(month_url(other_brand)).status_code == 404
    assert client.get(campaign_url(other_brand, results)).status_code == 404  # the shared one, as B
    assert client.get(campaign_url(brand, b_only)).status_code == 404
    assert client.get(month_url(brand, month=13)).status_code == 404
    client.force_login(manager)  # staff read any brand's report, but no brand has one for a campaign it is not in
    assert client.get(month_url(other_brand)).status_code == 200
    assert client.get(campaign_url(brand, b_only)).status_code == 404
    assert client.get(campaign_url(other_brand, b_only)).status_code == 200


# --- the monthly mail -----------------------------------------------------------------------------------------------

# Beat's ticks on 1 December 2026: 08:30 China time (00:30 UTC), and 08:30 in Rome (07:30 UTC, 15:30 in China).
CHINA_MORNING = datetime.datetime(2026, 12, 1, 0, 30, tzinfo=datetime.UTC)
ROME_MORNING = datetime.datetime(2026, 12, 1, 7, 30, tzinfo=datetime.UTC)


@pytest.fixture
def readers(brand, other_brand):
    """A's users: Giulia reads Italian in Rome, Li Hua Chinese in China; B's user reads English in UTC."""
    giulia = UserFactory(username="giulia", first_name="Giulia", language="it", timezone="Europe/Rome")
    lihua = UserFactory(username="lihua", first_name="丽华", language="zh-hans")
    rival = UserFactory(username="rival", first_name="Rita", language="en", timezone="UTC")
    MembershipFactory(user=giulia, brand=brand)
    MembershipFactory(user=lihua, brand=brand, role="editor")
    MembershipFactory(user=rival, brand=other_brand)
    return {"giulia": giulia, "lihua": lihua, "rival": rival}


def reports_written() -> list[Notification]:
    return list(Notification.objects.filter(kind=Notification.Kind.MONTHLY_REPORT).order_by("recipient__username"))


def mail_all():
    ids = list(Notification.objects.filter(kind=Notification.Kind.MONTHLY_REPORT).values_list("pk", flat=True))
    return notifications.notifications_send(ids=ids)


def test_the_monthly_mail_goes_to_each_user_on_the_1st_in_their_language_and_time_zone(results, readers, mailoutbox):
    assert report_mails_monthly(now=CHINA_MORNING - datetime.timedelta(hours=1)) == {
        "brands": 0,
        "mails": 0,
        "without_results": 0,
    }  # 07:30 in China: not yet
    assert report_mails_monthly(now=CHINA_MORNING)["mails"] == 1  # 08:30 in China: Li Hua
    assert [n.recipient.username for n in reports_written()] == ["lihua"]
    assert report_mails_monthly(now=ROME_MORNING)["mails"] == 1  # 08:30 in Rome: Giulia (UTC still waits)
    assert report_mails_monthly(now=datetime.datetime(2026, 12, 1, 8, 30, tzinfo=datetime.UTC))["mails"] == 1

    assert mail_all() == {"sent": 3}

    by_user = {m.to[0]: m for m in mailoutbox}
    chinese = by_user[readers["lihua"].email]
    assert chinese.subject == "2026年11月报告：奥雷利奥榨油坊"
    assert "- 展现量：100,211（+1904.2%）" in chinese.body
    ((name, pdf, mime),) = chinese.attachments
    assert (name, mime) == ("helloita-frantoio-aurelio-2026-11-zh-hans.pdf", "application/pdf")
    assert "月度报告" in squash(pdftotext(pdf)) and not leaks(pdf, B_SECRETS)
    italian = by_user[readers["giulia"].email]
    assert italian.subject == "Il tuo report di novembre 2026: Frantoio Aurelio"
    assert "- Impression: 100.211 (+1904,2%)" in italian.body and "orari in Italia (Europe/Rome)" in italian.body
    ((name, pdf, _mime),) = italian.attachments
    assert name.endswith("-it.pdf") and "Report mensile" in pdftotext(pdf)
    rival = by_user[readers["rival"].email]
    assert rival.subject == "Your report for November 2026: Maglificio Bertazzi"
    ((_name, pdf, _mime),) = rival.attachments
    assert "4,242,424" in pdftotext(pdf)
    assert not leaks(pdf, ["Frantoio Aurelio", "奥雷利奥", "Olive oil gift box", "100,211", "65,432.10"])


def test_beat_running_twice_mails_nothing_twice(results, readers, mailoutbox):
    later = datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)
    assert report_mails_monthly(now=later)["mails"] == 3
    assert report_mails_monthly(now=later)["mails"] == 0
    assert report_mails_monthly(now=later + datetime.timedelta(days=2))["mails"] == 0

    mail_all()
    mail_all()  # the broker delivered the task twice
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in readers.values())


def test_a_second_run_reading_before_the_first_wrote_is_refused_by_the_database(results, readers, monkeypatch):
    """Two beats at once: both read "not sent yet"; the second one's rows break the unique key and are dropped."""
    from campaigns.results import report_mail

    later = datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)
    report_mails_monthly(now=later)
    monkeypatch.setattr(report_mail.Notification.objects, "filter", lambda **kw: Notification.objects.none())
    assert report_mails_monthly(now=later) == {"brands": 0, "mails": 0, "without_results": 0}
    monkeypatch.undo()
    assert len(reports_written()) == 3


def test_no_mail_for_a_brand_without_results_and_none_outside_the_first_days(
    results, readers, django_assert_num_queries
):
    quiet = BrandFactory(slug="quiet", name_it="Brand Silenzioso")
    MembershipFactory(user=UserFactory(username="quiet-user"), brand=quiet)

    outcome = report_mails_monthly(now=datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC))

    assert outcome == {"brands": 2, "mails": 3, "without_results": 1}
    assert not Notification.objects.filter(recipient__username="quiet-user").exists()
    with django_assert_num_queries(0):
        assert report_mails_monthly(now=datetime.datetime(2026, 12, 9, 9, tzinfo=datetime.UTC))["mails"] == 0


def test_a_broker_down_at_the_commit_loses_no_report_mail(
    results, readers, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(notification_tasks.notifications_send, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report_mails_monthly(now=datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC))
    assert len(callbacks) == 2  # one per brand's transaction: each could not queue its task
    written = reports_written()
    assert [n.mail_status for n in written] == ["pending"] * 3 and not mailoutbox

    assert notifications.notifications_sweep(now=written[0].created_at + datetime.timedelta(seconds=30)) == 0
    assert notifications.notifications_sweep(now=written[0].created_at + datetime.timedelta(seconds=61)) == 3
    assert len(mailoutbox) == 3 and all(m.attachments for m in mailoutbox)
    assert notifications.notifications_sweep(now=written[0].created_at + datetime.timedelta(hours=1)) == 0


def test_someone_removed_from_the_brand_before_the_send_gets_no_report(results, readers, brand, mailoutbox):
    report_mails_monthly(now=datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC))
    BrandMembership.objects.filter(user=readers["giulia"], brand=brand).delete()

    assert mail_all() == {"sent": 2, "skipped": 1}
    giulia = Notification.objects.get(recipient=readers["giulia"])
    assert giulia.mail_status == Notification.Mail.SKIPPED
    assert readers["giulia"].email not in [m.to[0] for m in mailoutbox]


def test_the_report_is_on_the_notifications_page_in_the_readers_language(results, readers, client):
    report_mails_monthly(now=datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC))
    client.force_login(readers["lihua"])

    page = client.get(reverse("notifications:notification_list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "2026年11月报告：奥雷利奥榨油坊" in page
    assert month_url(results.brands.get(slug="frantoio-aurelio")) in page


# --- sending again from the console ---------------------------------------------------------------------------------


def test_a_manager_sends_a_months_report_again_once_per_form(results, readers, brand, manager, client, mailoutbox):
    report_mails_monthly(now=datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC))
    client.force_login(manager)
    page = client.get(reverse("results:report_mail"))
    token = page.context["form"].initial["token"]
    data = {"brand": brand.pk, "month": "2026-11", "token": token}

    response = client.post(reverse("results:report_mail"), data)

    assert response.status_code == 302
    again = Notification.objects.filter(key__endswith=token).order_by("recipient__username")
    assert [(n.recipient.username, n.params["update"]) for n in again] == [("giulia", True), ("lihua", True)]
    response = client.post(reverse("results:report_mail"), data)  # the same form, posted twice
    assert response.status_code == 200 and "not sent twice" in response.content.decode()
    assert Notification.objects.filter(key__endswith=token).count() == 2
    mail_all()
    updated = [m for m in mailoutbox if m.subject.startswith("Aggiornamento")]
    assert len(updated) == 1 and updated[0].attachments


def test_the_console_refuses_a_month_without_results_and_brand_users(results, readers, brand, manager, client):
    client.force_login(manager)
    data = {"brand": brand.pk, "month": "2026-09", "token": "a" * 32}

    response = client.post(reverse("results:report_mail"), data)

    assert response.status_code == 200 and "no results in September 2026" in response.content.decode()
    response = client.post(reverse("results:report_mail"), {**data, "month": "September"})
    assert "e.g. 2026-11" in response.content.decode()
    assert not Notification.objects.filter(kind=Notification.Kind.MONTHLY_REPORT).exists()
    client.force_login(readers["giulia"])
    assert client.post(reverse("results:report_mail"), {**data, "month": "2026-11"}).status_code == 403


def test_the_console_page_lists_the_mails_in_the_same_queries_however_many(
    results, readers, manager, client, django_assert_max_num_queries
):
    client.force_login(manager)
    report_mails_monthly(now=datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("results:report_mail"))
    for n in range(10):
        user = UserFactory(username=f"more-{n}")
        MembershipFactory(user=user, brand=results.brands.get(slug="frantoio-aurelio"))
    report_mails_monthly(now=datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC))
    with django_assert_max_num_queries(len(few)):
        page = client.get(reverse("results:report_mail"))
    assert page.content.decode().count("Frantoio Aurelio") >= 12


def test_beat_runs_the_monthly_mail():
    from brandhub.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["results-report-mails"]
    assert entry["task"] == report_mail_task.name == "campaigns.results.tasks.report_mails_monthly"
    assert entry["schedule"] == datetime.timedelta(seconds=settings.RESULTS_REPORT_MAIL_TICK_SECONDS)
    assert entry["task"] in app.tasks
