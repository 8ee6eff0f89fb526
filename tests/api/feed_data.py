"""Partner-feed test data: content items taken through the real workflow, dispatcher and publishers.

``Feed(editor, manager)`` makes campaigns and items and brings each to the status a test needs, the way the app
does: review, schedule, the dispatcher's claim at the hour, the channel's publisher (or a person's go-live
confirmation for a manual channel). Publish tasks are run in the test's process instead of a worker.
"""

import datetime
import functools
from unittest import mock

from django.utils import timezone

from campaigns.choices import Channel
from campaigns.choices import ContentStatus as S
from campaigns.colors import dominant_color
from campaigns.models import ContentItem
from campaigns.publishing import services as publishing
from campaigns.publishing.publishers import PUBLISHERS, ManualPublisher
from campaigns.services import content_transition, creative_add
from tests.campaigns.conftest import ZH_TEXTS, china, ingested, make_campaign, make_item, move

LIVE_URL = "https://www.xiaohongshu.com/explore/qixi-2027"
MANUAL = {channel for channel, publisher in PUBLISHERS.items() if isinstance(publisher, ManualPublisher)}


@functools.cache
def _banner():
    """One banner for every creative, with its colour: decoding, renditions and the colour are the slow part of
    adding one (each creative is still stored as its own files)."""
    image = ingested()
    return image, dominant_color(image.content)


class Feed:
    def __init__(self, editor, manager):
        self.editor, self.manager = editor, manager
        self.year = timezone.now().year + 1
        self._campaigns = 0

    def campaign(self, brands, **fields):
        self._campaigns += 1
        fields.setdefault("title", f"Qixi {self.year} #{self._campaigns}")
        return make_campaign(user=self.manager, brands=brands, year=self.year, **fields)

    def item(self, campaign, brands, *, status=S.PUBLISHED, channel=None, creative=True, **texts):
        """An item of ``campaign`` featuring ``brands``, brought to ``status``; a banner with a creative, or a short
        video without one."""
        channel = channel or (Channel.BANNER if creative else Channel.SHORT_VIDEO)
        item = make_item(
            campaign,
            author=self.editor,
            channel=channel,
            brands=list(brands),
            scheduled_at=china(self.year, 8, 8),
            **{**ZH_TEXTS, **texts},
        )
        if creative:
            image, color = _banner()
            with mock.patch("campaigns.services.dominant_color", return_value=color):
                creative_add(item=item, user=self.editor, image=image)
        if status in (S.DRAFT, S.IN_REVIEW, S.APPROVED):
            return move(item, to=status, editor=self.editor, manager=self.manager)
        if status == S.CANCELLED:
            return content_transition(item=item, user=self.manager, action="cancel")
        item = move(item, to=S.APPROVED, editor=self.editor, manager=self.manager)
        # A banner on a channel of other sizes is a warning, which the editor accepts.
        item = content_transition(item=item, user=self.editor, action="schedule", accept_warnings=True)
        if status == S.SCHEDULED:
            return item
        if status == S.PUBLISHED:
            return self.publish(item)
        if status == S.HELD:
            return self._due(item, late=datetime.timedelta(days=30))  # past every channel's late limit
        item = self._due(item)
        if status == S.FAILED:
            publishing.publication_fail(item_id=item.pk, reason="The platform refused the banner.")
        elif status == S.PUBLISHING:
            publishing.publication_publish(item_id=item.pk)  # a manual channel's item: now due for go-live
        item.refresh_from_db()
        assert item.status == status, (item.status, status)
        return item

    def publish(self, item):
        """A scheduled item's hour comes: claimed, published by its channel's publisher; a manual channel's item is
        confirmed live by the editor with ``LIVE_URL``."""
        item = self._due(item)
        publishing.publication_publish(item_id=item.pk)
        if item.channel in MANUAL:
            publishing.publication_confirm(item=item, user=self.editor, url=LIVE_URL)
        item.refresh_from_db()
        assert item.status == S.PUBLISHED, item.status
        return item

    def _due(self, item, late=datetime.timedelta(seconds=1)):
        """Its hour has come: the dispatcher claims it (publish tasks are not sent; the caller runs them)."""
        ContentItem.objects.filter(pk=item.pk).update(scheduled_at=timezone.now() - late)
        with mock.patch.object(publishing, "_queue_after_commit"):
            publishing.publications_dispatch()
        item.refresh_from_db()
        return item

    def published(self, campaign, brands, **kwargs):
        return self.item(campaign, brands, status=S.PUBLISHED, **kwargs)
