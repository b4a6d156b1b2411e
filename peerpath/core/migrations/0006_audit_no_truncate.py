"""On PostgreSQL row triggers never see TRUNCATE: refuse it with a statement trigger too.
(The running role is not the table owner and has only INSERT/SELECT, see ``peerpath db_roles``;
this trigger also stops the owner's TRUNCATE, including one cascading from another table.)"""

from django.db import migrations

FORBID = """
CREATE TRIGGER core_auditevent_no_truncate
    BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION peerpath_audit_append_only();
"""
ALLOW = "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_audit_chain")]
    operations = [migrations.RunPython(forwards, backwards)]
