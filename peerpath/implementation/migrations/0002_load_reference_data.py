"""Load the shipped reference data (CFIR 2.0/2009, crosswalk, ERIC, barrier→strategy table,
readiness instruments, templates) — idempotent, see peerpath.implementation.reference.loader."""

from django.db import migrations


def load(apps, schema_editor):
    from peerpath.implementation.reference.loader import load_all

    load_all(lambda name: apps.get_model("implementation", name))


class Migration(migrations.Migration):
    dependencies = [("implementation", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
