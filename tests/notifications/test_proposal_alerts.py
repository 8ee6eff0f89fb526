"""Brand users' proposed profile changes: staff are told one waits, the proposer is told what was decided."""

import pytest
from django.core import mail
from django.utils import translation

from brands.proposals import proposal_accept, proposal_reject, proposal_submit
from campaigns.notifications.models import Notification
from campaigns.notifications.render import render
from campaigns.notifications.services import notifications_send
from tests.factories import MembershipFactory, UserFactory

from .conftest import of_kind

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


@pytest.fixture
def proposer(brand):
    user = UserFactory(username="giulia", first_name="Giulia", language="it")
    MembershipFactory(user=user, brand=brand, role="editor")
    return user


def text_of(notification, language="en") -> str:
    with translation.override(language):
        rendered = render(notification)
    return f"{rendered.subject}\n{rendered.text}"


def test_a_new_proposal_tells_the_agency_staff_once_not_the_brand_users(brand, proposer, editor, manager, brand_user):
    proposal = proposal_submit(brand=brand, user=proposer, fields={"description_zh_hans": "新的品牌介绍"})
    proposal_submit(brand=brand, user=proposer, fields={"description_zh_hans": "又改了一次"})  # the same proposal

    told = of_kind(Kind.PROPOSAL_SUBMITTED)
    assert [n.recipient for n in told] == [editor, manager]
    assert told[0].url == f"/brands/{brand.slug}/proposals/{proposal.pk}/"
    assert text_of(told[0]).startswith("Profile change proposed for Frantoio Aurelio\nGiulia proposed changes")
    assert "奥雷利奥榨油坊" in text_of(told[0], "zh-hans")


def test_the_proposer_is_told_of_the_decision_in_their_language_with_the_comment(brand, proposer, manager, other_brand):
    proposal = proposal_submit(brand=brand, user=proposer, fields={"description_zh_hans": "新的品牌介绍"})
    proposal_reject(proposal=proposal, user=manager, version=proposal.version, comment="请补充产地信息")

    (decided,) = of_kind(Kind.PROPOSAL_DECIDED)
    assert decided.recipient == proposer and decided.url == f"/brands/{brand.slug}/"
    notifications_send(ids=[decided.pk])
    (message,) = mail.outbox
    assert "non sono state accettate" in message.subject and "请补充产地信息" in message.body
    assert "Maglificio" not in message.body

    again = proposal_submit(brand=brand, user=proposer, fields={"description_zh_hans": "补充了产地"})
    proposal_accept(proposal=again, user=manager, version=again.version)
    accepted = of_kind(Kind.PROPOSAL_DECIDED)
    assert len(accepted) == 2
    assert any("were accepted" in text_of(n) for n in accepted)
