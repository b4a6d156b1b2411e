"""Copy each encounter's minutes onto its attendance rows (as started_at already is), so peer minutes per
client are summed without joining every encounter."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_minutes(apps, schema_editor):
    Encounter = apps.get_model("care", "Encounter")
    EncounterAttendance = apps.get_model("care", "EncounterAttendance")
    EncounterAttendance.objects.update(duration_minutes=Subquery(
        Encounter.objects.filter(pk=OuterRef("encounter_id")).values("duration_minutes")[:1]))


class Migration(migrations.Migration):
    dependencies = [("care", "0003_peer_consultation")]

    operations = [
        migrations.AddField(model_name="encounterattendance", name="duration_minutes",
                            field=models.PositiveSmallIntegerField(default=0), preserve_default=False),
        migrations.RunPython(copy_minutes, migrations.RunPython.noop),
    ]
