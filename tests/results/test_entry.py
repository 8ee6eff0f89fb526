"""Manual entry: staff type in a few figures; the checker's rules and messages, the natural key, the rollups."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from campaigns.results.livestreams import SESSION_SOURCE
from campaigns.results.models import BrandDay, CampaignTotal, MetricFact, MetricRollup, MetricSource
from campaigns.results.services import MANUAL_SOURCE, fact_delete, fact_enter, facts_upsert
from tests.campaigns.conftest import make_item

from .conftest import write

pytestmark = pytest.mark.django_db


@pytest.fixture
def livestream(campaign, editor, brand):
    return make_item(campaign, author=editor, brands=[brand], channel="livestream", title_en="Italian night live")


def entry_url(**query):
    url = reverse("results:fact_entry")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def post(client, data, **query):
    return client.post(entry_url(**query), data)


def test_a_livestream_s_viewers_and_items_sold_are_entered_then_corrected(client_for, manager, brand, livestream):
    client = client_for(manager)
    form = {"date": "2026-11-11", "channel": "livestream", "brand": brand.pk, "viewers": "42万", "items_sold": "20,000"}
    response = post(client, form, item=livestream.pk)
    assert response.status_code == 302 and response.url == entry_url(item=livestream.pk)
    fact = MetricFact.objects.get()
    assert (fact.source.kind, fact.source.name, fact.entered_by) == (MetricSource.Kind.MANUAL, MANUAL_SOURCE, manager)
    assert (fact.item, fact.campaign_id, fact.viewers, fact.items_sold) == (livestream, livestream.campaign_id, 420_000,
                                                                            20_000)  # fmt: skip
    rollup = MetricRollup.objects.get()
    assert (rollup.campaign_id, rollup.viewers, rollup.items_sold) == (livestream.campaign_id, 420_000, 20_000)

    # The same day, channel, brand and item again: the entry is corrected, not added.
    post(client, {**form, "viewers": "43万"}, item=livestream.pk)
    assert MetricFact.objects.count() == 1 and MetricFact.objects.get().viewers == 430_000
    assert BrandDay.objects.get().viewers == 430_000 and BrandDay.objects.get().facts == 1
    page = client.get(entry_url(item=livestream.pk)).content.decode()
    assert "430,000" in page and "updated" in page


def test_a_brand_s_account_figure_and_a_campaign_figure_of_the_same_day_are_two_entries(
    client_for, manager, brand, campaign
):
    client = client_for(manager)
    day = {"date": "2026-11-11", "channel": "livestream", "brand": brand.pk}
    post(client, {**day, "followers_total": "12,000"})
    post(client, {**day, "viewers": "5000"}, campaign=campaign.pk)
    assert set(MetricFact.objects.values_list("campaign_id", "followers_total", "viewers")) == {
        (None, 12_000, None),
        (campaign.pk, None, 5000),
    }


def test_bad_values_are_form_errors_in_the_reader_s_language(client_for, manager, brand, livestream):
    client = client_for(manager)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    with translation.override("zh-hans"):
        response = client.post(
            entry_url(item=livestream.pk),
            {"date": tomorrow, "channel": "livestream", "brand": brand.pk, "viewers": "很多", "items_sold": "-3"},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"date", "viewers", "items_sold"}
    page = response.content.decode()
    assert "不是数字" in page or "“很多”" in page  # the checker's message, written in Chinese
    assert MetricFact.objects.count() == 0


def test_a_row_without_figures_and_an_item_of_another_brand_are_refused(
    client_for, manager, brand, other_brand, campaign, livestream
):
    client = client_for(manager)
    empty = post(client, {"date": "2026-11-11", "channel": "livestream", "brand": brand.pk}, item=livestream.pk)
    assert empty.context["form"].non_field_errors() == ["The row has no figures."]
    wrong = post(
        client,
        {"date": "2026-11-11", "channel": "livestream", "brand": other_brand.pk, "item": livestream.pk, "viewers": 9},
        campaign=campaign.pk,
    )
    assert "does not feature brand" in wrong.context["form"].errors["item"][0]
    assert MetricFact.objects.count() == 0


def test_a_manual_entry_opens_for_correction_and_an_imported_fact_does_not(
    client_for, manager, brand, livestream, file_source
):
    client = client_for(manager)
    post(client, {"date": "2026-11-11", "channel": "livestream", "brand": brand.pk, "viewers": "900"},
         item=livestream.pk)  # fmt: skip
    fact = MetricFact.objects.get()
    form = client.get(entry_url(fact=fact.pk)).context["form"]
    assert (form.initial["viewers"], form.initial["date"], form.initial["brand"]) == ("900", fact.date, brand.pk)
    write(file_source, {"date": "2026-11-11", "channel": "banner", "brand": brand.slug, "impressions": 5})
    imported = MetricFact.objects.get(source=file_source)
    assert client.get(entry_url(fact=imported.pk)).status_code == 404
    assert client.get(entry_url(item="abc")).status_code == 404


def test_only_staff_enter_figures(client_for, brand_user, brand, livestream):
    client = client_for(brand_user)
    assert client.get(entry_url(item=livestream.pk)).status_code == 403
    data = {"date": "2026-11-11", "channel": "livestream", "brand": brand.pk, "viewers": "9"}
    assert post(client, data, item=livestream.pk).status_code == 403
    assert MetricFact.objects.count() == 0
    from django.core.exceptions import PermissionDenied

    from campaigns.results.facts import FactRow

    with pytest.raises(PermissionDenied):
        fact_enter(user=brand_user, row=FactRow("", datetime.date(2026, 11, 11), "livestream", brand.pk))


def test_the_form_offers_the_item_s_brands_and_creatives(client_for, manager, brand, livestream):
    form = client_for(manager).get(entry_url(item=livestream.pk)).context["form"]
    assert list(form.fields["brand"].queryset) == [brand]
    assert form.initial["brand"] == brand.pk and form.initial["channel"] == "livestream"
    assert "campaign" not in form.fields and "item" not in form.fields and "creative" not in form.fields


def test_a_figure_typed_in_by_mistake_is_deleted_and_the_sums_move_back(client_for, manager, brand, livestream):
    client = client_for(manager)
    day = {"date": "2026-11-11", "channel": "livestream", "brand": brand.pk}
    post(client, {**day, "viewers": "42万", "items_sold": "20,000"}, item=livestream.pk)
    post(client, {**day, "date": "2026-11-12", "viewers": "1000"}, item=livestream.pk)
    wrong = MetricFact.objects.get(date=datetime.date(2026, 11, 11))
    assert CampaignTotal.objects.get().viewers == 421_000

    page = client.get(reverse("results:fact_delete", kwargs={"pk": wrong.pk}))
    assert page.status_code == 200 and "420,000" in page.content.decode() and "20,000" in page.content.decode()
    response = client.post(reverse("results:fact_delete", kwargs={"pk": wrong.pk}))

    assert response.status_code == 302 and response.url == entry_url(item=livestream.pk)
    assert list(MetricFact.objects.values_list("date", "viewers")) == [(datetime.date(2026, 11, 12), 1000)]
    total = CampaignTotal.objects.get()
    assert (total.viewers, total.items_sold, total.facts) == (1000, 0, 1)
    assert list(BrandDay.objects.filter(facts__gt=0).values_list("day", "viewers")) == [
        (datetime.date(2026, 11, 12), 1000)
    ]
    assert not MetricRollup.objects.filter(day=datetime.date(2026, 11, 11)).exclude(facts=0, viewers=0).exists()
    assert "were deleted" in client.get(response.url).content.decode()
    # Pressed again (a second tab): nothing more happens.
    assert client.post(reverse("results:fact_delete", kwargs={"pk": wrong.pk})).status_code == 404
    assert fact_delete(user=manager, fact=wrong) is False


def test_only_figures_typed_in_here_are_deleted_here_and_only_by_staff(
    client_for, manager, brand_user, brand, livestream, file_source
):
    from campaigns.results.facts import FactRow
    from campaigns.results.livestreams import session_source

    write(file_source, {"date": "2026-11-11", "channel": "banner", "brand": brand.slug, "impressions": 5})
    imported = MetricFact.objects.get(source=file_source)
    facts_upsert(
        source=session_source(),
        rows=[FactRow("session-1", datetime.date(2026, 11, 11), "livestream", brand.pk, figures={"viewers": 7})],
    )
    session_fact = MetricFact.objects.get(source__name=SESSION_SOURCE)
    client = client_for(manager)
    for fact in (imported, session_fact):
        url = reverse("results:fact_delete", kwargs={"pk": fact.pk})
        assert (client.get(url).status_code, client.post(url).status_code) == (404, 404)
        assert client.get(entry_url(fact=fact.pk)).status_code == 404  # nor opened for correction here
    assert MetricFact.objects.count() == 2

    fact_enter(
        user=manager, row=FactRow("", datetime.date(2026, 11, 11), "livestream", brand.pk, figures={"viewers": 9})
    )
    typed = MetricFact.objects.get(source__name=MANUAL_SOURCE)
    assert client_for(brand_user).post(reverse("results:fact_delete", kwargs={"pk": typed.pk})).status_code == 403
    with pytest.raises(PermissionDenied):
        fact_delete(user=brand_user, fact=typed)
    assert MetricFact.objects.filter(pk=typed.pk).exists()


def test_a_correction_that_moves_an_entry_to_another_day_replaces_it(client_for, manager, brand, livestream):
    client = client_for(manager)
    post(client, {"date": "2026-12-01", "channel": "livestream", "brand": brand.pk, "viewers": "1000"},
         item=livestream.pk)  # fmt: skip
    fact = MetricFact.objects.get()

    response = post(client, {"date": "2026-12-02", "channel": "livestream", "brand": brand.pk, "viewers": "1000"},
                    fact=fact.pk)  # fmt: skip

    assert response.status_code == 302
    assert list(MetricFact.objects.values_list("date", "viewers")) == [(datetime.date(2026, 12, 2), 1000)]
    assert list(BrandDay.objects.filter(facts__gt=0).values_list("day", "viewers")) == [
        (datetime.date(2026, 12, 2), 1000)
    ]
    assert CampaignTotal.objects.get().viewers == 1000  # counted once, on its new day
    page = client.get(response.url).content.decode()
    assert "were updated" in page and "on Dec. 2, 2026 were updated" in page  # the date as the reader writes it
