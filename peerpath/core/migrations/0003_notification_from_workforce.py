import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """``Notification`` moves from workforce to core. The table keeps its name and rows (state-only
    create); then the columns for reader-language rendering (kind + params) and the target are added."""

    dependencies = [
        ("core", "0002_audit_append_only"),
        ("workforce", "0003_notification_moves_to_core"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("is_active", models.BooleanField(default=True)),
                        ("message", models.CharField(max_length=300, verbose_name="message")),
                        ("link", models.CharField(blank=True, max_length=200)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        ("organisation", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.organisation")),
                        ("recipient", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"ordering": ["-created_at", "-id"], "db_table": "workforce_notification"},
                ),
            ],
        ),
        migrations.AlterField(
            model_name="notification", name="message",
            field=models.CharField(blank=True, max_length=300, verbose_name="message"),
        ),
        migrations.AddField(model_name="notification", name="kind", field=models.CharField(blank=True, max_length=80)),
        migrations.AddField(model_name="notification", name="params", field=models.JSONField(blank=True, default=dict)),
        migrations.AddField(model_name="notification", name="target_type", field=models.CharField(blank=True, max_length=60)),
        migrations.AddField(model_name="notification", name="target_id", field=models.CharField(blank=True, max_length=40)),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ),
    ]
