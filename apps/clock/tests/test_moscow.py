from datetime import UTC, datetime, timedelta, timezone

import pytest

from apps.clock import moscow

# 21:30:05 UTC on 15 January 2024 is 00:30:05 the next day in Moscow.
INSTANT = datetime(2024, 1, 15, 21, 30, 5, 678_000, tzinfo=UTC)


def test_it_converts_a_utc_instant_to_moscow_wall_time():
    converted = moscow.moscow_time(INSTANT)
    assert converted.replace(tzinfo=None) == datetime(2024, 1, 16, 0, 30, 5, 678_000)


def test_it_keeps_the_instant_when_converting():
    assert moscow.moscow_time(INSTANT) == INSTANT


def test_it_names_the_moscow_zone_on_the_converted_time():
    assert moscow.moscow_time(INSTANT).tzname() == "MSK"


def test_it_converts_the_current_instant_by_default():
    before = datetime.now(UTC)
    converted = moscow.moscow_time()
    after = datetime.now(UTC)
    assert before <= converted <= after
    assert converted.utcoffset() == timedelta(hours=3)


def test_it_rejects_a_naive_datetime():
    with pytest.raises(ValueError, match="aware"):
        moscow.moscow_time(datetime(2024, 1, 15, 21, 30, 5))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (moscow.moscow_time(INSTANT), "+03:00"),
        # Moscow kept summer time until 2011.
        (moscow.moscow_time(datetime(2010, 7, 1, 12, tzinfo=UTC)), "+04:00"),
        (INSTANT, "+00:00"),
        (INSTANT.astimezone(timezone(timedelta(hours=5, minutes=45))), "+05:45"),
        (INSTANT.astimezone(timezone(-timedelta(hours=3, minutes=30))), "-03:30"),
        (INSTANT.astimezone(timezone(timedelta(hours=-10))), "-10:00"),
    ],
)
def test_it_formats_the_utc_offset_as_signed_hours_and_minutes(moment, expected):
    assert moscow.utc_offset(moment) == expected


def test_it_describes_a_moscow_moment_as_json_fields():
    assert moscow.as_json(moscow.moscow_time(INSTANT)) == {
        "iso": "2024-01-16T00:30:05+03:00",
        "unix": 1_705_354_205,
        "timezone": "Europe/Moscow",
        "utc_offset": "+03:00",
    }


def test_it_formats_the_page_fields_of_a_moscow_moment():
    page = moscow.as_page(moscow.moscow_time(INSTANT))
    assert page == {
        "iso": "2024-01-16T00:30:05.678000+03:00",
        "time": "00:30:05",
        "date": "Tuesday, 16 January 2024",
        "time_zone": "Europe/Moscow",
        "utc_offset": "+03:00",
    }
