"""Numbers, KPI values and dates as a reader of each language expects them."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from taza.formatting import format_date, format_datetime, format_month, format_number, format_value

D = Decimal
NNBSP = "\u202f"  # narrow no-break space: the Russian and Kazakh thousands separator

CASES = {
    "en": {"number": "1,520,000,000", "billions": "1.52 bn", "millions": "15.2 M", "share": "12.5 %",
           "ratio": "1.05", "count": "4,800", "fraction": "0.75", "date": "1 March 2024",
           "datetime": "1 March 2024, 09:05", "month": "Mar 2024"},
    "ru": {"number": f"1{NNBSP}520{NNBSP}000{NNBSP}000", "billions": "1,52 млрд", "millions": "15,2 млн",
           "share": "12,5 %", "ratio": "1,05", "count": f"4{NNBSP}800", "fraction": "0,75",
           "date": "1 марта 2024 г.", "datetime": "1 марта 2024 г., 09:05", "month": "март 2024 г."},
    "kk": {"number": f"1{NNBSP}520{NNBSP}000{NNBSP}000", "billions": "1,52 млрд", "millions": "15,2 млн",
           "share": "12,5 %", "ratio": "1,05", "count": f"4{NNBSP}800", "fraction": "0,75",
           "date": "2024 ж. 1 наурыз", "datetime": "2024 ж. 1 наурыз, 09:05", "month": "2024 ж. нау."},
}


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_numbers_values_and_dates_read_as_in_the_language(lang):
    expected = CASES[lang]
    shown = {
        "number": format_number(1_520_000_000, lang),
        "billions": format_value(D(1_520_000_000), "trees", lang),
        "millions": format_value(D(15_200_000), "persons", lang),
        "share": format_value(D("0.125"), "share", lang),
        "ratio": format_value(D("1.05"), "ratio", lang),
        "count": format_value(D(4800), "dumps", lang),
        "fraction": format_value(D("0.75"), "days", lang),
        "date": format_date(date(2024, 3, 1), lang),
        "datetime": format_datetime(datetime(2024, 3, 1, 9, 5), lang),
        "month": format_month(2024, 3, lang),
    }
    assert shown == expected


def test_english_is_the_default_and_a_missing_value_is_a_dash():
    assert format_value(D("0.258"), "share") == "25.8 %" and format_value(None, "share", "kk") == "-"


@pytest.mark.parametrize(("lang", "months"), [
    ("ru", ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
            "ноября", "декабря"]),
    ("kk", ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша",
            "желтоқсан"])])
def test_every_month_is_spelled_in_the_language(lang, months):
    assert [format_date(date(2025, m, 2), lang).split()[-1 if lang == "kk" else 1] for m in range(1, 13)] == months
