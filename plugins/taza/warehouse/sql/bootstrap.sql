-- Schemas and audit tables every layer relies on. Idempotent: run on every start.
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
