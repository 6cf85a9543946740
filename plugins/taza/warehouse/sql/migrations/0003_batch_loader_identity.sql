-- Migration 3: who is landing a batch, so a batch left 'loading' by a process that died
-- (SIGKILL, lost worker) can be told apart from one still landing and swept to 'failed'
-- (taza.load.batches.sweep_dead_loadings).
ALTER TABLE audit.batch
    ADD COLUMN IF NOT EXISTS loader        text,        -- host:pid of the landing process
    ADD COLUMN IF NOT EXISTS backend_pid   integer,     -- its warehouse session (pg_stat_activity.pid)
    ADD COLUMN IF NOT EXISTS backend_start timestamptz; -- and when that session started (pids are reused)
