"""A hostile value from a source is shown as text, never run as markup: GX Data Docs and our reports.

A real landing and a real gate run (Great Expectations) of planting reports whose
``programme`` and ``region_kato`` carry HTML; the failing rows are quarantined and their
values appear in the run's Data Docs and in the data-quality report.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from taza.load.raw import land_batch
from taza.quality.gate import validate_batches
from taza.quality.gx_runner import build_data_docs
from taza.sources.http import Page
from taza.sources.regional import PLANTING_REPORTS

pytestmark = pytest.mark.integration

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = '"><script>alert(2)</script>'
# A month before the programme's history and before every other test's batches.
INTERVAL = (datetime(2018, 4, 1, tzinfo=timezone.utc), datetime(2018, 5, 1, tzinfo=timezone.utc))


def report(n: int, **changes) -> dict:
    return {"report_id": f"XSS-2018-04-{n}", "region_kato": "110000000", "region_name": "Akmola Region",
            "district": "Burabay District", "period": "2018-04", "programme": "state_forest_fund",
            "trees_planted": 1000 + n, "area_ha": 0.5, "reported_at": "2018-05-03T09:00:00+05:00", **changes}


@pytest.fixture(scope="module")
def hostile_gate_run(warehouse_url, tmp_path_factory):
    """Reports dir of a gate run over one batch with a hostile programme and region code (1 of 10 rows each)."""
    reports = tmp_path_factory.mktemp("reports")
    patch = pytest.MonkeyPatch()
    patch.setenv("TAZA_REPORTS_DIR", str(reports))
    records = [report(n) for n in range(8)] + [report(8, programme=IMG), report(9, region_kato=SCRIPT)]
    page = Page(url="http://test/regional/v1/planting-reports?page=1", body=json.dumps(records).encode(),
                records=records, number=1)
    batch = land_batch(warehouse_url, PLANTING_REPORTS, [page], *INTERVAL, source_url="http://test")
    run_start = datetime.now(timezone.utc)
    [verdict] = validate_batches(warehouse_url, PLANTING_REPORTS, [batch.batch_id])
    build_data_docs(since=run_start)
    yield reports, verdict
    patch.undo()


def test_the_hostile_rows_are_quarantined(hostile_gate_run):
    _, verdict = hostile_gate_run
    assert verdict.passed and verdict.quarantined == 2


def test_data_docs_show_hostile_values_as_text(hostile_gate_run):
    reports, verdict = hostile_gate_run
    pages = {path: path.read_text() for path in (reports / "data-docs").rglob("*.html")}
    [validation_page] = [text for path, text in pages.items() if verdict.batch_id in path.name]
    assert "&lt;img src=x onerror=alert(1)&gt;" in validation_page, "the value is shown, escaped"
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in validation_page
    assert 'class="show-scrollbars"' in validation_page and "<table" in validation_page, "GX's own markup stays"
    for path, text in pages.items():
        assert IMG not in text and "<script>alert(2)" not in text, f"{path} renders a source value as markup"


def test_the_quality_report_shows_hostile_values_as_text(hostile_gate_run, warehouse_url):
    from taza.reports.quality_report import render_quality_report

    page = render_quality_report(warehouse_url)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page, "the quarantined record is listed"
    assert IMG not in page and "<script>alert(2)" not in page
