from django.db import migrations


class Migration(migrations.Migration):
    """Notifications now belong to core (``core.Notification``, same table): state only, no data moves."""

    dependencies = [
        ("workforce", "0002_supervision_attendance"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="Notification")],
        ),
    ]
