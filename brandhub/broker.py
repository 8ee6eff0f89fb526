"""The embedded mode's broker: kombu's filesystem transport, with messages that appear whole.

kombu's ``filesystem`` transport creates a message's file under its final ``*.msg`` name and writes into it
afterwards; the reader neither waits for the writer's lock nor checks what it read. A worker in another process
that lists the folder between the two steps moves the empty (or half-written) file away, fails to decode it and
stops with "Unrecoverable error: JSONDecodeError" — the task is lost and the worker is gone. Across two processes
putting and getting 5,000 messages, about nine in ten were read before they were written
(``tests/brandhub/test_broker.py``). Here a message is written under a name the reader skips and renamed to its
``*.msg`` name when complete: a rename within one folder is atomic, so a reader sees the whole message or nothing.
"""

import contextlib
import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    """Writes each message beside its final name and renames it into place."""

    def _put(self, queue, payload, **kwargs):
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # The reader takes only names whose part after the first dot is "<queue>.msg": ".part" never matches.
        partial = final + ".part"
        try:
            with open(partial, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(partial)
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    """kombu's filesystem transport with :class:`Channel`; selected by ``CELERY_BROKER_TRANSPORT``."""

    Channel = Channel
