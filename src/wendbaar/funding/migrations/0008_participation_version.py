"""The participation monitor's version (`ParticipationVersion`): changed by the database on every change to
`funding_participation`, in the same transaction.

PostgreSQL: a deferred constraint trigger per row, so the version row is locked at COMMIT only (a command
that holds ledger accounts never waits for it while another transaction that holds the version waits for
those accounts); and one after TRUNCATE. SQLite has one writer at a time: plain row triggers.
"""

import random

from django.db import migrations, models

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION funding_participation_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO funding_participationversion (id, number) VALUES (1, floor(random() * 1e12)::bigint)
    ON CONFLICT (id) DO UPDATE SET number = funding_participationversion.number + 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
PG_TRIGGERS = (
    "CREATE CONSTRAINT TRIGGER funding_participation_changed AFTER INSERT OR UPDATE OR DELETE"
    " ON funding_participation DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION funding_participation_changed()",
    "CREATE TRIGGER funding_participation_truncated AFTER TRUNCATE ON funding_participation"
    " FOR EACH STATEMENT EXECUTE FUNCTION funding_participation_changed()",
)
SQLITE_TRIGGER = """
CREATE TRIGGER funding_participation_{event} AFTER {event} ON funding_participation BEGIN
    INSERT INTO funding_participationversion (id, number) VALUES (1, abs(random() % 1000000000000))
    ON CONFLICT (id) DO UPDATE SET number = number + 1;
END
"""
EVENTS = ("insert", "update", "delete")


def forwards(apps, schema_editor):
    version = apps.get_model("funding", "ParticipationVersion")
    version.objects.using(schema_editor.connection.alias).create(id=1, number=random.randrange(10**12))  # noqa: S311 - not a secret
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        for statement in PG_TRIGGERS:
            schema_editor.execute(statement)
    else:
        for event in EVENTS:
            schema_editor.execute(SQLITE_TRIGGER.format(event=event))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS funding_participation_changed ON funding_participation")
        schema_editor.execute("DROP TRIGGER IF EXISTS funding_participation_truncated ON funding_participation")
        schema_editor.execute("DROP FUNCTION IF EXISTS funding_participation_changed()")
    else:
        for event in EVENTS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS funding_participation_{event}")


class Migration(migrations.Migration):
    dependencies = [("funding", "0007_participation_paid_and_year")]

    operations = [
        migrations.CreateModel(
            name="ParticipationVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
