"""The auditors' data-quality report: one static HTML page from audit.*, quarantine.* and the marts.

For every dataset and interval it shows what arrived, what was loaded, quarantined (with
the reason) or rejected; every failed expectation with sample records; trends over time;
and, per KPI, the batches each figure was built from, down to source URLs and record
hashes; and the latest KPI builds, each with what it rebuilt and why. The page is in English,
Russian or Kazakh (taza.reports.i18n).
``render_quality_report(url, lang)`` returns the page (the Airflow plugin serves it);
``write_quality_report(url, out_dir)`` writes it in every language (index.html,
index.ru.html, index.kk.html).
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from taza.config import data_docs_dir, reports_dir
from taza.formatting import format_datetime, format_month, format_number
from taza.reports import charts
from taza.reports.html import Raw, badge, cards, details, esc, fmt, page, section, table, write_pages
from taza.reports.i18n import Texts
from taza.reports.quality_data import (KPI_BUILDS_SHOWN, KpiLineage, batches, failed_expectations, kpi_builds,
                                       kpi_lineage, landing_reasons)
from taza.warehouse.connection import connect
from taza.warehouse.roles import report_reader_url

NAV = ("overview", "datasets", "failures", "reasons", "lineage", "builds", "batches")
RECORD_SERIES = ("loaded", "quarantined", "rejected")


@dataclass(frozen=True)
class QualityData:
    """What the report shows, read once and rendered in each language."""
    batches: list[dict]
    failures: list[dict]
    reasons: list[tuple]
    lineage: list[KpiLineage]
    has_data_docs: bool = False
    kpi_builds: list[dict] = field(default_factory=list)


def _month(value: datetime) -> tuple[int, int]:
    utc = value.astimezone(timezone.utc)
    return utc.year, utc.month


def _month_text(month: tuple[int, int], t: Texts) -> str:
    return format_month(*month, t.lang)


def _words(group: str, keys: Sequence[str], t: Texts) -> dict[str, str]:
    return {key: t(f"{group}.{key}") for key in keys}


def _status(status: str, t: Texts) -> str:
    """A batch status as a badge: the word in the page's language, the colour by the status."""
    return badge(t.word("batch", status), status)


def _totals(rows: list[dict]) -> dict:
    keys = ("received", "loaded", "quarantined", "quarantined_landing", "quarantined_validation", "rejected")
    totals = {k: sum(r[k] for r in rows) for k in keys}
    totals["batches"] = len(rows)
    for status in ("validated", "rejected", "failed"):
        totals[f"{status}_batches"] = sum(r["status"] == status for r in rows)
    totals["unbalanced"] = sum(r["status"] in ("loaded", "validated", "rejected")
                               and r["received"] != r["loaded"] + r["quarantined"] for r in rows)
    return totals


def _overview(rows: list[dict], failures: list[dict], t: Texts) -> str:
    n = _totals(rows)
    balance = t("overview.unbalanced", count=n["unbalanced"]) if n["unbalanced"] else t("overview.balanced")
    body = cards([
        (t("card.batches"), n["batches"], ""), (t("card.validated"), n["validated_batches"], "ok"),
        (t("card.rejected"), n["rejected_batches"], "bad" if n["rejected_batches"] else "ok"),
        (t("card.failed"), n["failed_batches"], "bad" if n["failed_batches"] else "ok"),
        (t("card.received"), n["received"], ""), (t("card.loaded"), n["loaded"], "ok"),
        (t("card.quarantined"), n["quarantined"], "warn" if n["quarantined"] else "ok"),
        (t("card.in_rejected"), n["rejected"], "bad" if n["rejected"] else "ok"),
        (t("card.failed_expectations"), len(failures), "warn" if failures else "ok")], t.lang)
    body += f'<p class="{"muted" if not n["unbalanced"] else "note"}">{esc(balance)}.</p>'
    months = sorted({_month(r["interval_start"]) for r in rows})
    labels = [_month_text(m, t) for m in months]
    by_month = _records_by_month(rows)
    failures_by_month: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for f in failures:
        failures_by_month[_month(f["interval_start"])][f["severity"]] += 1
    body += '<div class="grid">' + charts.stacked_bars(
        t("overview.records_chart"), labels, {name: [by_month[m][name] for m in months] for name in RECORD_SERIES},
        names=_words("records", RECORD_SERIES, t), lang=t.lang)
    body += charts.lines(
        t("overview.failures_chart"), labels,
        {name: [failures_by_month[m][name] for m in months] for name in ("critical", "warning")},
        names=_words("severity", ("critical", "warning"), t), lang=t.lang) + "</div>"
    return section("overview", t("overview.title"), t("overview.lead"), body)


def _records_by_month(rows: list[dict]) -> dict[tuple, dict[str, int]]:
    """Records per month of the batches' intervals, as RECORD_SERIES: loaded (outside rejected
    batches), quarantined, rejected."""
    by_month: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        bucket = by_month[_month(r["interval_start"])]
        bucket["loaded"] += r["loaded"] - r["rejected"]
        bucket["quarantined"] += r["quarantined"]
        bucket["rejected"] += r["rejected"]
    return by_month


def _datasets(rows: list[dict], t: Texts) -> str:
    by_dataset: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_dataset[r["dataset"]].append(r)
    summary = []
    trend_charts = []
    for name, items in by_dataset.items():
        n = _totals(items)
        rate = 100.0 * n["quarantined"] / n["received"] if n["received"] else 0.0
        summary.append((Raw(f'<a href="#batches-{esc(name)}">{esc(name)}</a>'), n["batches"], n["validated_batches"],
                        n["rejected_batches"], n["failed_batches"], n["received"], n["loaded"],
                        n["quarantined_landing"], n["quarantined_validation"], n["rejected"], f"{format_number(rate, t.lang, 2)} %",
                        max(r["interval_start"] for r in items).date()))
        months = sorted({_month(r["interval_start"]) for r in items})
        per_month = _records_by_month(items)
        trend_charts.append(charts.stacked_bars(
            name, [_month_text(m, t) for m in months], {k: [per_month[m][k] for m in months] for k in RECORD_SERIES},
            names=_words("records", RECORD_SERIES, t), lang=t.lang))
    headers = [t(f"col.{key}") for key in (
        "dataset", "batches", "validated", "rejected", "failed", "received", "loaded", "quarantined_landing",
        "quarantined_validation", "records_rejected", "quarantine_rate", "latest_interval")]
    body = (table(headers, summary, numeric=range(1, 11), lang=t.lang)
            + f'<h3>{esc(t("datasets.trends"))}</h3><div class="grid">' + "".join(trend_charts) + "</div>")
    return section("datasets", t("datasets.title"), esc(t("datasets.lead")), body)


def _interval(start: datetime, end: datetime, t: Texts) -> str:
    return f"{fmt(start.date(), t.lang)} → {fmt(end.date(), t.lang)}"


def _batches(rows: list[dict], t: Texts) -> str:
    by_dataset: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_dataset[r["dataset"]].append(r)
    blocks = []
    for name, items in by_dataset.items():
        lines = [(_interval(r["interval_start"], r["interval_end"], t),
                  Raw(f'<code title="{esc(r["batch_id"])}">{esc(r["batch_id"][:12])}</code>'),
                  Raw(_status(r["status"], t)), r["received"], r["loaded"], r["quarantined_landing"],
                  r["quarantined_validation"], r["rejected"], r["critical_failed"], r["warning_failed"],
                  r["validated_at"], r["message"]) for r in reversed(items)]
        n = _totals(items)
        counts = t("batches.summary", batches=fmt(n["batches"], t.lang), received=fmt(n["received"], t.lang),
                   quarantined=fmt(n["quarantined"], t.lang), rejected=fmt(n["rejected_batches"], t.lang))
        summary = f'<span id="batches-{esc(name)}">{esc(name)}</span> <span class="muted">{esc(counts)}</span>'
        headers = [t(f"col.{key}") for key in (
            "interval", "batch", "status", "received", "loaded", "quarantined_at_landing",
            "quarantined_at_validation", "rejected", "critical_failed", "warnings", "validated_at", "message")]
        blocks.append(details(summary, table(headers, lines, numeric=range(3, 10), lang=t.lang),
                              open_=bool(n["rejected_batches"] or n["failed_batches"])))
    return section("batches", t("batches.title"), t("batches.lead"),
                   "".join(blocks) or f'<p class="muted">{esc(t("batches.none"))}</p>')


def _record(record, t: Texts) -> str:
    text = esc(json.dumps(record, ensure_ascii=False, default=str))
    return f'<details class="record"><summary>{esc(t("record"))}</summary><pre class="record">{text}</pre></details>'


def _sample(failure: dict, t: Texts) -> str:
    if failure["records"]:
        return "".join(f'<div class="reason"><code>{esc(r["record_hash"][:12])}</code> {esc(r["reason"])}'
                       f'{_record(r["record"], t)}</div>' for r in failure["records"])
    return _record(failure["sample"], t) if failure["sample"] else '<span class="muted">–</span>'


def _failure_group(items: list[dict], t: Texts) -> tuple:
    """One table row for one expectation failing in one or more batches of a dataset."""
    first, latest = items[0], items[-1]
    expectation = (f'<code class="wrap">{esc(first["expectation"])}</code><br>'
                   f'{badge(t.word("severity", first["severity"]), first["severity"])} '
                   f'{badge(t.word("scope", first["scope"]), first["scope"])}')
    batches = table([t(f"col.{key}") for key in ("month", "batch", "status", "observed", "unexpected", "quarantined")],
                    [(_month_text(_month(f["interval_start"]), t), Raw(f'<code>{esc(f["batch_id"])}</code>'),
                      Raw(_status(f["status"], t)),
                      Raw(f'<code>{esc(json.dumps(f["observed_value"], default=str))}</code>'), f["unexpected_count"],
                      f["quarantined_count"]) for f in items], numeric=(4, 5), lang=t.lang)
    months = sorted({_month(f["interval_start"]) for f in items})
    span = (_month_text(months[0], t) if len(months) == 1
            else f"{_month_text(months[0], t)} … {_month_text(months[-1], t)}")
    rejected = sum(f["status"] == "rejected" for f in items)
    in_batches = details(esc(t("failures.in_batches", count=len(items), span=span)
                             + (t("failures.rejected", count=rejected) if rejected else "")), batches)
    unexpected = sum(f["unexpected_count"] or 0 for f in items) if any(f["unexpected_count"] is not None
                                                                       for f in items) else None
    sample_from = next((f for f in reversed(items) if f["records"] or f["sample"]), latest)
    return (Raw(expectation), Raw(in_batches), unexpected, sum(f["quarantined_count"] for f in items),
            Raw(f'<div class="muted">{esc(_month_text(_month(sample_from["interval_start"]), t))}</div>'
                f"{_sample(sample_from, t)}"))


def _failures(failures: list[dict], t: Texts) -> str:
    by_dataset: dict[str, dict[tuple, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for f in failures:
        by_dataset[f["dataset"]][f["expectation"], f["severity"], f["scope"]].append(f)
    blocks = []
    for name, groups in by_dataset.items():
        ordered = sorted(groups.values(), key=lambda g: (g[0]["severity"] != "critical", -len(g)))
        critical = sum(len(g) for g in ordered if g[0]["severity"] == "critical")
        counts = t("failures.summary", expectations=len(ordered), times=sum(len(g) for g in ordered),
                   critical=critical)
        headers = [t(f"col.{key}") for key in ("expectation", "failed_in", "unexpected_rows", "quarantined", "samples")]
        blocks.append(details(f"{esc(name)} <span class='muted'>{esc(counts)}</span>", table(
            headers, [_failure_group(g, t) for g in ordered], numeric=(2, 3), lang=t.lang), open_=critical > 0))
    return section("failures", t("failures.title"), t("failures.lead"),
                   "".join(blocks) or f'<p class="muted">{esc(t("failures.none"))}</p>')


def _reasons(reasons: list[tuple], t: Texts) -> str:
    rows = [(dataset, t.word("stage", stage), reason, count) for dataset, stage, reason, count in reasons]
    body = (table([t("col.dataset"), t("col.stage"), t("col.reason"), t("col.records")], rows, numeric=(3,),
                  lang=t.lang) if reasons else f'<p class="muted">{esc(t("reasons.none"))}</p>')
    return section("reasons", t("reasons.title"), t("reasons.lead"), body)


def _value(column: str, value, t: Texts) -> str:
    """A KPI cell as text; years without thousands separators."""
    is_year = column.endswith("year") and isinstance(value, int) and 1900 <= value <= 2100
    return str(value) if is_year else fmt(value, t.lang)


def _lineage_runs(batch: dict, t: Texts) -> str:
    """The runIds of the OpenLineage events of the tasks that landed and judged the batch."""
    runs = [f"{esc(t(f'lineage.{step}_run'))} <code>{esc(run_id)}</code>"
            for step, run_id in (("land", batch["land_lineage_run_id"]), ("gate", batch["gate_lineage_run_id"])) if run_id]
    return "<br>".join(runs) or "—"


def _batch_table(used: list[dict], t: Texts) -> str:
    """The batches behind a figure, with the records used."""
    headers = [t(f"col.{key}") for key in ("dataset", "interval", "batch", "status", "lineage_runs", "records_used",
                                           "source_urls", "record_hashes", "hashes_sha256")]
    return table(headers, [(b["dataset"], _interval(b["interval_start"], b["interval_end"], t),
                            Raw(f"<code>{esc(b['batch_id'])}</code>"), Raw(_status(b["status"], t)),
                            Raw(_lineage_runs(b, t)), b["records"],
                            Raw("<br>".join(f"<code>{esc(u)}</code>" for u in b["source_urls"])),
                            Raw("<br>".join(f"<code>{esc(h[:16])}…</code>" for h in b["sample_hashes"])),
                            Raw(f"<code>{esc(b['hashes_sha256'][:24])}…</code>")) for b in used],
                 numeric=(5,), lang=t.lang)


def _lineage(lineage: list[KpiLineage], t: Texts) -> str:
    blocks = []
    for kpi in lineage:
        if kpi.note:
            blocks.append(f"<h3>marts.{esc(kpi.table)}</h3><p class='note'>{esc(t(kpi.note))}</p>")
            continue
        year_at = kpi.columns.index("year") if "year" in kpi.columns else None
        figure_rows = []
        # columns that are the same in every figure shown (the KPI code, the scope) go in the heading;
        # compared by repr, as some values are lists (the scorecard's lineage_batch_ids)
        varying = {i for i, c in enumerate(kpi.columns) if not c.startswith("_")
                   and len({repr(f[i]) for f in kpi.figures}) > 1} or set(range(len(kpi.columns)))
        constant = [f"{c} = {_value(c, kpi.figures[0][i], t)}" for i, c in enumerate(kpi.columns)
                    if kpi.figures and i not in varying and not c.startswith("_") and kpi.figures[0][i] is not None]
        for figure in kpi.figures:
            year = figure[year_at] if year_at is not None else None
            used = kpi.batches_by_year.get(year, []) if year is not None else \
                [b for group in kpi.batches_by_year.values() for b in group]
            label = " · ".join(f"{c} = {_value(c, v, t)}" for i, (c, v) in enumerate(zip(kpi.columns, figure))
                               if i in varying and v is not None)
            counts = t("lineage.figure", batches=len(used), records=fmt(sum(b["records"] for b in used), t.lang))
            figure_rows.append(details(f"<code class='wrap'>{esc(label[:260])}</code> "
                                       f"<span class='muted'>{esc(counts)}</span>", _batch_table(used, t)))
        source = ", ".join(f"staging.{s}" for s in kpi.staging) or f"marts.{kpi.table}._batch_id"
        scope_note = t("lineage.per_year") if year_at is not None else t("lineage.all_batches")
        blocks.append(f"<h3>marts.{esc(kpi.table)}</h3><p class='muted'>{esc(t('lineage.built_from', source=source))} "
                      f"{esc(scope_note)}</p><p><code class='wrap'>{esc(' · '.join(constant))}</code></p>"
                      + "".join(figure_rows))
    return section("lineage", t("lineage.title"), esc(t("lineage.lead")),
                   "".join(blocks) or f'<p class="muted">{esc(t("lineage.none"))}</p>')


def _kpi_builds(builds: list[dict], t: Texts) -> str:
    rows = []
    for build in builds:
        changed = [t("builds.new_batches", datasets=", ".join(build["changed_datasets"]))] \
            if build["changed_datasets"] else []
        if build["missing_relations"]:
            changed.append(t("builds.missing", tables=", ".join(build["missing_relations"])))
        outcome = badge(t("builds.succeeded"), "pass") if build["succeeded_at"] else \
            badge(t("builds.not_succeeded"), "warning")
        rows.append((build["build_id"], build["started_at"], t.word("kpi_build", build["cause"]),
                     t("builds.all") if build["is_full"] else build["nodes_built"], "; ".join(changed), Raw(outcome),
                     Raw(f"<code>{esc(build['run_id'])}</code>")))
    headers = [t(f"col.{key}") for key in ("build", "started_at", "cause", "models_built", "changed", "outcome", "run")]
    body = table(headers, rows, numeric=(0, 3), lang=t.lang) if rows else \
        f'<p class="muted">{esc(t("builds.none"))}</p>'
    return section("builds", t("builds.title"), t("builds.lead", shown=KPI_BUILDS_SHOWN), body)


def quality_page(data: QualityData, t: Texts, generated: datetime, languages: Sequence[tuple[str, str]] = ()) -> str:
    """The report from its data, in t's language; ``languages`` are the switcher's links."""
    subtitle = esc(t("quality.generated", when=f"{format_datetime(generated, t.lang)} UTC")) + (
        ' · <a style="color:#c7d6e6" href="../data-docs/index.html">Great Expectations Data Docs</a>'
        if data.has_data_docs else "")
    body = (_overview(data.batches, data.failures, t) + _datasets(data.batches, t) + _failures(data.failures, t)
            + _reasons(data.reasons, t) + _lineage(data.lineage, t) + _kpi_builds(data.kpi_builds, t)
            + _batches(data.batches, t))
    return page(t("quality.title"), subtitle, [(anchor, t(f"nav.{anchor}")) for anchor in NAV], body, t.lang,
                languages)


def load_quality_data(warehouse_url: str) -> QualityData:
    with connect(report_reader_url(warehouse_url)) as conn, conn.cursor() as cur:
        return QualityData(batches(cur), failed_expectations(cur), landing_reasons(cur), kpi_lineage(cur),
                           (data_docs_dir() / "index.html").exists(), kpi_builds(cur))


def render_quality_report(warehouse_url: str, lang: str = "en", languages: Sequence[tuple[str, str]] = ()) -> str:
    """The report as one self-contained HTML page."""
    return quality_page(load_quality_data(warehouse_url), Texts(lang), datetime.now(timezone.utc), languages)


def write_quality_report(warehouse_url: str, out_dir: Path | None = None) -> list[Path]:
    """Write the report in every language to ``<out_dir>`` (default reports/quality/): index.html (English),
    index.ru.html, index.kk.html, each linking to the others; returns the paths."""
    data = load_quality_data(warehouse_url)
    generated = datetime.now(timezone.utc)
    return write_pages(Path(out_dir) if out_dir else reports_dir() / "quality",
                       lambda lang, languages: quality_page(data, Texts(lang), generated, languages))
