"""Moscow time, as pure functions of an aware UTC instant.

The zone comes from zoneinfo; the tzdata package supplies it where the OS has
no zone files (the Alpine image).
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.utils import dateformat

TIME_ZONE_NAME = "Europe/Moscow"
MOSCOW = ZoneInfo(TIME_ZONE_NAME)


def moscow_time(instant=None):
    """`instant` (an aware datetime; now by default) as Moscow wall time."""
    if instant is None:
        instant = datetime.now(UTC)
    if instant.tzinfo is None:
        raise ValueError("moscow_time needs an aware datetime")
    return instant.astimezone(MOSCOW)


def utc_offset(moment):
    """The offset of an aware datetime as ±HH:MM."""
    return f"{moment:%:z}"


def as_page(moment):
    """What the page shows of a Moscow moment, formatted here rather than by
    template filters, which would first convert it to the active zone (UTC)."""
    return {
        "iso": moment.isoformat(),
        "time": dateformat.format(moment, "H:i:s"),
        "date": dateformat.format(moment, "l, j F Y"),
        "time_zone": TIME_ZONE_NAME,
        "utc_offset": utc_offset(moment),
    }


def as_json(moment):
    """What the API says about a Moscow moment."""
    return {
        "iso": moment.isoformat(timespec="seconds"),
        "unix": int(moment.timestamp()),
        "timezone": TIME_ZONE_NAME,
        "utc_offset": utc_offset(moment),
    }
