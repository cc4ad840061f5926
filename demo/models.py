"""What demo data set is loaded, so that `load_demo` is a no-op when run again (make run)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DemoLoad(models.Model):
    """The demo data set in the database: at most one row, written in the loading transaction."""

    seed = models.BigIntegerField()
    scale = models.CharField(max_length=20)
    # Case dates count back from this day, so one seed gives the same data on the same day.
    anchor = models.DateTimeField()
    loaded_at = models.DateTimeField(auto_now_add=True)
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("demo data set")
        constraints = [
            # One data set at a time: `load_demo` replaces it and `--remove` deletes it.
            models.CheckConstraint(condition=Q(id=1), name="demo_demoload_single_row"),
        ]

    def __str__(self) -> str:
        return f"demo seed {self.seed}, {self.scale}"
