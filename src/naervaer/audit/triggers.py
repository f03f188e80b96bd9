"""The database triggers that keep the access log append-only below the ORM.

SQLite and PostgreSQL both refuse UPDATE and DELETE of a row. Emptying the whole table stays
possible as a maintenance operation on both (PostgreSQL's TRUNCATE, Django's ``flush``), and
only through it: see ``naervaer.audit.sqlite`` for SQLite's flush.
"""

from __future__ import annotations

TABLE = "audit_accesslog"

SQLITE_CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_accesslog_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit records cannot be updated'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_accesslog_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit records cannot be deleted'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_accesslog_no_update",
    "DROP TRIGGER IF EXISTS audit_accesslog_no_delete",
]
