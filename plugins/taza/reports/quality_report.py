"""The auditors' data-quality report: one static HTML page from audit.*, quarantine.* and the marts.

For every dataset and interval it shows what arrived, what was loaded, quarantined (with
the reason) or rejected; every failed expectation with sample records; trends over time;
and, per KPI, the batches each figure was built from, down to source URLs and record
hashes. ``render_quality_report(url)`` returns the page (an Airflow plugin can serve
it); ``write_quality_report(url, out_dir)`` writes ``index.html``.
"""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

from taza.config import data_docs_dir, reports_dir
from taza.reports import charts
from taza.reports.html import Raw, badge, cards, details, esc, fmt, page, section, table
from taza.reports.quality_data import batches, failed_expectations, kpi_lineage, landing_reasons
from taza.warehouse.connection import connect
from taza.warehouse.roles import report_reader_url

TITLE = "Taza KPI warehouse — data quality"


def _month(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m")


def _totals(rows: list[dict]) -> dict:
    keys = ("received", "loaded", "quarantined", "quarantined_landing", "quarantined_validation", "rejected")
    totals = {k: sum(r[k] for r in rows) for k in keys}
    totals["batches"] = len(rows)
    for status in ("validated", "rejected", "failed"):
        totals[f"{status}_batches"] = sum(r["status"] == status for r in rows)
    totals["unbalanced"] = sum(r["status"] in ("loaded", "validated", "rejected")
                               and r["received"] != r["loaded"] + r["quarantined"] for r in rows)
    return totals


def _overview(rows: list[dict], failures: list[dict]) -> str:
    t = _totals(rows)
    balance = ("every batch balances: received = loaded + quarantined" if not t["unbalanced"]
               else f"{t['unbalanced']} batch(es) do not balance")
    body = cards([
        ("batches", t["batches"], ""), ("validated", t["validated_batches"], "ok"),
        ("rejected", t["rejected_batches"], "bad" if t["rejected_batches"] else "ok"),
        ("failed to land", t["failed_batches"], "bad" if t["failed_batches"] else "ok"),
        ("records received", t["received"], ""), ("loaded", t["loaded"], "ok"),
        ("quarantined", t["quarantined"], "warn" if t["quarantined"] else "ok"),
        ("in rejected batches", t["rejected"], "bad" if t["rejected"] else "ok"),
        ("failed expectations", len(failures), "warn" if failures else "ok")])
    body += f'<p class="{"muted" if not t["unbalanced"] else "note"}">{esc(balance)}.</p>'
    months = sorted({_month(r["interval_start"]) for r in rows})
    by_month: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    failures_by_month: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        bucket = by_month[_month(r["interval_start"])]
        bucket["loaded"] += r["loaded"] - r["rejected"]
        bucket["quarantined"] += r["quarantined"]
        bucket["rejected"] += r["rejected"]
    for f in failures:
        failures_by_month[_month(f["interval_start"])][f["severity"]] += 1
    body += '<div class="grid">' + charts.stacked_bars(
        "Records per month of data, all datasets", months,
        {name: [by_month[m][name] for m in months] for name in ("loaded", "quarantined", "rejected")})
    body += charts.lines(
        "Failed expectations per month of data", months,
        {name: [failures_by_month[m][name] for m in months] for name in ("critical", "warning")}) + "</div>"
    return section("overview", "Overview",
                   "Counts over every batch in <code>audit.batch</code>. Quarantined records are kept with their "
                   "reason; records of rejected batches stay in raw but no mart reads them.", body)


def _datasets(rows: list[dict]) -> str:
    by_dataset: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_dataset[r["dataset"]].append(r)
    summary = []
    trend_charts = []
    for name, items in by_dataset.items():
        t = _totals(items)
        rate = 100.0 * t["quarantined"] / t["received"] if t["received"] else 0.0
        summary.append((Raw(f'<a href="#batches-{esc(name)}">{esc(name)}</a>'), t["batches"], t["validated_batches"],
                        t["rejected_batches"], t["failed_batches"], t["received"], t["loaded"], t["quarantined_landing"],
                        t["quarantined_validation"], t["rejected"], f"{rate:.2f} %",
                        max(r["interval_start"] for r in items).date()))
        months = sorted({_month(r["interval_start"]) for r in items})
        per_month: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for r in items:
            m = per_month[_month(r["interval_start"])]
            m["loaded"] += r["loaded"] - r["rejected"]
            m["quarantined"] += r["quarantined"]
            m["rejected"] += r["rejected"]
        trend_charts.append(charts.stacked_bars(name, months, {k: [per_month[m][k] for m in months]
                                                               for k in ("loaded", "quarantined", "rejected")}))
    headers = ["dataset", "batches", "validated", "rejected", "failed", "received", "loaded",
               "quarantined at landing", "quarantined at validation", "records rejected", "quarantine rate",
               "latest interval"]
    body = table(headers, summary, numeric=range(1, 11)) + '<h3>Trends per dataset</h3><div class="grid">' + \
        "".join(trend_charts) + "</div>"
    return section("datasets", "Datasets", "Per raw dataset: batches by outcome and what happened to the records.",
                   body)


def _batches(rows: list[dict]) -> str:
    by_dataset: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_dataset[r["dataset"]].append(r)
    blocks = []
    for name, items in by_dataset.items():
        lines = [(f"{fmt(r['interval_start'].date())} → {fmt(r['interval_end'].date())}",
                  Raw(f'<code title="{esc(r["batch_id"])}">{esc(r["batch_id"][:12])}</code>'),
                  Raw(badge(r["status"])), r["received"], r["loaded"], r["quarantined_landing"],
                  r["quarantined_validation"], r["rejected"], r["critical_failed"], r["warning_failed"],
                  r["validated_at"], r["message"]) for r in reversed(items)]
        t = _totals(items)
        summary = (f'<span id="batches-{esc(name)}">{esc(name)}</span> <span class="muted">— {t["batches"]} '
                   f'batches, {fmt(t["received"])} received, {fmt(t["quarantined"])} quarantined, '
                   f'{t["rejected_batches"]} rejected</span>')
        blocks.append(details(summary, table(
            ["interval", "batch", "status", "received", "loaded", "quarantined (landing)",
             "quarantined (validation)", "rejected", "critical failed", "warnings", "validated at", "message"],
            lines, numeric=range(3, 10)), open_=bool(t["rejected_batches"] or t["failed_batches"])))
    return section("batches", "Batches per dataset and interval",
                   "Newest first. A rerun of an interval lands a new batch; staging reads the newest validated one.",
                   "".join(blocks) or '<p class="muted">No batch landed yet.</p>')


def _record(record) -> str:
    text = esc(json.dumps(record, ensure_ascii=False, default=str))
    return f'<details class="record"><summary>record</summary><pre class="record">{text}</pre></details>'


def _sample(failure: dict) -> str:
    if failure["records"]:
        return "".join(f'<div class="reason"><code>{esc(r["record_hash"][:12])}</code> {esc(r["reason"])}'
                       f'{_record(r["record"])}</div>' for r in failure["records"])
    return _record(failure["sample"]) if failure["sample"] else '<span class="muted">–</span>'


def _failure_group(items: list[dict]) -> tuple:
    """One table row for one expectation failing in one or more batches of a dataset."""
    first, latest = items[0], items[-1]
    expectation = (f'<code class="wrap">{esc(first["expectation"])}</code><br>{badge(first["severity"])} '
                   f'{badge(first["scope"])}')
    batches = table(["month", "batch", "status", "observed", "unexpected", "quarantined"],
                    [(_month(f["interval_start"]), Raw(f'<code>{esc(f["batch_id"])}</code>'), Raw(badge(f["status"])),
                      Raw(f'<code>{esc(json.dumps(f["observed_value"], default=str))}</code>'), f["unexpected_count"],
                      f["quarantined_count"]) for f in items], numeric=(4, 5))
    months = sorted({_month(f["interval_start"]) for f in items})
    span = months[0] if len(months) == 1 else f"{months[0]} … {months[-1]}"
    rejected = sum(f["status"] == "rejected" for f in items)
    in_batches = details(f'{len(items)} batch(es), {esc(span)}' + (f', {rejected} rejected' if rejected else ""),
                         batches)
    unexpected = sum(f["unexpected_count"] or 0 for f in items) if any(f["unexpected_count"] is not None
                                                                       for f in items) else None
    sample_from = next((f for f in reversed(items) if f["records"] or f["sample"]), latest)
    return (Raw(expectation), Raw(in_batches), unexpected, sum(f["quarantined_count"] for f in items),
            Raw(f'<div class="muted">{esc(_month(sample_from["interval_start"]))}</div>{_sample(sample_from)}'))


def _failures(failures: list[dict]) -> str:
    by_dataset: dict[str, dict[tuple, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for f in failures:
        by_dataset[f["dataset"]][f["expectation"], f["severity"], f["scope"]].append(f)
    blocks = []
    for name, groups in by_dataset.items():
        ordered = sorted(groups.values(), key=lambda g: (g[0]["severity"] != "critical", -len(g)))
        critical = sum(len(g) for g in ordered if g[0]["severity"] == "critical")
        summary = (f"{esc(name)} <span class='muted'>— {len(ordered)} expectation(s) failed, "
                   f"{sum(len(g) for g in ordered)} time(s); {critical} critical</span>")
        blocks.append(details(summary, table(
            ["expectation", "failed in", "unexpected rows", "quarantined", "sample records (latest)"],
            [_failure_group(g) for g in ordered], numeric=(2, 3)), open_=critical > 0))
    return section("failures", "Failed expectations",
                   "From each batch's latest validation (<code>audit.validation_result</code>), grouped by "
                   "expectation; open a row's batches for each failure. Row-scope critical failures quarantine the "
                   "failing rows (the samples are those records, as loaded); a batch is rejected by a critical "
                   "batch-scope failure or by more failing rows than the suite tolerates. Warnings never block.",
                   "".join(blocks) or '<p class="muted">No expectation failed.</p>')


def _reasons(reasons: list[tuple]) -> str:
    body = table(["dataset", "stage", "reason", "records"], reasons, numeric=(3,)) if reasons else \
        '<p class="muted">No record was quarantined.</p>'
    return section("reasons", "Why records were quarantined",
                   "Landing quarantines records that cannot be typed or repeat a natural key; validation those "
                   "failing a row-level expectation. The full record and reason are in "
                   "<code>quarantine.&lt;dataset&gt;</code>.", body)


def _value(column: str, value) -> str:
    """A KPI cell as text; years without thousands separators."""
    is_year = column.endswith("year") and isinstance(value, int) and 1900 <= value <= 2100
    return str(value) if is_year else fmt(value)


def _lineage(cursor) -> str:
    blocks = []
    for kpi in kpi_lineage(cursor):
        if kpi.note:
            blocks.append(f"<h3>marts.{esc(kpi.table)}</h3><p class='note'>{esc(kpi.note)}</p>")
            continue
        year_at = kpi.columns.index("year") if "year" in kpi.columns else None
        figure_rows = []
        # columns that are the same in every figure shown (the KPI code, the scope) go in the heading;
        # compared by repr, as some values are lists (the scorecard's lineage_batch_ids)
        varying = {i for i, c in enumerate(kpi.columns) if not c.startswith("_")
                   and len({repr(f[i]) for f in kpi.figures}) > 1} or set(range(len(kpi.columns)))
        constant = [f"{c} = {_value(c, kpi.figures[0][i])}" for i, c in enumerate(kpi.columns)
                    if kpi.figures and i not in varying and not c.startswith("_") and kpi.figures[0][i] is not None]
        for figure in kpi.figures:
            year = figure[year_at] if year_at is not None else None
            used = kpi.batches_by_year.get(year, []) if year is not None else \
                [b for group in kpi.batches_by_year.values() for b in group]
            batch_table = table(["dataset", "interval", "batch", "status", "records used", "source URLs",
                                 "record hashes (first)", "sha256 of all record hashes"],
                                [(b["dataset"], f"{fmt(b['interval_start'].date())} → {fmt(b['interval_end'].date())}",
                                  Raw(f"<code>{esc(b['batch_id'])}</code>"), Raw(badge(b["status"])), b["records"],
                                  Raw("<br>".join(f"<code>{esc(u)}</code>" for u in b["source_urls"])),
                                  Raw("<br>".join(f"<code>{esc(h[:16])}…</code>" for h in b["sample_hashes"])),
                                  Raw(f"<code>{esc(b['hashes_sha256'][:24])}…</code>")) for b in used],
                                numeric=(4,))
            label = " · ".join(f"{c} = {_value(c, v)}" for i, (c, v) in enumerate(zip(kpi.columns, figure))
                               if i in varying and v is not None)
            figure_rows.append(details(f"<code class='wrap'>{esc(label[:260])}</code> <span class='muted'>← {len(used)} "
                                       f"batch(es), {fmt(sum(b['records'] for b in used))} records</span>",
                                       batch_table))
        source = ", ".join(f"staging.{s}" for s in kpi.staging) or f"marts.{kpi.table}._batch_id"
        scope_note = ("A figure of year Y lists the batches whose interval lies in Y; cumulative figures also rest "
                      "on the earlier years." if year_at is not None else "Every figure rests on all batches below.")
        blocks.append(f"<h3>marts.{esc(kpi.table)}</h3><p class='muted'>Built from {esc(source)}. "
                      f"{scope_note}</p><p><code class='wrap'>{esc(' · '.join(constant))}</code></p>"
                      + "".join(figure_rows))
    return section("lineage", "KPI lineage",
                   "For each KPI table in the marts, its headline figures and the batches they were built from: "
                   "batch ids, source URLs and the hashes of the records used (the sha256 lets an auditor check "
                   "the exact record set).", "".join(blocks) or '<p class="muted">No KPI table built yet.</p>')


def render_quality_report(warehouse_url: str) -> str:
    """The report as one self-contained HTML page."""
    with connect(report_reader_url(warehouse_url)) as conn, conn.cursor() as cur:
        rows = batches(cur)
        failures = failed_expectations(cur)
        reasons = landing_reasons(cur)
        lineage = _lineage(cur)
    docs = data_docs_dir() / "index.html"
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    subtitle = (f"Generated {esc(generated)} from audit.*, quarantine.* and marts.*" +
                (' · <a style="color:#c7d6e6" href="../data-docs/index.html">Great Expectations Data Docs</a>'
                 if docs.exists() else ""))
    body = _overview(rows, failures) + _datasets(rows) + _failures(failures) + _reasons(reasons) + \
        lineage + _batches(rows)
    nav = [("overview", "Overview"), ("datasets", "Datasets"), ("failures", "Failed expectations"),
           ("reasons", "Quarantine reasons"), ("lineage", "KPI lineage"), ("batches", "Batches")]
    return page(TITLE, subtitle, nav, body)


def write_quality_report(warehouse_url: str, out_dir: Path | None = None) -> Path:
    """Write the report to ``<out_dir>/index.html`` (default reports/quality/); returns the path."""
    out_dir = Path(out_dir) if out_dir else reports_dir() / "quality"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "index.html"
    path.write_text(render_quality_report(warehouse_url), encoding="utf-8")
    return path
