"""Every DDL statement of the raw, quarantine and audit schemas, as versioned migrations.

Only the bootstrap (taza.warehouse.connection.bootstrap, under its advisory lock) runs
them; landing and the quality gate run no CREATE or ALTER, so a long BI or dbt read of a
raw or quarantine table never queues a loader's DDL, and every reader behind it.
``audit.schema_migration`` records which version ran and when. A migration is applied
once, in order, in the bootstrap's transaction. A schema change is a new migration at
the end of ``MIGRATIONS``; an applied one is never edited.

The raw and quarantine tables follow the dataset catalogue (taza.sources.catalogue):
migration 2 creates them for every dataset, and each bootstrap creates those of a
dataset added to the catalogue since (``create_missing_dataset_tables``).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from taza.sources.catalogue import DATASETS
from taza.sources.schema import PG_TYPES, PROVENANCE_COLUMNS, Dataset


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable  # (cursor) -> None


# The columns the loader copies a quarantined record into; stage and expectation take their
# defaults ('landing', none). Stage 'validation' marks a record that is in raw but failed a
# row-level expectation (taza.quality.quarantine), so staging excludes it.
QUARANTINE_COLUMNS = (*PROVENANCE_COLUMNS, "reason", "record")

LAYERS_AND_AUDIT = """-- Migration 1: the layer schemas and the audit tables every layer relies on. Written with
-- IF NOT EXISTS so a warehouse bootstrapped before migrations were versioned adopts it as is.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS quarantine;
CREATE SCHEMA IF NOT EXISTS audit;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS intermediate;
CREATE SCHEMA IF NOT EXISTS marts;

-- One row per (dataset, interval) landing attempt. A rerun of an interval lands a new
-- batch; staging reads the newest validated batch of each interval.
CREATE TABLE IF NOT EXISTS audit.batch (
    batch_id          text PRIMARY KEY,
    dataset           text        NOT NULL,
    interval_start    timestamptz NOT NULL,
    interval_end      timestamptz NOT NULL,
    source_url        text        NOT NULL,
    status            text        NOT NULL
        CHECK (status IN ('loading', 'loaded', 'validated', 'rejected', 'failed')),
    received_count    bigint,
    loaded_count      bigint,
    quarantined_count bigint,
    received_sha256   text,
    started_at        timestamptz NOT NULL DEFAULT now(),
    loaded_at         timestamptz,
    validated_at      timestamptz,
    dag_id            text,
    run_id            text,
    message           text,
    high_watermark    timestamptz,  -- newest period value loaded (the telemetry feed's watermark)
    CHECK (interval_end > interval_start),
    CHECK (status NOT IN ('loaded', 'validated', 'rejected')
           OR received_count = loaded_count + quarantined_count)
);
ALTER TABLE audit.batch ADD COLUMN IF NOT EXISTS high_watermark timestamptz;
CREATE INDEX IF NOT EXISTS batch_dataset_interval_idx
    ON audit.batch (dataset, interval_start, status, loaded_at DESC);

-- One row per validation of a batch by the quality gate (a batch validated twice has two).
CREATE TABLE IF NOT EXISTS audit.validation_run (
    run_id              text PRIMARY KEY,
    batch_id            text        NOT NULL REFERENCES audit.batch (batch_id),
    dataset             text        NOT NULL,
    suite               text        NOT NULL,
    started_at          timestamptz NOT NULL,
    finished_at         timestamptz NOT NULL,
    success             boolean     NOT NULL,  -- no critical expectation failed: the batch is validated
    evaluated_count     integer     NOT NULL,
    failed_count        integer     NOT NULL,
    critical_failed     integer     NOT NULL,
    warning_failed      integer     NOT NULL,
    quarantined_count   bigint      NOT NULL,  -- rows moved to quarantine by row-scope expectations
    gx_version          text        NOT NULL
);
CREATE INDEX IF NOT EXISTS validation_run_batch_idx ON audit.validation_run (batch_id);

-- One row per expectation per validation run, as Great Expectations reported it.
CREATE TABLE IF NOT EXISTS audit.validation_result (
    run_id             text    NOT NULL REFERENCES audit.validation_run (run_id),
    position           integer NOT NULL,  -- the expectation's place in the suite
    batch_id           text    NOT NULL,
    expectation        text    NOT NULL,  -- type(column) or type[description], as in quarantine.*.expectation
    expectation_type   text    NOT NULL,
    column_name        text,
    kwargs             jsonb   NOT NULL,
    severity           text    NOT NULL CHECK (severity IN ('critical', 'warning')),
    scope              text    NOT NULL CHECK (scope IN ('batch', 'row')),
    success            boolean NOT NULL,
    observed_value     jsonb,
    element_count      bigint,
    unexpected_count   bigint,
    unexpected_percent double precision,
    quarantined_count  bigint  NOT NULL DEFAULT 0,
    sample             jsonb,  -- a few unexpected values or rows
    PRIMARY KEY (run_id, position)
);
CREATE INDEX IF NOT EXISTS validation_result_batch_idx ON audit.validation_result (batch_id);
"""

BATCH_LOADER_IDENTITY = """-- Migration 3: who is landing a batch, so a batch left 'loading' by a process that died
-- (SIGKILL, lost worker) can be told apart from one still landing and swept to 'failed'
-- (taza.load.batches.sweep_dead_loadings).
ALTER TABLE audit.batch
    ADD COLUMN IF NOT EXISTS loader        text,        -- host:pid of the landing process
    ADD COLUMN IF NOT EXISTS backend_pid   integer,     -- its warehouse session (pg_stat_activity.pid)
    ADD COLUMN IF NOT EXISTS backend_start timestamptz; -- and when that session started (pids are reused)
"""

BATCH_LINEAGE_RUNS = """-- Migration 4: the OpenLineage runs (runId of the task's events) of the land task that wrote
-- the batch and of the gate that last judged it: an auditor goes from a batch to its events.
ALTER TABLE audit.batch
    ADD COLUMN IF NOT EXISTS land_lineage_run_id uuid,
    ADD COLUMN IF NOT EXISTS gate_lineage_run_id uuid;
"""

KPI_BUILDS = """-- Migration 5: every build of the KPI DAG, with the state of the landing and of the dbt project it
-- was planned from, so the next build rebuilds only what changed since the last that succeeded
-- (taza.pipeline.kpi_refresh).
CREATE TABLE IF NOT EXISTS audit.kpi_build (
    build_id            bigserial   PRIMARY KEY,
    dag_id              text        NOT NULL,
    run_id              text        NOT NULL,
    started_at          timestamptz NOT NULL DEFAULT now(),
    succeeded_at        timestamptz,           -- every node task succeeded or was skipped as unchanged
    project_fingerprint text        NOT NULL,  -- SHA-256 of the dbt project's code files
    validated_batches   jsonb       NOT NULL,  -- dataset -> its validated batches when the build started
    is_full             boolean     NOT NULL,
    cause               text        NOT NULL
        CHECK (cause IN ('full_build_asked', 'first_build', 'project_changed', 'inputs_changed', 'nothing_changed')),
    reason              text        NOT NULL,  -- the cause in a sentence, with what changed
    rebuilt_nodes       text[],                -- the dbt unique ids built; null for a full build
    changed_datasets    text[]      NOT NULL,  -- datasets with newly validated batches (a refresh)
    missing_relations   text[]      NOT NULL   -- models, seeds, snapshots whose table was missing (a refresh)
);
"""


def _statements(ddl: str) -> Callable:
    def apply(cursor) -> None:
        cursor.execute(ddl)
    return apply


def dataset_tables_ddl(dataset: Dataset) -> str:
    """CREATE statements of one dataset's raw table, its quarantine table and their batch indexes."""
    columns = ",\n  ".join(f"{f.name} {PG_TYPES[f.type]}" for f in dataset.fields)
    return f"""
        CREATE TABLE IF NOT EXISTS {dataset.raw_table} (
          {columns},
          _batch_id text NOT NULL,
          _loaded_at timestamptz NOT NULL,
          _source_url text NOT NULL,
          _record_hash text NOT NULL
        );
        CREATE INDEX IF NOT EXISTS {dataset.name}__batch_idx ON {dataset.raw_table} (_batch_id);
        CREATE TABLE IF NOT EXISTS {dataset.quarantine_table} (
          _batch_id text NOT NULL,
          _loaded_at timestamptz NOT NULL,
          _source_url text NOT NULL,
          _record_hash text NOT NULL,
          reason text NOT NULL,
          record jsonb NOT NULL,
          stage text NOT NULL DEFAULT 'landing' CHECK (stage IN ('landing', 'validation')),
          expectation text  -- the failed expectation, for stage 'validation'
        );
        -- quarantine tables created before stage and expectation existed
        ALTER TABLE {dataset.quarantine_table}
          ADD COLUMN IF NOT EXISTS stage text NOT NULL DEFAULT 'landing',
          ADD COLUMN IF NOT EXISTS expectation text;
        CREATE INDEX IF NOT EXISTS {dataset.name}__q_batch_idx ON {dataset.quarantine_table} (_batch_id);
    """


def _create_dataset_tables(cursor, datasets: Iterable[Dataset] | None = None) -> None:
    for dataset in DATASETS.values() if datasets is None else datasets:
        cursor.execute(dataset_tables_ddl(dataset))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "layer schemas and audit tables (batch, validation_run, validation_result)",
              _statements(LAYERS_AND_AUDIT)),
    Migration(2, "raw and quarantine tables of every catalogued dataset", _create_dataset_tables),
    Migration(3, "audit.batch: loader identity (host:pid, backend pid and start) for the dead-loading sweep",
              _statements(BATCH_LOADER_IDENTITY)),
    Migration(4, "audit.batch: the OpenLineage run ids of the land task and the gate",
              _statements(BATCH_LINEAGE_RUNS)),
    Migration(5, "audit.kpi_build: each KPI build, planned from the last that succeeded", _statements(KPI_BUILDS)),
)


def create_missing_dataset_tables(cursor) -> list[str]:
    """Create the tables of catalogued datasets that have none yet; returns their names."""
    cursor.execute("SELECT name FROM unnest(%s::text[]) AS name WHERE to_regclass('raw.' || name) IS NULL",
                   (list(DATASETS),))
    missing = [name for (name,) in cursor.fetchall()]
    _create_dataset_tables(cursor, [DATASETS[name] for name in missing])
    return missing


def migrate(cursor) -> list[int]:
    """Apply the migrations not yet recorded in audit.schema_migration, in version order; returns
    the versions applied. Run inside the bootstrap's transaction and advisory lock."""
    cursor.execute("""CREATE SCHEMA IF NOT EXISTS audit;
                      CREATE TABLE IF NOT EXISTS audit.schema_migration (
                          version     integer PRIMARY KEY,
                          description text        NOT NULL,
                          applied_at  timestamptz NOT NULL DEFAULT now())""")
    cursor.execute("SELECT version FROM audit.schema_migration")
    done = {version for (version,) in cursor.fetchall()}
    applied = []
    for migration in sorted(MIGRATIONS, key=lambda m: m.version):
        if migration.version in done:
            continue
        migration.apply(cursor)
        cursor.execute("INSERT INTO audit.schema_migration (version, description) VALUES (%s, %s)",
                       (migration.version, migration.description))
        applied.append(migration.version)
    create_missing_dataset_tables(cursor)
    return applied
