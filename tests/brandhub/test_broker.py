"""The embedded broker (brandhub/broker.py): a message is read whole or not at all, across processes."""

import multiprocessing
import os
import queue

import pytest
from django.conf import settings
from kombu import Connection

MESSAGES = 1500


def _options(folder):
    return {
        "data_folder_in": os.path.join(folder, "queue"),
        "data_folder_out": os.path.join(folder, "queue"),
        "control_folder": os.path.join(folder, "control"),
        "processed_folder": os.path.join(folder, "processed"),
    }


def _put_all(transport, folder):
    with Connection("filesystem://", transport=transport, transport_options=_options(folder)) as connection:
        channel = connection.default_channel
        for i in range(MESSAGES):
            channel._put("tasks", {"i": i, "body": "x" * 20_000})


def _get_all(transport, folder, results):
    import time

    received, broken = [], 0
    with Connection("filesystem://", transport=transport, transport_options=_options(folder)) as connection:
        channel = connection.default_channel
        deadline = time.monotonic() + 60
        while len(received) + broken < MESSAGES and time.monotonic() < deadline:
            try:
                received.append(channel._get("tasks")["i"])
            except queue.Empty:
                continue
            except ValueError:  # JSONDecodeError: a message read before it was written
                broken += 1
    results.put((sorted(received), broken))


def _exchange(transport, folder):
    for name in ("queue", "control", "processed"):
        os.makedirs(os.path.join(folder, name))
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    reader = context.Process(target=_get_all, args=(transport, folder, results))
    writer = context.Process(target=_put_all, args=(transport, folder))
    reader.start()
    writer.start()
    writer.join(90)
    received, broken = results.get(timeout=90)
    reader.join(10)
    return received, broken


def test_a_worker_in_another_process_never_reads_a_message_before_it_is_written(tmp_path):
    received, broken = _exchange("brandhub.broker:Transport", str(tmp_path))
    assert broken == 0
    assert received == list(range(MESSAGES))


@pytest.mark.skipif(bool(settings.REDIS_URL), reason="the embedded mode's broker: runs in CI's embedded pass")
def test_the_embedded_mode_uses_the_transport_that_renames_whole_messages_into_place():
    from brandhub.celery import app

    with app.connection_for_write() as connection:
        assert type(connection.default_channel).__module__ == "brandhub.broker"
