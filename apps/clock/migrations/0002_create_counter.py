from django.db import migrations


def create_counter(apps, schema_editor):
    VisitCounter = apps.get_model("clock", "VisitCounter")
    # COUNTER_ID in apps.clock.models; a migration must not import live code.
    VisitCounter.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("clock", "0001_initial")]

    operations = [migrations.RunPython(create_counter, migrations.RunPython.noop)]
