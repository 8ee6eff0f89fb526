"""The home page says what needs doing today, per role, in a fixed number of queries."""

import datetime

import pytest
from django.utils import timezone

from campaigns.choices import ContentStatus as S
from campaigns.models import ContentItem
from tests.campaigns.conftest import ZH_TEXTS, make_campaign, make_item, move
from tests.factories import BrandFactory, ManagerFactory
from tests.utils import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_manager(db):
    return ManagerFactory(username="manager-two")


def _campaign(manager, brands, days):
    today = timezone.localdate()
    return make_campaign(
        user=manager,
        festival_key=None,
        year=today.year,
        brands=brands,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=days),
    )


def _item(campaign, editor, brands, title, **fields):
    return make_item(campaign, author=editor, channel="kol_post", brands=brands, title_en=title, **ZH_TEXTS, **fields)


@pytest.fixture
def today_work(manager, editor, second_manager, brand, other_brand):
    soon = timezone.now() + datetime.timedelta(hours=20)
    campaign = _campaign(manager, [brand, other_brand], 30)
    review = move(
        _item(campaign, editor, [brand], "Waiting for Giulia"), to=S.IN_REVIEW, editor=editor, manager=manager
    )
    live = _item(campaign, editor, [brand], "Tonight at eight", scheduled_at=soon)
    live = move(live, to=S.SCHEDULED, editor=editor, manager=second_manager)
    late = _item(campaign, editor, [other_brand], "Late banner")
    ContentItem.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=3))
    return {"review": review, "live": live, "late": late, "campaign": campaign}


def test_a_manager_sees_what_to_review_what_is_late_and_what_goes_live(client_for, manager, today_work):
    page = client_for(manager).get("/").content.decode()

    assert "Waiting for Giulia" in page and "Late banner" in page and "Tonight at eight" in page
    assert "Next festivals" in page


def test_a_manager_is_not_asked_to_review_their_own_change(client_for, second_manager, manager, today_work):
    from campaigns.services import content_save

    item = today_work["review"]
    content_save(user=second_manager, campaign=item.campaign, item=item, body_en="A change of mine")

    response = client_for(second_manager).get("/")
    assert item not in response.context["to_review"]
    assert item in client_for(manager).get("/").context["to_review"]


def test_a_brand_user_sees_completeness_and_their_campaigns_but_nothing_of_others(
    client_for, brand_user, brand, today_work
):
    response = client_for(brand_user).get("/")
    page = response.content.decode()

    assert response.status_code == 200
    assert brand.name_it in page and f"{brand.completeness}%" in page
    assert today_work["campaign"].title in page
    assert "Late banner" not in page and "Waiting for Giulia" not in page and "Maglificio Bertazzi" not in page
    (campaign,) = response.context["campaigns"]
    assert campaign.item_count == 1  # the scheduled item of their brand; not the draft, not the other brand's


@pytest.mark.parametrize("who", ["manager", "brand_user"])
def test_home_query_count_is_flat(client_for, request, manager, editor, brand, who):
    client = client_for(request.getfixturevalue(who))
    campaign = _campaign(manager, [brand], 9)

    def add(n):
        for i in range(n):
            item = _item(
                campaign, editor, [brand], f"Item {i}", scheduled_at=timezone.now() + datetime.timedelta(hours=3 + i)
            )
            move(item, to=S.IN_REVIEW if i % 2 else S.SCHEDULED, editor=editor, manager=manager)
            BrandFactory()

    add(2)
    few = count_queries(client, "/")
    add(12)
    assert count_queries(client, "/") == few
