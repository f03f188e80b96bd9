"""The access log is append-only and records who, when, what and from where."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from naervaer.audit import services
from naervaer.audit.context import AuditOriginMiddleware, current_origin
from naervaer.audit.models import AccessLog, AppendOnlyError

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_user():
    return get_user_model().objects.create_user(
        "hanne", password="x" * 12, first_name="Hanne", last_name="Hansen"
    )


def test_record_keeps_who_what_and_whom(hr_user) -> None:
    entry = services.record(
        hr_user, "read", "sick_note", 17, subject_employee_id=42, purpose="oppfølging"
    )
    stored = AccessLog.objects.get(pk=entry.pk)
    assert (stored.actor, stored.actor_username, stored.action) == (hr_user, "hanne", "read")
    assert (stored.actor_name, stored.actor_roles) == ("Hanne Hansen", "")
    assert (stored.object_type, stored.object_id, stored.subject_employee_id) == (
        "sick_note",
        "17",
        42,
    )
    assert stored.at is not None and stored.purpose == "oppfølging"


def test_origin_comes_from_the_request(hr_user) -> None:
    request = RequestFactory().get(
        "/saker/5/?fane=plan", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Firefox"
    )

    def view(_request):
        services.record(hr_user, "read", "case", 5, subject_employee_id=7)

    AuditOriginMiddleware(view)(request)
    entry = AccessLog.objects.get()
    assert (entry.ip_address, entry.path, entry.user_agent) == (
        "10.1.2.3",
        "/saker/5/?fane=plan",
        "Firefox",
    )
    assert current_origin.get().ip_address is None, "the origin must not leak past the request"


def test_unknown_action_is_refused(hr_user) -> None:
    with pytest.raises(ValueError, match="unknown audit action 'peek'"):
        services.record(hr_user, "peek", "case")
    assert AccessLog.objects.count() == 0


def test_anonymous_and_system_actors_are_named_system() -> None:
    assert services.record(None, "create", "case", 1).actor_username == "system"


def test_list_reads_log_one_entry_per_person(hr_user) -> None:
    assert services.record_reads(hr_user, "case_list", [3, 1, 3, 2]) == 3
    assert sorted(AccessLog.objects.values_list("subject_employee_id", flat=True)) == [1, 2, 3]


def test_orm_refuses_updates_and_deletes(hr_user) -> None:
    entry = services.record(hr_user, "read", "case", 1)
    entry.purpose = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=entry.pk).update(purpose="rewritten")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get(pk=entry.pk).purpose == ""


def test_database_refuses_raw_updates(hr_user) -> None:
    entry = services.record(hr_user, "read", "case", 1)
    with (
        pytest.raises(DatabaseError, match="cannot be updated"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_accesslog SET purpose = 'x' WHERE id = %s", [entry.pk])
    assert AccessLog.objects.get(pk=entry.pk).purpose == ""


@pytest.mark.parametrize(
    "statement",
    ["DELETE FROM audit_accesslog WHERE id = %s", "DELETE FROM audit_accesslog WHERE id <> %s"],
)
def test_database_refuses_raw_deletes(hr_user, statement) -> None:
    """On SQLite as on PostgreSQL: a trigger refuses the row DELETE, whatever the ORM says."""
    entry = services.record(hr_user, "read", "case", 1)
    services.record(hr_user, "read", "case", 2)
    with (
        pytest.raises(DatabaseError, match="cannot be deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [entry.pk])
    assert AccessLog.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_keeps_it_append_only() -> None:
    """Emptying every table (TRUNCATE on PostgreSQL, flush on SQLite) stays possible for maintenance
    and tests, and the triggers are in force again afterwards."""
    from django.core.management import call_command

    user = get_user_model().objects.create_user("tove", password="x" * 12)
    services.record(user, "read", "case", 1)
    call_command("flush", interactive=False, verbosity=0)
    assert AccessLog.objects.count() == 0
    entry = services.record(None, "read", "case", 1)
    with (
        pytest.raises(DatabaseError, match="cannot be deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_accesslog WHERE id = %s", [entry.pk])


def test_an_account_with_history_cannot_be_deleted(hr_user) -> None:
    from django.db.models import ProtectedError

    services.record(hr_user, "read", "case", 1)
    with pytest.raises(ProtectedError):
        hr_user.delete()
    assert AccessLog.objects.get().actor == hr_user
