"""Moscow time, as pure functions of an aware UTC instant.

The zone comes from zoneinfo; the tzdata package supplies it where the OS has
no zone files (the Alpine image).
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

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
    minutes = int(moment.utcoffset().total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


# The page speaks English alone, whatever the C library's locale says.
DAY_NAMES = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def as_page(moment):
    """What the page shows of a Moscow moment, formatted once here rather than
    by template filters, which would first convert it to the active zone."""
    return {
        "iso": moment.isoformat(),
        "time": f"{moment:%H:%M:%S}",
        "date": (
            f"{DAY_NAMES[moment.weekday()]}, {moment.day} "
            f"{MONTH_NAMES[moment.month - 1]} {moment.year}"
        ),
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
