-- Migration 1: the layer schemas and the audit tables every layer relies on. Written with
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
