-- Raw chunks in the compact codec (Samples/ChunkCodec.cs, docs/storage-codec.md): a chunk keeps
-- its first frame's offset and id, its last frame's offset and its counts as columns, and
-- everything else (id steps, time residuals, valid flags, values) in one compressed bytea. The
-- arrays of the old layout stored each frame's time and id in full and every value uncompressed.
--
-- The old table and its daily partitions (and their keys' indexes) are renamed out of the way;
-- the code step of this migration (Migrations/ChunkCodecMigration.cs) then re-encodes the old
-- chunks into the new table one old day per transaction, dropping each day once converted, and
-- resumes at the next start if a silo stops halfway.
ALTER TABLE sample_chunks RENAME TO sample_chunks_arrays;
ALTER TABLE sample_chunks_arrays RENAME CONSTRAINT sample_chunks_pkey TO sample_chunks_arrays_pkey;

DO $rename$
DECLARE
    p record;
BEGIN
    FOR p IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'public.sample_chunks_arrays'::regclass LOOP
        EXECUTE format('ALTER TABLE public.%I RENAME TO %I', p.relname, 'sample_chunks_arrays_' || substr(p.relname, length('sample_chunks_') + 1));
        IF to_regclass(format('public.%I', p.relname || '_pkey')) IS NOT NULL THEN
            EXECUTE format('ALTER INDEX public.%I RENAME TO %I', p.relname || '_pkey', 'sample_chunks_arrays_' || substr(p.relname, length('sample_chunks_') + 1) || '_pkey');
        END IF;
    END LOOP;
END
$rename$;

CREATE TABLE sample_chunks (
    box_id text NOT NULL,
    second timestamptz NOT NULL,
    -- µs after the second of the chunk's first and last frame.
    first_offset_us int NOT NULL,
    last_offset_us int NOT NULL,
    first_frame_id int NOT NULL,
    frames smallint NOT NULL CHECK (frames > 0),
    valid_frames smallint NOT NULL,
    plugs smallint NOT NULL,
    -- ChunkCodec: version byte, body length, Brotli-compressed body.
    data bytea NOT NULL,
    PRIMARY KEY (box_id, second, first_offset_us)
) PARTITION BY RANGE (second);

-- Already compressed. MAIN keeps a chunk in its row whenever the row fits a page (a 6-plug
-- second is ~3.4 kB), so reading it needs no TOAST lookup; PostgreSQL still tries (and fails,
-- quickly: pglz gives up on the first kilobyte) to compress rows over ~2 kB. Partitions made
-- later by fleet_ensure_raw_partition inherit it.
ALTER TABLE sample_chunks ALTER COLUMN data SET STORAGE MAIN;

DO $owner$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fleet_app') THEN
        ALTER TABLE sample_chunks OWNER TO fleet_app;
    END IF;
END
$owner$;
