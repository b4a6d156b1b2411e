from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    """Give the attendees many-to-many table an explicit model (same table and columns: state only)."""

    dependencies = [
        ("workforce", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="SupervisionAttendance",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("supervisionsession", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="workforce.supervisionsession")),
                        ("staffmember", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "workforce_supervisionsession_attendees",
                        "unique_together": {("supervisionsession", "staffmember")},
                    },
                ),
                migrations.AlterField(
                    model_name="supervisionsession",
                    name="attendees",
                    field=models.ManyToManyField(related_name="supervision_sessions", through="workforce.SupervisionAttendance", to=settings.AUTH_USER_MODEL),
                ),
            ],
        ),
    ]
