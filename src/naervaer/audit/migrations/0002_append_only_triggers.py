"""Database triggers that make the access log append-only below the ORM as well.

UPDATE is refused on both databases and row DELETE on PostgreSQL; 0003 refuses DELETE on SQLite
too (``naervaer.audit.sqlite`` keeps Django's flush working). PostgreSQL's TRUNCATE stays possible
for the same reason — production deployments revoke TRUNCATE from the application's role.
"""

from django.db import migrations

FORWARD = {
    "sqlite": [
        """CREATE TRIGGER audit_accesslog_no_update BEFORE UPDATE ON audit_accesslog
           BEGIN SELECT RAISE(ABORT, 'audit records cannot be updated'); END""",
    ],
    "postgresql": [
        """CREATE FUNCTION audit_accesslog_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN RAISE EXCEPTION USING MESSAGE = 'audit records cannot be ' || lower(TG_OP) || 'd'; END $$""",
        """CREATE TRIGGER audit_accesslog_append_only BEFORE UPDATE OR DELETE ON audit_accesslog
           FOR EACH ROW EXECUTE FUNCTION audit_accesslog_refuse()""",
    ],
}
REVERSE = {
    "sqlite": ["DROP TRIGGER audit_accesslog_no_update"],
    "postgresql": [
        "DROP TRIGGER audit_accesslog_append_only ON audit_accesslog",
        "DROP FUNCTION audit_accesslog_refuse()",
    ],
}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(REVERSE))]
