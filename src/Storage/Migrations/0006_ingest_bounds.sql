-- Bounds on what one box can store, and who wrote it.

-- A second holds at most 120 frames of a box (it sends 100; imported logs' receipt times
-- bunch a few more): the rollup's count is an int so no accepted value can wrap (a smallint
-- once stored 40 000 as -25 536), and the check refuses a batch that would exceed the bound
-- across batches, whatever path it came by. NOT VALID: rows stored before are not re-checked.
ALTER TABLE power_1s ALTER COLUMN frames TYPE integer;
ALTER TABLE power_1s ADD CONSTRAINT power_1s_frames_per_second CHECK (frames BETWEEN 1 AND 120) NOT VALID;

-- One writer per box: each source (an agent run, an imported file) records the agent that
-- wrote it (its writer id, kept in the agent's spool directory) and that agent's host, so a
-- meter activated on another silo still knows who feeds its box and since when it is silent.
ALTER TABLE ingest_positions ADD COLUMN writer_id text;
ALTER TABLE ingest_positions ADD COLUMN agent_host text;
UPDATE ingest_positions SET writer_id = source_id WHERE writer_id IS NULL;
ALTER TABLE ingest_positions ALTER COLUMN writer_id SET NOT NULL;
CREATE INDEX ingest_positions_latest ON ingest_positions (box_id, updated_at DESC);
