"""Both pages in English, Russian and Kazakh, rendered from fixture data: every message is in
every catalogue, and a Russian or Kazakh page shows no English label.

A failing check lists every untranslated text it found, so one run shows all that is left.
KPI and region names come from the seeds (kpi_catalogue, regions), as the marts carry them.
"""
from __future__ import annotations

import csv
import re
import string
from datetime import datetime, timezone
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from taza import config
from taza.reports.i18n import LANGUAGE_NAMES, MESSAGES, Texts, pick_language
from taza.reports.kpi_dashboard import dashboard_page
from taza.reports.kpi_data import group_series
from taza.reports.quality_data import KpiLineage
from taza.reports.quality_report import QualityData, quality_page

D = Decimal
GENERATED = datetime(2026, 11, 30, 8, 15, tzinfo=timezone.utc)
SWITCHER = [(lang, f"index.{lang}.html") for lang in ("en", "ru", "kk")]
# Latin words a Russian or Kazakh page may show: acronyms, proper nouns, the tools' and the schemas' names.
PROPER = {"KPI", "UTC", "DAG", "URL", "Taza", "English", "Great", "Expectations", "Data", "Docs", "sha256", "dbt", "OpenLineage",
          "parse", "staging"}
# Text that is data, not a label, and stays as written: what the pipeline wrote (reasons, batch
# messages) and the targets' source notes (quotes of the documents, a tooltip).
DATA_TEXT = ("cannot parse 'planted' as integer", "2 critical expectation(s) failed", "(O) Concept: 65 %")
# Headings a reader of each language sees first.
HEADINGS = {"en": ("Regions", "Overview"), "ru": ("Регионы", "Обзор"), "kk": ("Облыстар", "Шолу")}


def _seed(name: str) -> dict[str, dict]:
    with open(config.DBT_PROJECT_DIR / "seeds" / f"{name}.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {row[next(iter(row))]: row for row in rows}


KPIS, REGIONS = _seed("kpi_catalogue"), _seed("regions")


def _row(code, year, actual, *, variant="total", scope="national", region=None, status="on_track", partial=False,
         projected=None, target=None, kind=None, restated_from=None, reached=None):
    """A scorecard row in kpi_data.QUERY's column order, names from the seeds."""
    kpi, place = KPIS[code], REGIONS.get(region, {})
    return (code, kpi["kpi_name"], variant, scope, region, place.get("name_en"), year, actual, partial, projected,
            target, False, kpi["unit"], kpi["direction"], status, reached, kind, DATA_TEXT[2], "https://example.kz/doc",
            restated_from is not None, restated_from, kpi["kpi_name_ru"], kpi["kpi_name_kk"], kpi["unit_label_en"],
            kpi["unit_label_ru"], kpi["unit_label_kk"], place.get("name_ru"), place.get("name_kk"))


SCORECARD = group_series([
    _row("trees_planted_cumulative", 2024, D(1_520_000_000), target=D(1_400_000_000), kind="official_plan",
         reached=2027),
    _row("trees_planted_cumulative", 2025, D(1_700_000_000), partial=True, projected=D(1_800_000_000),
         target=D(1_700_000_000), status="at_risk", kind="interpolated_between_official_points", reached=2027),
    _row("trees_planted_cumulative", 2029, None, projected=D(2_300_000_000), target=D(2_000_000_000),
         kind="official_target", reached=2027),
    _row("seedling_survival_rate", 2024, D("0.61"), variant="year_1", target=D("0.65"), status="off_track",
         kind="official_target", restated_from=D("0.6")),
    _row("seedling_survival_rate", 2029, None, variant="year_1", projected=D("0.62"), target=D("0.65"),
         status="off_track", kind="official_target"),
    _row("dumps_detected", 2024, D(4800), status="no_target", target=D(4800), kind="estimate"),
    _row("msw_processing_share", 2024, D("0.258"), status="no_data"),
    _row("trees_planted_cumulative", 2024, D(90_000_000), scope="region", region="110000000"),
    _row("trees_planted_cumulative", 2024, D(70_000_000), scope="region", region="750000000"),
    _row("campaign_participation_rate", 2024, D("0.31"), scope="region", region="110000000"),
])


def _batch(dataset, month, status, **counts):
    start = datetime(2024, month, 1, tzinfo=timezone.utc)
    end = datetime(2024, month + 1, 1, tzinfo=timezone.utc)
    return {"dataset": dataset, "interval_start": start, "interval_end": end,
            "batch_id": f"{dataset}-{month:02d}-{'a' * 20}", "status": status, "received": 1200, "loaded": 1190,
            "quarantined": 10, "quarantined_landing": 4, "quarantined_validation": 6, "rejected": 0,
            "loaded_at": start, "validated_at": start, "message": None, "source_url": "https://sim/api",
            "run_id": "r", "critical_failed": 0, "warning_failed": 1, **counts}


BATCHES = [_batch("regional_planting_reports", 3, "validated"),
           _batch("regional_planting_reports", 4, "rejected", rejected=1190, critical_failed=2,
                  message=DATA_TEXT[1]),
           _batch("ams_telemetry", 4, "failed", loaded=0, quarantined=0, quarantined_landing=0,
                  quarantined_validation=0)]
FAILURES = [{"dataset": "regional_planting_reports", "interval_start": BATCHES[1]["interval_start"],
             "batch_id": BATCHES[1]["batch_id"], "status": "rejected", "position": 1,
             "expectation": "expect_column_values_to_be_between(planted)", "severity": "critical", "scope": "row",
             "observed_value": {"min": -5}, "unexpected_count": 6, "quarantined_count": 6, "sample": None,
             "records": [{"record_hash": "f" * 64, "reason": DATA_TEXT[0], "record": {"planted": "-5"}}]},
            {"dataset": "regional_planting_reports", "interval_start": BATCHES[0]["interval_start"],
             "batch_id": BATCHES[0]["batch_id"], "status": "validated", "position": 2,
             "expectation": "expect_table_row_count_to_be_between", "severity": "warning", "scope": "batch",
             "observed_value": 1200, "unexpected_count": None, "quarantined_count": 0, "sample": {"a": 1},
             "records": []}]
LINEAGE = [KpiLineage("kpi_trees_planted", ["stg_regional__planting_reports"],
                      ["year", "scope", "trees_planted_cumulative", "is_partial_year"],
                      [(2024, "national", 1_520_000_000, False), (2025, "national", 1_700_000_000, True)],
                      {2024: [{"dataset": "regional_planting_reports", "batch_id": BATCHES[0]["batch_id"],
                               "interval_start": BATCHES[0]["interval_start"],
                               "interval_end": BATCHES[0]["interval_end"], "status": "validated", "records": 1190,
                               "land_lineage_run_id": "019a0000-0000-7000-8000-00000000000a",
                               "gate_lineage_run_id": None,
                               "source_urls": ["https://sim/api"], "sample_hashes": ["e" * 64],
                               "hashes_sha256": "d" * 64}]}),
           KpiLineage("kpi_other", [], ["year"], [], note="lineage.no_lineage")]
KPI_BUILDS = [{"build_id": 2, "run_id": "asset_triggered__2026-11-24", "started_at": GENERATED, "succeeded_at": None,
               "is_full": False, "cause": "inputs_changed", "nodes_built": 21,
               "changed_datasets": ["regional_planting_reports"], "missing_relations": ["dim_date"]},
              {"build_id": 1, "run_id": "manual__2026-11-23", "started_at": GENERATED, "succeeded_at": GENERATED,
               "is_full": True, "cause": "first_build", "nodes_built": None, "changed_datasets": [],
               "missing_relations": []}]
QUALITY = QualityData(BATCHES, FAILURES, [("regional_planting_reports", "landing", DATA_TEXT[0], 4),
                                          ("regional_planting_reports", "validation", "expect_x", 6)], LINEAGE,
                      kpi_builds=KPI_BUILDS)


def render(page: str, lang: str) -> str:
    if page == "kpi":
        return dashboard_page(SCORECARD, Texts(lang), GENERATED, SWITCHER)
    return quality_page(QUALITY, Texts(lang), GENERATED, SWITCHER)


class _ShownText(HTMLParser):
    """The text a reader sees or hears: text nodes and title / aria-label attributes, without
    code, preformatted records and the stylesheet."""

    SKIP = {"style", "code", "pre"}

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        if not self.skipping:
            self.texts += [value for name, value in attrs if name in ("title", "aria-label") and value]

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.texts.append(data.strip())


def shown_text(html: str) -> list[str]:
    parser = _ShownText()
    parser.feed(html)
    texts = parser.texts
    for data in DATA_TEXT:
        texts = [text.replace(data, "") for text in texts]
    return texts


def _fields(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def test_every_message_is_in_every_language_with_the_same_placeholders():
    keys = {lang: set(messages) for lang, messages in MESSAGES.items()}
    assert set(MESSAGES) == set(LANGUAGE_NAMES) == {"en", "ru", "kk"}
    missing = {lang: sorted(keys["en"] ^ keys[lang]) for lang in ("ru", "kk") if keys["en"] != keys[lang]}
    assert not missing, f"keys not in both catalogues: {missing}"
    wrong = [(lang, key) for lang in ("ru", "kk") for key in keys["en"]
             if not MESSAGES[lang][key].strip() or _fields(MESSAGES[lang][key]) != _fields(MESSAGES["en"][key])]
    assert not wrong, f"empty, or placeholders differ from English: {wrong}"


def test_kazakh_is_written_in_kazakh_letters():
    kazakh = "".join(MESSAGES["kk"].values())
    assert set("әғқңөұүі") <= set(kazakh), "the Kazakh catalogue uses Kazakh Cyrillic letters"
    assert "Таза Қазақстан" in kazakh and "облыс" in kazakh.lower() and "мақсат" in kazakh


@pytest.mark.parametrize("page", ["kpi", "quality"])
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_russian_or_kazakh_page_shows_no_english_label(page, lang):
    texts = shown_text(render(page, lang))
    english = sorted({word for text in texts for word in re.findall(r"[A-Za-z][A-Za-z\d_.*']+", text)
                      if word not in PROPER and not re.search(r"[_.\d*]", word)})
    assert not english, f"untranslated words on the {lang} {page} page: {english}"
    joined = "\n".join(texts)
    labels = sorted({en for key, en in MESSAGES["en"].items() if en != MESSAGES[lang][key] and not _fields(en)
                     and "<" not in en and re.search(rf"\b{re.escape(en)}\b", joined)})
    assert not labels, f"English labels on the {lang} {page} page: {labels}"


@pytest.mark.parametrize("page", ["kpi", "quality"])
@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_each_page_declares_its_language_and_links_to_the_others(page, lang):
    html = render(page, lang)
    assert f'<html lang="{lang}">' in html
    assert HEADINGS[lang][0 if page == "kpi" else 1] in html
    for other, href in SWITCHER:
        current = ' aria-current="page"' if other == lang else ""
        assert f'<a href="{href}" hreflang="{other}" lang="{other}"{current}>{LANGUAGE_NAMES[other]}</a>' in html


def test_names_units_numbers_and_dates_follow_the_language():
    kk = render("kpi", "kk")
    assert KPIS["trees_planted_cumulative"]["kpi_name_kk"] in kk and REGIONS["110000000"]["name_kk"] in kk
    assert "1,52 млрд" in kk and "жоспар бойынша" in kk and "(үлес)" in kk and "(1-жыл)" in kk
    assert "2026 ж. 30 қараша, 08:15 UTC" in kk
    ru = render("quality", "ru")
    assert "1\u202f200" in ru and "1 марта 2024 г." in ru and "март 2024 г." in ru and "отклонён" in ru
    en = render("kpi", "en")
    assert "1.52 bn" in en and "Akmola Region" in en and "on track" in en and "30 November 2026, 08:15 UTC" in en


@pytest.mark.parametrize(("requested", "lang"), [("kk", "kk"), ("ru", "ru"), ("en", "en"), (None, "en"),
                                                  ("de", "en"), ("KK", "en")])
def test_an_unknown_language_falls_back_to_english(requested, lang):
    assert pick_language(requested) == lang
