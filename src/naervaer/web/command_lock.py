"""One run at a time for the cron commands (``naervaer remind``, ``naervaer prevention remind``,
``naervaer retention``).

Cron may start a run while the previous one is still sending; two runs at once would race for the
same reminders. The lock is released by the database or the kernel when the process ends, however
it ends, so a crashed run never leaves a stale lock behind:

- PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on the command's name;
- SQLite: an exclusive ``flock`` on a file beside the database file (``var/`` for an in-memory one).
"""

from __future__ import annotations

import fcntl
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection


class CommandLocked(Exception):
    """Another run of the command holds the lock."""


def _advisory_key(name: str) -> int:
    """A stable 32-bit key for the name (PostgreSQL's advisory locks take a bigint)."""
    return zlib.crc32(f"naervaer:{name}".encode())


@contextmanager
def _postgres_lock(name: str) -> Iterator[None]:
    key = _advisory_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        if not cursor.fetchone()[0]:
            raise CommandLocked(name)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def _lock_path(name: str) -> Path:
    if connection.is_in_memory_db():
        return Path(settings.VAR_DIR) / f"{name}.lock"
    return Path(f"{connection.settings_dict['NAME']}.{name}.lock")


@contextmanager
def _file_lock(name: str) -> Iterator[None]:
    path = _lock_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CommandLocked(name) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def command_lock(name: str) -> Iterator[None]:
    """Hold the lock named ``name`` for the block; raise ``CommandLocked`` if another run has it."""
    if connection.vendor == "postgresql":
        with _postgres_lock(name):
            yield
    else:
        with _file_lock(name):
            yield
