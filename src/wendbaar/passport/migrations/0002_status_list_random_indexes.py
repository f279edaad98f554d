"""Status lists remember every index given out (a bitmap) instead of the next sequential one (issue #17)."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models


def sequential_to_bitmap(apps: Any, schema_editor: Any) -> None:
    """Mark the indexes 0..next_index-1 as given out (they were handed out in order before); number the lists."""
    StatusList = apps.get_model("passport", "StatusList")
    numbers: dict[tuple[str, str], int] = {}
    for status_list in StatusList.objects.order_by("id"):
        key = str(status_list.organisation.uuid) if status_list.organisation_id else "platform"
        numbers[(key, status_list.purpose)] = numbers.get((key, status_list.purpose), 0) + 1
        status_list.issuer_key, status_list.number = key, numbers[(key, status_list.purpose)]
        taken = bytearray(status_list.size // 8)
        full, rest = divmod(status_list.next_index, 8)
        taken[:full] = b"\xff" * full
        if rest:
            taken[full] = (0xFF << (8 - rest)) & 0xFF
        status_list.allocated = bytes(taken)
        status_list.allocated_count = status_list.next_index
        status_list.save(update_fields=["allocated", "allocated_count", "issuer_key", "number"])


class Migration(migrations.Migration):
    dependencies = [("passport", "0001_initial")]

    operations = [
        migrations.AddField(model_name="statuslist", name="allocated", field=models.BinaryField(default=b"")),
        migrations.AddField(
            model_name="statuslist", name="allocated_count", field=models.PositiveIntegerField(default=0)
        ),
        migrations.AddField(
            model_name="statuslist", name="issuer_key", field=models.CharField(default="platform", max_length=40)
        ),
        migrations.AddField(model_name="statuslist", name="number", field=models.PositiveIntegerField(default=1)),
        migrations.RunPython(sequential_to_bitmap, migrations.RunPython.noop),
        migrations.RemoveField(model_name="statuslist", name="next_index"),
        migrations.AddConstraint(
            model_name="statuslist",
            constraint=models.CheckConstraint(
                condition=models.Q(allocated_count__lte=models.F("size")), name="status_list_not_overfull"
            ),
        ),
        migrations.AddConstraint(
            model_name="statuslist",
            constraint=models.UniqueConstraint(
                fields=("issuer_key", "purpose", "number"), name="status_list_number_unique"
            ),
        ),
    ]
