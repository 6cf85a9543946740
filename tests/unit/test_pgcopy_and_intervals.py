"""COPY text encoding and the monthly split of data intervals."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from taza.load.pgcopy import copy_value
from taza.pipeline.intervals import months_between, parse_month

pytestmark = pytest.mark.unit
UTC = timezone.utc


@pytest.mark.parametrize("value, text", [
    (None, "\\N"), (True, "t"), (False, "f"), (12, "12"), (Decimal("1.50"), "1.50"),
    (date(2024, 5, 1), "2024-05-01"), ("a\tb\nc\\d\re", "a\\tb\\nc\\\\d\\re"),
])
def test_copy_value_escapes_text_format(value, text):
    assert copy_value(value) == text


def test_months_between_covers_whole_months_only():
    months = months_between(datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 4, 1, tzinfo=UTC))
    assert [m[0].month for m in months] == [1, 2, 3]
    assert months[-1][1] == datetime(2024, 4, 1, tzinfo=UTC)
    assert months_between(datetime(2024, 1, 15, tzinfo=UTC), datetime(2024, 3, 1, tzinfo=UTC))[0][0] \
        == datetime(2024, 2, 1, tzinfo=UTC)


def test_months_between_crosses_year_end():
    months = months_between(datetime(2023, 11, 1, tzinfo=UTC), datetime(2024, 2, 1, tzinfo=UTC))
    assert [(m[0].year, m[0].month) for m in months] == [(2023, 11), (2023, 12), (2024, 1)]


def test_naive_bounds_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        months_between(datetime(2024, 1, 1), datetime(2024, 2, 1))


def test_parse_month_names_the_bad_value():
    assert parse_month("2021-01") == datetime(2021, 1, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="'2021/01'"):
        parse_month("2021/01")
