"""How a number, a KPI value or a date reads to a person, in English, Russian or Kazakh.

The terminal tables and the HTML reports share it. English groups thousands with a comma
and has a decimal point; Russian and Kazakh group with a narrow no-break space and have a
decimal comma. Date and month patterns follow CLDR's for each language.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

LANGUAGES = ("en", "ru", "kk")
NARROW_NBSP = "\u202f"
_SEPARATORS = {"en": {ord(","): ",", ord("."): "."}, "ru": {ord(","): NARROW_NBSP, ord("."): ","},
               "kk": {ord(","): NARROW_NBSP, ord("."): ","}}
_MILLION = {"en": "M", "ru": "млн", "kk": "млн"}
_BILLION = {"en": "bn", "ru": "млрд", "kk": "млрд"}
_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    # Russian dates take the genitive ("1 марта"); a month on its own the nominative.
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"),
    "kk": ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан",
           "қараша", "желтоқсан"),
}
_MONTHS_SHORT = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "ru": ("янв.", "февр.", "март", "апр.", "май", "июнь", "июль", "авг.", "сент.", "окт.", "нояб.", "дек."),
    "kk": ("қаң.", "ақп.", "нау.", "сәу.", "мам.", "мау.", "шіл.", "там.", "қыр.", "қаз.", "қар.", "жел."),
}


def format_number(value: int | float | Decimal, lang: str = "en", decimals: int = 0) -> str:
    """Grouped thousands and ``decimals`` digits after the language's decimal mark."""
    return f"{value:,.{decimals}f}".translate(_SEPARATORS[lang])


def format_percent(fraction: Decimal | float, lang: str = "en", decimals: int = 1) -> str:
    """A fraction 0..1 as a percentage: '12.5 %' (en), '12,5 %' (ru, kk)."""
    return f"{format_number(fraction * 100, lang, decimals)} %"


def format_value(value: Decimal | None, unit: str, lang: str = "en") -> str:
    """Shares as percent, ratios with two decimals, large counts in millions / billions."""
    if value is None:
        return "-"
    if unit == "share":
        return format_percent(value, lang)
    if unit == "ratio":
        return format_number(value, lang, 2)
    if abs(value) >= 1_000_000_000:
        return f"{format_number(value / 1_000_000_000, lang, 2)} {_BILLION[lang]}"
    if abs(value) >= 10_000_000:
        return f"{format_number(value / 1_000_000, lang, 1)} {_MILLION[lang]}"
    whole = value == value.to_integral_value() or abs(value) >= 100
    return format_number(value, lang, 0 if whole else 2)


def format_date(day: date, lang: str = "en") -> str:
    """'1 March 2024', '1 марта 2024 г.', '2024 ж. 1 наурыз'."""
    month = _MONTHS[lang][day.month - 1]
    return {"en": f"{day.day} {month} {day.year}", "ru": f"{day.day} {month} {day.year} г.",
            "kk": f"{day.year} ж. {day.day} {month}"}[lang]


def format_datetime(moment: datetime, lang: str = "en") -> str:
    """The date as format_date, then the time to the minute."""
    return f"{format_date(moment, lang)}, {moment:%H:%M}"


def format_month(year: int, month: int, lang: str = "en") -> str:
    """A month of a year, short: 'Mar 2024', 'март 2024 г.', '2024 ж. нау.'."""
    name = _MONTHS_SHORT[lang][month - 1]
    return {"en": f"{name} {year}", "ru": f"{name} {year} г.", "kk": f"{year} ж. {name}"}[lang]
