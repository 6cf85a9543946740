"""Small HTML building blocks shared by the reports: escaping, tables, cards, the page shell.

Everything is inline (one stylesheet in the page, no fonts, scripts or images fetched),
so a report opens offline from a file:// URL or an Airflow plugin view alike. Values are
formatted in the page's language (``lang``: en, ru, kk; taza.formatting).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from html import escape
from pathlib import Path

from taza.formatting import LANGUAGES, format_date, format_datetime, format_number
from taza.reports.i18n import LANGUAGE_NAMES, Texts

STYLE = """
:root { --ink:#1d2733; --muted:#5f6b7a; --line:#dde3ea; --bg:#f6f8fa; --card:#fff;
        --ok:#2f855a; --warn:#b7791f; --bad:#c53030; --accent:#2b6cb0; --quar:#dd6b20; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:var(--bg); }
header { background:#12324f; color:#fff; padding:24px 40px; }
header h1 { margin:0 0 4px; font-size:24px; font-weight:600; }
header p { margin:0; color:#c7d6e6; }
nav { background:#0d2740; padding:8px 40px; position:sticky; top:0; z-index:2; }
nav a { color:#c7d6e6; margin-right:18px; text-decoration:none; font-size:13px; }
nav a:hover { color:#fff; }
.languages { float:right; margin-top:-2px; }
.languages a { margin:0 0 0 6px; padding:2px 8px; border:1px solid #3c5a78; border-radius:4px;
              font-size:12px; color:#c7d6e6; text-decoration:none; }
.languages a[aria-current] { background:#c7d6e6; color:#12324f; }
main { padding:24px 40px 60px; max-width:1400px; }
section { margin-bottom:36px; }
h2 { font-size:19px; margin:0 0 4px; }
h3 { font-size:15px; margin:18px 0 6px; }
p.lead { color:var(--muted); margin:0 0 14px; max-width:900px; }
.cards { display:flex; flex-wrap:wrap; gap:14px; margin:14px 0 6px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 16px; min-width:150px; }
.card .value { font-size:24px; font-weight:600; }
.card .label { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
.card.ok .value { color:var(--ok); } .card.bad .value { color:var(--bad); } .card.warn .value { color:var(--warn); }
table { border-collapse:collapse; background:var(--card); border:1px solid var(--line); width:100%; margin:6px 0 12px; }
th, td { padding:6px 10px; border-bottom:1px solid var(--line); text-align:left; vertical-align:top; }
th { background:#eef2f6; font-size:12px; text-transform:uppercase; letter-spacing:.03em; color:var(--muted); }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
tr:hover td { background:#fafcff; }
code, .mono { font-family:ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size:12px; }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; font-weight:600; color:#fff; }
.badge.validated, .badge.pass { background:var(--ok); } .badge.rejected, .badge.critical, .badge.failed { background:var(--bad); }
.badge.warning { background:var(--warn); } .badge.loaded, .badge.loading, .badge.row, .badge.batch { background:#718096; }
details { background:var(--card); border:1px solid var(--line); border-radius:8px; margin:8px 0; padding:0 12px; }
details > summary { cursor:pointer; padding:10px 0; font-weight:600; }
details[open] > summary { border-bottom:1px solid var(--line); margin-bottom:8px; }
.muted { color:var(--muted); } .note { background:#fffbea; border:1px solid #f6e05e; padding:8px 12px; border-radius:6px; }
.grid { display:grid; grid-template-columns:repeat(auto-fill, minmax(320px, 1fr)); gap:14px; }
.chart { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:10px 12px; }
.chart h4 { margin:0 0 4px; font-size:13px; }
.legend span { display:inline-block; margin-right:14px; font-size:12px; color:var(--muted); }
.legend i { display:inline-block; width:10px; height:10px; margin-right:5px; border-radius:2px; vertical-align:middle; }
pre.record { white-space:pre-wrap; word-break:break-all; margin:2px 0 6px; font-size:11px; max-width:520px; color:#4a5568; }
.scroll { overflow-x:auto; }
code.wrap { white-space:normal; word-break:break-word; }
div.reason { font-size:12px; margin-bottom:6px; max-width:520px; }
details.record { border:none; padding:0; margin:0; background:none; }
details.record > summary { padding:0; font-weight:400; font-size:11px; color:var(--accent); }
"""


def esc(value) -> str:
    return escape("" if value is None else str(value))


def fmt(value, lang: str = "en") -> str:
    """Numbers with thousands separators, dates spelled, timestamps to the minute, None as a dash."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return Texts(lang)("yes" if value else "no")
    if isinstance(value, int):
        return format_number(value, lang)
    if isinstance(value, (float, Decimal)):
        return format_number(value, lang, 2)
    if isinstance(value, datetime):
        return format_datetime(value, lang)
    if isinstance(value, date):
        return format_date(value, lang)
    return str(value)


def badge(text: str, kind: str | None = None) -> str:
    return f'<span class="badge {esc(kind or text)}">{esc(text)}</span>'


class Raw(str):
    """Already-escaped HTML passed through table cells unchanged."""


def cell(value, lang: str = "en") -> str:
    return value if isinstance(value, Raw) else esc(fmt(value, lang))


def table(headers: Sequence[str], rows: Iterable[Sequence], numeric: Sequence[int] = (), css_class: str = "",
          lang: str = "en") -> str:
    """A table; columns whose index is in ``numeric`` are right-aligned."""
    head = "".join(f'<th class="num">{esc(h)}</th>' if i in numeric else f"<th>{esc(h)}</th>"
                   for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f'<td class="num">{cell(v, lang)}</td>' if i in numeric
                                    else f"<td>{cell(v, lang)}</td>" for i, v in enumerate(row)) + "</tr>"
                   for row in rows)
    return (f'<div class="scroll"><table class="{esc(css_class)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def cards(items: Iterable[tuple[str, object, str]], lang: str = "en") -> str:
    """KPI cards from (label, value, kind) with kind '', 'ok', 'warn' or 'bad'."""
    return '<div class="cards">' + "".join(
        f'<div class="card {esc(kind)}"><div class="value">{esc(fmt(value, lang))}</div>'
        f'<div class="label">{esc(label)}</div></div>' for label, value, kind in items) + "</div>"


def details(summary: str, body: str, open_: bool = False) -> str:
    return f'<details{" open" if open_ else ""}><summary>{summary}</summary>{body}</details>'


def section(anchor: str, title: str, lead: str, body: str) -> str:
    return f'<section id="{esc(anchor)}"><h2>{esc(title)}</h2><p class="lead">{lead}</p>{body}</section>'


def language_switcher(lang: str, hrefs: Sequence[tuple[str, str]]) -> str:
    """Links to the page in each language, (language, href), the current one marked."""
    current = ' aria-current="page"'
    links = "".join(
        f'<a href="{esc(href)}" hreflang="{esc(code)}" lang="{esc(code)}"{current if code == lang else ""}>'
        f"{esc(LANGUAGE_NAMES[code])}</a>" for code, href in hrefs)
    return f'<span class="languages" role="group" aria-label="{esc(Texts(lang)("language"))}">{links}</span>'


def page(title: str, subtitle: str, nav: Sequence[tuple[str, str]], body: str, lang: str = "en",
         languages: Sequence[tuple[str, str]] = ()) -> str:
    """The page shell: header, section links and, given (language, href) pairs, the language switcher."""
    links = "".join(f'<a href="#{esc(anchor)}">{esc(label)}</a>' for anchor, label in nav)
    switcher = language_switcher(lang, languages) if languages else ""
    return (f'<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>"
            f"<header><h1>{esc(title)}</h1><p>{subtitle}</p></header><nav>{switcher}{links}</nav>"
            f"<main>{body}</main></body></html>")


def export_name(lang: str) -> str:
    """The static export's file in a language: index.html (English), index.ru.html, index.kk.html."""
    return "index.html" if lang == "en" else f"index.{lang}.html"


def write_pages(out_dir: Path, render: Callable[[str, Sequence[tuple[str, str]]], str]) -> list[Path]:
    """Write ``render(lang, switcher links)`` for every language into ``out_dir``; the paths, English first."""
    out_dir.mkdir(parents=True, exist_ok=True)
    links = [(lang, export_name(lang)) for lang in LANGUAGES]
    paths = []
    for lang in LANGUAGES:
        path = out_dir / export_name(lang)
        path.write_text(render(lang, links), encoding="utf-8")
        paths.append(path)
    return paths
