-- Fleet's own tables. All times are timestamptz; Fleet writes and reads them as UTC.

-- One machine per socket at any instant is enforced by an exclusion constraint, which needs
-- btree_gist for the text and int equality parts (contrib ships with the server package).
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE boxes (
    box_id text PRIMARY KEY CHECK (box_id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    plugs smallint NOT NULL CHECK (plugs BETWEEN 6 AND 48 AND plugs % 6 = 0),
    registered_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE machines (
    name text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Which machine was plugged into which socket, and when. Moving a machine closes its row
-- (valid_to) and opens a new one: history is never rewritten, so old experiments keep
-- resolving to the socket that really measured them. A machine with two power supplies
-- has two open rows, possibly on two boxes.
CREATE TABLE socket_assignments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    machine text NOT NULL REFERENCES machines (name),
    box_id text NOT NULL,
    socket smallint NOT NULL CHECK (socket BETWEEN 1 AND 48),
    valid_from timestamptz NOT NULL,
    valid_to timestamptz,
    CHECK (valid_to IS NULL OR valid_to > valid_from),
    CONSTRAINT socket_assignments_one_machine_per_socket
        EXCLUDE USING gist (box_id WITH =, socket WITH =, tstzrange(valid_from, valid_to) WITH &&)
);
CREATE INDEX socket_assignments_machine ON socket_assignments (machine, valid_from);

-- Raw frames, lossless at 10 ms: one row per box, UTC second and ingested batch (a second
-- split across two batches is two rows). Arrays are frame-major: frame k's plug p is at
-- k * plugs + p (1-based in SQL: (k - 1) * plugs + p).
CREATE TABLE sample_chunks (
    box_id text NOT NULL,
    second timestamptz NOT NULL,
    first_offset_us int NOT NULL,
    plugs smallint NOT NULL,
    offsets_us int[] NOT NULL,     -- each frame's time: second + offset (µs)
    frame_ids int[] NOT NULL,
    valid boolean[] NOT NULL,      -- false: the box sent the frame without data (n = 0)
    voltages real[] NOT NULL,      -- 3 per frame (U1..U3), NaN when not valid
    currents real[] NOT NULL,      -- plugs per frame
    powers real[] NOT NULL,        -- plugs per frame
    PRIMARY KEY (box_id, second, first_offset_us)
);

-- Per-second rollups per socket, maintained with every chunk: Grafana and long windows read
-- these; joules is the exact Σ P × 10 ms of the valid frames of that second.
CREATE TABLE power_1s (
    box_id text NOT NULL,
    socket smallint NOT NULL,
    second timestamptz NOT NULL,
    frames smallint NOT NULL,
    joules double precision NOT NULL,
    min_w real NOT NULL,
    max_w real NOT NULL,
    PRIMARY KEY (box_id, socket, second)
);

-- Exactly-once ingest: a batch is stored only if its sequence number is above the source's
-- high-water mark, updated in the same transaction as the samples.
CREATE TABLE ingest_positions (
    box_id text NOT NULL,
    source_id text NOT NULL,
    last_sequence bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (box_id, source_id)
);

CREATE TABLE experiments (
    experiment_id text PRIMARY KEY,
    name text NOT NULL,
    status text NOT NULL CHECK (status IN ('submitted', 'running', 'finished', 'failed', 'cancelled')),
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz
);

CREATE TABLE experiment_machines (
    experiment_id text NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
    machine text NOT NULL REFERENCES machines (name),
    PRIMARY KEY (experiment_id, machine)
);

CREATE TABLE marks (
    experiment_id text NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
    name text NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (experiment_id, name, at)
);

-- One row per machine and phase ('' = the whole experiment).
CREATE TABLE results (
    experiment_id text NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
    machine text NOT NULL,
    phase text NOT NULL,
    from_time timestamptz NOT NULL,
    to_time timestamptz NOT NULL,
    joules double precision NOT NULL,
    mean_w double precision NOT NULL,
    peak_w double precision NOT NULL,
    frames bigint NOT NULL,
    frames_expected bigint NOT NULL,
    frames_interpolated bigint NOT NULL,
    coverage double precision NOT NULL,
    PRIMARY KEY (experiment_id, machine, phase)
);
