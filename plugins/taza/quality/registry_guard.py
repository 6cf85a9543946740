"""The registry shrink guard: a registry snapshot that lost too many rows is rejected.

The snapshot datasets (industry enterprises, the nursery registry) replace the whole
registry each run: a short answer from the source (5 enterprises instead of 341) would
otherwise pass every expectation and shrink dim_enterprise to 5. A snapshot with more
than REGISTRY_SHRINK_LIMIT fewer rows than the last validated snapshot of the dataset is
rejected, unless the run accepts it on purpose (the ingest DAG param
``accept_registry_shrink``). The check is stored with the suite's results in
audit.validation_result, after the suite's expectations.
"""
from __future__ import annotations

from taza.quality.results import ExpectationOutcome
from taza.sources.schema import Dataset

REGISTRY_SHRINK_LIMIT = 0.20  # share of the last validated snapshot's rows a new one may lose
REGISTRY_SHRINK = "registry_shrink_guard"
ACCEPT_PARAM = "accept_registry_shrink"
HOW_TO_ACCEPT = (f"If the registry really shrank, rerun the interval with the ingest DAG param "
                 f"{ACCEPT_PARAM} set (e.g. 'yes'): airflow dags trigger <dag> --conf "
                 f"'{{\"{ACCEPT_PARAM}\": \"yes\"}}'; otherwise have the source fixed and rerun.")


def registry_shrink_outcome(cursor, dataset: Dataset, batch_id: str, rows: int, position: int,
                            accept: bool) -> ExpectationOutcome:
    """Compare the snapshot's rows with the last validated snapshot's; a failed outcome blocks the batch."""
    cursor.execute("""SELECT batch_id, loaded_count FROM audit.batch
                      WHERE dataset = %s AND status = 'validated' AND batch_id <> %s
                      ORDER BY loaded_at DESC NULLS LAST, batch_id DESC LIMIT 1""", (dataset.name, batch_id))
    previous_batch, previous_rows = cursor.fetchone() or (None, None)
    shrink = 1 - rows / previous_rows if previous_rows else 0.0
    too_short = shrink > REGISTRY_SHRINK_LIMIT
    observed = {"rows": rows, "previous_rows": previous_rows, "previous_batch": previous_batch,
                "shrink": round(shrink, 4), "accepted_on_purpose": bool(accept and too_short)}
    return ExpectationOutcome(
        position=position, expectation_type=REGISTRY_SHRINK, column=None,
        label=f"{REGISTRY_SHRINK}[at most {REGISTRY_SHRINK_LIMIT:.0%} fewer rows than the last validated snapshot]",
        kwargs={"max_shrink": REGISTRY_SHRINK_LIMIT}, severity="critical", scope="batch",
        success=not too_short or accept, observed=observed, element_count=rows, unexpected_count=None,
        unexpected_percent=None, sample=HOW_TO_ACCEPT if too_short and not accept else None)
