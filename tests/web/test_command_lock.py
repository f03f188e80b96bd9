"""The cron commands' lock, on the database in use (file lock on SQLite, advisory lock on
PostgreSQL): a second run while the first holds it does nothing and says so."""

from __future__ import annotations

import argparse
import datetime
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection

from naervaer.followup import remind_cli
from naervaer.prevention import cli as prevention_cli
from naervaer.web.command_lock import CommandLocked, command_lock

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def held_elsewhere(name: str) -> Iterator[None]:
    """Hold the lock in another thread (its own database connection, as another process would)."""
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with command_lock(name):
                taken.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(30)
    try:
        yield
    finally:
        release.set()
        thread.join()


def test_a_second_holder_is_refused_until_the_first_lets_go():
    with held_elsewhere("remind"):
        with pytest.raises(CommandLocked), command_lock("remind"):
            pass
        with command_lock("prevention-remind"):  # another command's lock is free
            pass
    with command_lock("remind"):  # released
        pass


def test_remind_while_another_run_holds_the_lock_does_nothing(capsys):
    args = argparse.Namespace(today=datetime.date(2026, 10, 20), no_refresh=False)
    with held_elsewhere("remind"):
        assert remind_cli.run(args) == 0
    assert capsys.readouterr().out == "another `naervaer remind` is running; this run did nothing\n"
    assert remind_cli.run(args) == 0
    assert capsys.readouterr().out == "0 reminder e-mail(s) sent\n"


def test_prevention_remind_while_another_run_holds_the_lock_does_nothing(capsys):
    args = argparse.Namespace(action="remind", today=datetime.date(2026, 10, 20))
    with held_elsewhere("prevention-remind"):
        assert prevention_cli.run(args) == 0
    assert capsys.readouterr().out == (
        "another `naervaer prevention remind` is running; this run did nothing\n"
    )
