"""What both reference pages show: the Moscow time, and a visit count that
lives in the process (the references keep no database)."""

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

TIME_ZONE_NAME = "Europe/Moscow"
MOSCOW = ZoneInfo(TIME_ZONE_NAME)
# next() on a count is one C call, so threads never draw the same number.
_visits = itertools.count(1)


def context():
    """The template's variables for one visit."""
    return {
        "now": datetime.now(MOSCOW),
        "time_zone": TIME_ZONE_NAME,
        "visits": next(_visits),
    }
