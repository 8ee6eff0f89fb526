"""Scans on this host's disk: one file per process, appended under a lock, claimed by renaming, drained once.

Every scan is first appended here (``recorder.record``): a line in the page cache costs a few system calls,
survives the process being killed, and never waits for another server. With Redis, a thread of the web
process moves its file into the Redis list within ``recorder.MOVE_EVERY``; without Redis (the embedded
mode) the flush task reads the files. The protocol that keeps every line exactly once:

- a writer keeps its file open, takes ``flock`` for each line and writes only if its file still has the
  spool's name (``stat`` gives the same inode); otherwise the file was claimed, and it opens a new one;
- a claimer renames the file (``claim``): after that no writer adds to it, and a writer still in it holds the
  lock, which the drainer waits for;
- a drainer (``draining``) reads a claimed file under its lock and removes it before letting go. A second
  drainer (the flush and a web process's mover on the same file) gets the lock afterwards, sees the file
  removed, and reads nothing;
- a mover holds the folder's lock (shared) from its claim to the push and removal, and the flush takes it
  (exclusive) while it claims and lists the files: a line a mover has taken is in Redis before the flush
  reads Redis, so a flush stores every scan answered on this host before it began.
A crash between pushing the lines on and removing the file leaves them to be read again: each scan carries a
token, and the flush stores a token once.
"""

import contextlib
import errno
import fcntl
import glob
import os
import threading
import uuid
from collections.abc import Callable, Iterator

from django.conf import settings

_lock = threading.Lock()
_writer = {"key": None, "fd": -1, "inode": None}  # this process's open spool file


def folder() -> str:
    return str(settings.TRACKING_SPOOL_DIR)


def path() -> str:
    return os.path.join(folder(), f"scans-{os.getpid()}.jsonl")


def append(line: bytes) -> None:
    """Add one line to this process's file (raises ``OSError`` when the disk cannot take all of it).

    Never waits for a drainer: a file whose lock is taken has been claimed (only claimed files are drained),
    so the line goes to a new file at once.
    """
    target = path()
    data = line + b"\n"
    with _lock:
        while True:
            fd, inode = _open(target)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if _current_inode(target) != inode:
                    _close()  # claimed, and being drained: a new file
                    continue
                fcntl.flock(fd, fcntl.LOCK_EX)  # another writer of the same name (a shared folder): its turn
            try:
                if _current_inode(target) == inode:
                    written = os.write(fd, data)
                    if written != len(data):  # a full disk: take the piece back, so that no torn line is left
                        os.ftruncate(fd, os.fstat(fd).st_size - written)
                        raise OSError(errno.ENOSPC, "the spool file took part of a line")
                    return
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
            _close()  # claimed since it was opened: write to a new file


def _current_inode(target: str) -> int | None:
    try:
        return os.stat(target).st_ino
    except FileNotFoundError:
        return None


def _open(target: str) -> tuple[int, int]:
    key = (os.getpid(), target)
    if _writer["key"] != key:
        _close()
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o640)
        _writer.update(key=key, fd=fd, inode=os.fstat(fd).st_ino)
    return _writer["fd"], _writer["inode"]


def _close() -> None:
    if _writer["fd"] >= 0:
        os.close(_writer["fd"])  # after a fork: the child's copy of the parent's descriptor
    _writer.update(key=None, fd=-1, inode=None)


def _forked() -> None:
    global _lock
    _lock = threading.Lock()  # another thread may have held it at the fork


os.register_at_fork(after_in_child=_forked)


@contextlib.contextmanager
def folder_lock(*, exclusive: bool) -> Iterator[None]:
    """The spool folder's ``flock``: shared by movers, exclusive for the flush's claims (see above)."""
    try:
        fd = os.open(folder(), os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileNotFoundError:  # no folder, no files to claim
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)  # explicitly: a child forked meanwhile holds a copy of the descriptor
    finally:
        os.close(fd)


def claim(spool_file: str) -> str | None:
    """Rename a spool file so that no writer adds to it any more; the new name, or None if it is gone."""
    claimed = f"{spool_file}.{uuid.uuid4().hex}.draining"
    try:
        os.rename(spool_file, claimed)
    except FileNotFoundError:
        return None
    return claimed


def claim_all() -> None:
    """Claim the file of every process of this host (a process that ended leaves its file behind)."""
    for spool_file in glob.glob(os.path.join(folder(), "scans-*.jsonl")):
        claim(spool_file)


def claimed() -> list[str]:
    return sorted(glob.glob(os.path.join(folder(), "*.draining")))


@contextlib.contextmanager
def draining(claimed_file: str) -> Iterator[Callable[[int], Iterator[list[bytes]]] | None]:
    """Read a claimed file under its lock: yields ``batches(n)``, which gives its lines ``n`` at a time (a
    file left by a long outage is never held whole in memory). The file is removed when the block ends without
    an error; on an error it stays for the next try (the tokens make a line read twice count once). None:
    another drainer has taken it."""
    try:
        fd = os.open(claimed_file, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        yield None
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # a writer still in it (for a line), or another drainer
        try:
            if os.fstat(fd).st_nlink == 0:
                yield None
                return

            def batches(n: int) -> Iterator[list[bytes]]:
                with os.fdopen(os.dup(fd), "rb") as handle:
                    handle.seek(0)
                    batch = []
                    for line in handle:
                        if line.strip():
                            batch.append(line.rstrip(b"\n"))
                        if len(batch) >= n:
                            yield batch
                            batch = []
                    if batch:
                        yield batch

            yield batches
            os.unlink(claimed_file)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
