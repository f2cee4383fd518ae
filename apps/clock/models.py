from django.db import models, transaction
from django.db.models import F

from apps.clock.write_lock import counter_write_lock

# The counter is a single row, made by migration 0002.
COUNTER_ID = 1


class VisitCounter(models.Model):
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "visit counter"

    def __str__(self):
        return f"{self.count} visits"


def record_visit():
    """Count one visit and return the new total.

    The increment happens inside the database (count = count + 1), and the
    transaction is IMMEDIATE (settings.DATABASES), so each writer reads back
    its own total. Writers queue for counter_write_lock first, so that SQLite
    itself seldom makes one wait.
    """
    with counter_write_lock(), transaction.atomic():
        VisitCounter.objects.filter(pk=COUNTER_ID).update(count=F("count") + 1)
        return visit_count()


def visit_count():
    return VisitCounter.objects.values_list("count", flat=True).get(pk=COUNTER_ID)
