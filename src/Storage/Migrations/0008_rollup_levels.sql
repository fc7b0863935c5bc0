-- Rollup levels above the second: energy over any window reads at most 59 + 59 rows of the
-- finer levels at each edge plus one row per whole hour, so a year is ~9 000 rows, not 31 M.
-- Each row is the exact sum of the power_1s rows it covers (joules, frames, min, max), kept
-- in the same transaction as the frames; first_second and last_second are the first and last
-- second in it that has frames, so what a window's frames cover is known without the raw rows.
-- Buckets are UTC minutes and hours (date_trunc in 'UTC', whatever the session's time zone).
CREATE TABLE power_1m (
    box_id text NOT NULL,
    socket smallint NOT NULL,
    minute timestamptz NOT NULL,
    frames integer NOT NULL,
    joules double precision NOT NULL,
    min_w real NOT NULL,
    max_w real NOT NULL,
    first_second timestamptz NOT NULL,
    last_second timestamptz NOT NULL,
    PRIMARY KEY (box_id, socket, minute)
);

CREATE TABLE power_1h (
    box_id text NOT NULL,
    socket smallint NOT NULL,
    hour timestamptz NOT NULL,
    frames integer NOT NULL,
    joules double precision NOT NULL,
    min_w real NOT NULL,
    max_w real NOT NULL,
    first_second timestamptz NOT NULL,
    last_second timestamptz NOT NULL,
    PRIMARY KEY (box_id, socket, hour)
);

INSERT INTO power_1m (box_id, socket, minute, frames, joules, min_w, max_w, first_second, last_second)
SELECT box_id, socket, date_trunc('minute', second, 'UTC'), sum(frames), sum(joules), min(min_w), max(max_w), min(second), max(second)
FROM power_1s
GROUP BY 1, 2, 3;

INSERT INTO power_1h (box_id, socket, hour, frames, joules, min_w, max_w, first_second, last_second)
SELECT box_id, socket, date_trunc('hour', minute, 'UTC'), sum(frames), sum(joules), min(min_w), max(max_w), min(first_second), max(last_second)
FROM power_1m
GROUP BY 1, 2, 3;

-- Same owner and readers as power_1s, where the deployment has the roles (migration 0007).
DO $grants$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fleet_app') THEN
        ALTER TABLE power_1m OWNER TO fleet_app;
        ALTER TABLE power_1h OWNER TO fleet_app;
    END IF;

    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fleet_reader') THEN
        GRANT SELECT ON power_1m, power_1h TO fleet_reader;
    END IF;
END
$grants$;
