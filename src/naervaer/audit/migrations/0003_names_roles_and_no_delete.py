"""The actor's name and roles on each entry, and DELETE refused on SQLite too.

Adding the columns may make Django rebuild the table on SQLite, which drops its triggers, so both
SQLite triggers are (re)created after the columns are added.
"""

from django.db import migrations, models

from naervaer.audit import triggers


def _sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="accesslog",
            name="actor_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="actor_roles",
            field=models.CharField(blank=True, max_length=200, verbose_name="roles"),
        ),
        migrations.RunPython(_sqlite(triggers.SQLITE_CREATE), _sqlite(triggers.SQLITE_DROP[1:])),
    ]
