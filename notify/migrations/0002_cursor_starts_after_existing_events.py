from django.db import migrations
from django.db.models import Max

# Notifications start with the events written after this: an existing installation's history is
# not sent out as news on the first run of the worker.


def start_cursor(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    Cursor = apps.get_model("notify", "Cursor")
    last = CaseEvent.objects.aggregate(last=Max("id"))["last"] or 0
    Cursor.objects.update_or_create(name="case-events", defaults={"last_event_id": last})


def remove_cursor(apps, schema_editor):
    apps.get_model("notify", "Cursor").objects.filter(name="case-events").delete()


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial"), ("cases", "0008_case_notify_consent")]

    operations = [migrations.RunPython(start_cursor, remove_cursor)]
