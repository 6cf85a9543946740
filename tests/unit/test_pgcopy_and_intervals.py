"""COPY text encoding and the monthly split of data intervals."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from taza.load.pgcopy import copy_line, copy_value
from taza.pipeline.intervals import months_ending_within, parse_month, years_ending_within

pytestmark = pytest.mark.unit
UTC = timezone.utc


@pytest.mark.parametrize("value, text", [
    (None, "\\N"), (True, "t"), (False, "f"), (12, "12"), (Decimal("1.50"), "1.50"),
    (date(2024, 5, 1), "2024-05-01"), ("a\tb\nc\\d\re", "a\\tb\\nc\\\\d\\re"),
])
def test_copy_value_escapes_text_format(value, text):
    assert copy_value(value) == text


def test_a_month_belongs_to_the_run_whose_interval_holds_its_end():
    monthly_run = months_ending_within(datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 2, 1, tzinfo=UTC))
    assert monthly_run == [(datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 2, 1, tzinfo=UTC))]
    daily_runs = [months_ending_within(datetime(2024, 1, d, tzinfo=UTC), datetime(2024, 1, d + 1, tzinfo=UTC))
                  for d in range(1, 31)]
    assert all(m == [] for m in daily_runs), "no month is complete inside January"
    last_day = months_ending_within(datetime(2024, 1, 31, tzinfo=UTC), datetime(2024, 2, 1, tzinfo=UTC))
    assert last_day == monthly_run


def test_a_whole_history_run_gets_every_complete_month_across_years():
    months = months_ending_within(datetime(2023, 11, 1, tzinfo=UTC), datetime(2024, 2, 15, tzinfo=UTC))
    assert [(m[0].year, m[0].month) for m in months] == [(2023, 11), (2023, 12), (2024, 1)]


def test_years_ending_within():
    history = years_ending_within(datetime(2021, 1, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC))
    assert [y[0].year for y in history] == [2021, 2022, 2023, 2024, 2025]
    december_run = years_ending_within(datetime(2024, 12, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC))
    assert [y[0].year for y in december_run] == [2024]
    assert years_ending_within(datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 2, 1, tzinfo=UTC)) == []


def test_naive_bounds_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        months_ending_within(datetime(2024, 1, 1), datetime(2024, 2, 1))


def test_parse_month_names_the_bad_value():
    assert parse_month("2021-01") == datetime(2021, 1, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="'2021/01'"):
        parse_month("2021/01")


def test_copy_line_is_tab_separated_with_newline():
    assert copy_line(("a\tb", None, 3, date(2024, 5, 1))) == "a\\tb\t\\N\t3\t2024-05-01\n"
