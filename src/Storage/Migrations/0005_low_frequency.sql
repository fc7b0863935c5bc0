-- The box's own low-frequency history (1 s to 2 h steps), imported from the TSV its Wi-Fi page
-- serves. It is a different kind of data from the 10 ms frames (a mean over a step, not frames),
-- so it lives in its own table and is never summed into sample_chunks or power_1s energy.
-- A step is [at, at + step_seconds); the same time may exist at several steps (the box keeps
-- 1 min and 10 min histories side by side), which is why the step is part of the key.
CREATE TABLE power_low_frequency (
    box_id text NOT NULL CHECK (box_id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    socket smallint NOT NULL CHECK (socket BETWEEN 1 AND 48),
    at timestamptz NOT NULL,
    step_seconds int NOT NULL CHECK (step_seconds > 0),
    mean_w double precision NOT NULL CHECK (mean_w BETWEEN -1e9 AND 1e9),  -- refuses NaN too: PostgreSQL sorts it above every number
    imported_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (box_id, socket, at, step_seconds)
);
