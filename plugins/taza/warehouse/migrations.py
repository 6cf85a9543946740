"""Every DDL statement of the raw, quarantine and audit schemas, as versioned migrations.

Only the bootstrap (taza.warehouse.connection.bootstrap, under its advisory lock) runs
them; landing and the quality gate run no CREATE or ALTER, so a long BI or dbt read of a
raw or quarantine table never queues a loader's DDL, and every reader behind it.
``audit.schema_migration`` records which version ran and when. A migration is applied
once, in order, in the bootstrap's transaction.

The raw and quarantine tables follow the dataset catalogue (taza.sources.catalogue):
migration 2 creates them for every dataset, and each bootstrap creates those of a
dataset added to the catalogue since (``create_missing_dataset_tables``).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources

from taza.sources.catalogue import DATASETS
from taza.sources.schema import PG_TYPES, Dataset


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable  # (cursor) -> None


def _sql_file(name: str) -> Callable:
    def apply(cursor) -> None:
        cursor.execute(resources.files("taza.warehouse").joinpath(f"sql/migrations/{name}").read_text())
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
              _sql_file("0001_layers_and_audit.sql")),
    Migration(2, "raw and quarantine tables of every catalogued dataset", _create_dataset_tables),
    Migration(3, "audit.batch: loader identity (host:pid, backend pid and start) for the dead-loading sweep",
              _sql_file("0003_batch_loader_identity.sql")),
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
