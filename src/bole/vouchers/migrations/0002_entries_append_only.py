"""Fund entries are append-only: on PostgreSQL a trigger refuses UPDATE and DELETE of a row (a correction is a
new entry). SQLite has the same rule in the services only."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION vouchers_fundentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'vouchers_fundentry is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER vouchers_fundentry_append_only BEFORE UPDATE OR DELETE ON vouchers_fundentry
    FOR EACH ROW EXECUTE FUNCTION vouchers_fundentry_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS vouchers_fundentry_append_only ON vouchers_fundentry;
DROP FUNCTION IF EXISTS vouchers_fundentry_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("vouchers", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
