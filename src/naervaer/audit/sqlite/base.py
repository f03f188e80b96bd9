"""Django's SQLite backend, with a flush that keeps the access log's triggers.

Django empties tables on SQLite with DELETE (PostgreSQL uses TRUNCATE, which row triggers do not
see). The access log refuses DELETE at the database level, so ``flush`` — a maintenance and test
operation, the counterpart of TRUNCATE — lifts the triggers for its own statements and puts them
back in the same transaction. Every other DELETE is refused.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3 import base, operations

from naervaer.audit import triggers


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        statements = super().sql_flush(style, tables, **kwargs)
        if triggers.TABLE not in tables:
            return statements
        return [*triggers.SQLITE_DROP, *statements, *triggers.SQLITE_CREATE]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
