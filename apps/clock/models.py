from contextlib import nullcontext

from django.db import connection, models

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

    One statement increments the row and returns what it wrote (RETURNING:
    SQLite >= 3.35, PostgreSQL), so each writer gets its own total with no
    read after the write, however many processes and replicas write at once.
    On SQLite, writers queue for counter_write_lock first, so that SQLite
    itself seldom makes one wait; PostgreSQL locks the row alone.
    """
    quote = connection.ops.quote_name
    meta = VisitCounter._meta
    count = quote(meta.get_field("count").column)
    # Identifiers from the model, quoted; the one value is a parameter.
    statement = (
        f"UPDATE {quote(meta.db_table)} SET {count} = {count} + 1"  # noqa: S608
        f" WHERE {quote(meta.pk.column)} = %s RETURNING {count}"
    )
    lock = counter_write_lock() if connection.vendor == "sqlite" else nullcontext()
    with lock, connection.cursor() as cursor:
        cursor.execute(statement, [COUNTER_ID])
        return cursor.fetchone()[0]


def visit_count():
    return VisitCounter.objects.values_list("count", flat=True).get(pk=COUNTER_ID)
