"""One small publisher per channel behind one interface: ``publisher_for(channel).publish(item) -> Result``.

Adding a channel means adding its publisher to ``PUBLISHERS`` (or ``register`` it) and nothing else. A
publisher runs inside the transaction that holds the item's row lock, so it is called at most once at a time
per item; one that calls a platform's API passes ``idempotency_key(item)`` so that a retry after a worker died
between the platform's answer and our commit does not post twice on the platform.
"""

import abc
from dataclasses import dataclass

from campaigns.choices import Channel
from campaigns.models import ContentItem

from .models import Publication


class PublishError(Exception):
    """A permanent refusal (bad content, channel gone): the item fails with this reason, no retry."""


class TransientPublishError(Exception):
    """Worth trying again (timeout, 5xx, rate limit): the task retries with backoff."""


@dataclass(frozen=True)
class Result:
    """What a publisher did: ``PUBLISHED`` (with the platform's id and URL when it has them) or ``DUE``."""

    state: str
    external_id: str = ""
    url: str = ""


def idempotency_key(item: ContentItem) -> str:
    """The same for every attempt at the same item: an item goes out once in its life."""
    return f"brandhub-content-{item.pk}"


class Publisher(abc.ABC):
    """Puts one item live on its channel, or says why not (``PublishError``, ``TransientPublishError``).

    An interface: every channel's publisher (``FeedPublisher``, ``ManualPublisher``, one per API later) says how.
    """

    @abc.abstractmethod
    def publish(self, item: ContentItem) -> Result: ...


class FeedPublisher(Publisher):
    """A channel the partner feed carries: publishing is recording it; partners pull it from the feed."""

    def publish(self, item: ContentItem) -> Result:
        return Result(Publication.State.PUBLISHED, external_id=idempotency_key(item))


class ManualPublisher(Publisher):
    """A channel with no API we can call (Tmall Brand Hub, Taobao pop-ups, RED, ...): at the hour the item is
    *due for go-live*; the staff member on duty puts it live and confirms with the live URL."""

    def publish(self, item: ContentItem) -> Result:
        return Result(Publication.State.DUE)


PUBLISHERS: dict[str, Publisher] = {
    Channel.TMALL_ARTICLE: ManualPublisher(),
    Channel.TAOBAO_POPUP: ManualPublisher(),
    Channel.RED_POST: ManualPublisher(),
    Channel.KOL_POST: ManualPublisher(),  # the KOL posts it; staff confirm the post's URL
    Channel.LIVESTREAM: ManualPublisher(),
    Channel.BANNER: FeedPublisher(),
    Channel.SHORT_VIDEO: FeedPublisher(),
    Channel.WECHAT_ARTICLE: FeedPublisher(),
    Channel.OFFLINE_EVENT: FeedPublisher(),
}


def register(channel: str, publisher: Publisher) -> None:
    PUBLISHERS[channel] = publisher


def publisher_for(channel: str) -> Publisher:
    try:
        return PUBLISHERS[channel]
    except KeyError:
        raise PublishError(f"No publisher for the channel {channel!r}.") from None
