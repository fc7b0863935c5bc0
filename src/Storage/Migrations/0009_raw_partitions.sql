-- Raw frames partitioned by UTC day, so retention drops whole days (DROP TABLE: instant, no
-- vacuum) while the rollups of every level stay. Partitions are made on demand by the writer
-- (fleet_ensure_raw_partition), for any day: imports of old logs land in their own day.
ALTER TABLE sample_chunks RENAME TO sample_chunks_before_partitioning;
ALTER TABLE sample_chunks_before_partitioning RENAME CONSTRAINT sample_chunks_pkey TO sample_chunks_before_partitioning_pkey;

CREATE TABLE sample_chunks (
    box_id text NOT NULL,
    second timestamptz NOT NULL,
    first_offset_us int NOT NULL,
    plugs smallint NOT NULL,
    offsets_us int[] NOT NULL,
    frame_ids int[] NOT NULL,
    valid boolean[] NOT NULL,
    voltages real[] NOT NULL,
    currents real[] NOT NULL,
    powers real[] NOT NULL,
    PRIMARY KEY (box_id, second, first_offset_us)
) PARTITION BY RANGE (second);

-- Makes the partition of the UTC day that holds `at`, unless it exists. Two writers making the
-- same day at once: the loser's CREATE fails with duplicate_table (or unique_violation on the
-- catalog), which means the partition is there.
CREATE FUNCTION fleet_ensure_raw_partition(at timestamptz) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
    day timestamptz := date_trunc('day', at, 'UTC');
    name text := 'sample_chunks_' || to_char(day AT TIME ZONE 'UTC', 'YYYYMMDD');
BEGIN
    IF to_regclass(format('public.%I', name)) IS NULL THEN
        BEGIN
            EXECUTE format('CREATE TABLE public.%I PARTITION OF public.sample_chunks FOR VALUES FROM (%L) TO (%L)',
                name, day, day + interval '1 day');
        EXCEPTION
            WHEN duplicate_table OR unique_violation THEN NULL;
        END;
    END IF;
END
$fn$;

SELECT fleet_ensure_raw_partition(day)
FROM (SELECT DISTINCT date_trunc('day', second, 'UTC') AS day FROM sample_chunks_before_partitioning) d;

INSERT INTO sample_chunks SELECT * FROM sample_chunks_before_partitioning;
DROP TABLE sample_chunks_before_partitioning;

-- Where raw frames end: retention dropped every raw frame before raw_from. Energy over a window
-- that reaches before it is answered from the rollups alone, and says so.
CREATE TABLE raw_retention (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    raw_from timestamptz NOT NULL
);

-- fleet_app owns the new tables and the partitions made here, so retention (run as fleet_app)
-- may drop them; partitions made later belong to the silo's role, fleet_app in a deployment.
DO $owner$
DECLARE
    t record;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fleet_app') THEN
        FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'fleet_app'
                 AND (tablename IN ('sample_chunks', 'raw_retention') OR tablename LIKE 'sample\_chunks\_%') LOOP
            EXECUTE format('ALTER TABLE public.%I OWNER TO fleet_app', t.tablename);
        END LOOP;
        ALTER FUNCTION fleet_ensure_raw_partition(timestamptz) OWNER TO fleet_app;
    END IF;
END
$owner$;
