"""Reads of the notifications page."""

from dataclasses import dataclass

from .models import Notification
from .render import Rendered, render


@dataclass
class Shown:
    notification: Notification
    message: Rendered

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


def notifications_page(notifications) -> list[Shown]:
    """The page's rows, rendered in the active language and time zone (the reader's)."""
    return [Shown(n, render(n)) for n in notifications]
