"""Database triggers that keep published banks and stored results unchanged."""

from django.db import migrations

from assessments.migrations._triggers_v1 import create_triggers, drop_triggers


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
