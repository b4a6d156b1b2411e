from django.db import migrations


def load(apps, schema_editor):
    from peerpath.measures.library import load_shipped

    load_shipped(apps)


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
