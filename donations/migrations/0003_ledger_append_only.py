"""On PostgreSQL the database itself refuses to change or delete a ledger row, not only the code.

TRUNCATE is left alone: it is how test databases are emptied, and no code path of the portal uses it.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION donations_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'donations_ledgerentry is append-only: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS donations_ledger_append_only ON donations_ledgerentry;
CREATE TRIGGER donations_ledger_append_only
    BEFORE UPDATE OR DELETE ON donations_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION donations_ledger_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS donations_ledger_append_only ON donations_ledgerentry;
DROP FUNCTION IF EXISTS donations_ledger_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("donations", "0002_campaigns_ledger")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
