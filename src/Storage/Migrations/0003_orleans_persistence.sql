-- Orleans AdoNet grain persistence (Microsoft.Orleans.Persistence.AdoNet 10.4.2) on Fleet's schema.
--
-- Orleans binds @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
-- @GrainIdExtensionString, @ServiceId, @GrainStateVersion and @PayloadBinary, and reads the columns
-- PayloadBinary, Version and NewGrainStateVersion (as int). Version is the grain state's ETag.
-- A grain is identified by (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString);
-- the two hashes are derived from those and lead the index because they are the selective part.
CREATE TABLE OrleansStorage
(
    GrainIdHash integer NOT NULL,
    GrainIdN0 bigint NOT NULL,
    GrainIdN1 bigint NOT NULL,
    GrainTypeHash integer NOT NULL,
    GrainTypeString varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) NULL,
    ServiceId varchar(150) NOT NULL,
    PayloadBinary bytea NULL,
    ModifiedOn timestamptz NOT NULL DEFAULT now(),
    Version integer NULL
);

-- One row per grain state, enforced by the database: two activations of the same grain (a split
-- brain) inserting at once then cannot both succeed; the loser's INSERT ... ON CONFLICT DO NOTHING
-- returns no version and Orleans raises InconsistentStateException. The extension string is NULL
-- for plain integer/Guid keys and NULLs never collide in a unique index (NULLS NOT DISTINCT needs
-- PostgreSQL 15), so the first index also serves every lookup (hash prefix) and the partial one
-- adds uniqueness for the NULL case.
CREATE UNIQUE INDEX UX_OrleansStorage_Grain
    ON OrleansStorage (GrainIdHash, GrainTypeHash, ServiceId, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString);

CREATE UNIQUE INDEX UX_OrleansStorage_GrainWithoutExtension
    ON OrleansStorage (GrainIdHash, GrainTypeHash, ServiceId, GrainIdN0, GrainIdN1, GrainTypeString)
    WHERE GrainIdExtensionString IS NULL;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- A write with the ETag it last saw (@GrainStateVersion) updates only that version; a first write
-- (no ETag) inserts version 1 only if the grain has no row yet. Exactly one row comes back: the new
-- version, or NULL when the ETag was stale or another activation inserted first, which Orleans turns
-- into an InconsistentStateException. A cleared row keeps its version, so writing after a clear is
-- an update, not an insert.
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE OrleansStorage
    SET PayloadBinary = @PayloadBinary,
        ModifiedOn = now(),
        Version = Version + 1
    WHERE @GrainStateVersion IS NOT NULL
      AND Version = @GrainStateVersion
      AND GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND ServiceId = @ServiceId
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
    RETURNING Version
), inserted AS (
    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
         ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString,
           @ServiceId, @PayloadBinary, now(), 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version
)
SELECT (SELECT Version FROM updated
        UNION ALL
        SELECT Version FROM inserted
        LIMIT 1) AS NewGrainStateVersion
$q$),

-- The stored state and its ETag; no row means "never written". A cleared state is a row with a NULL
-- payload and a version, which Orleans reads as "no record, but this ETag".
('ReadFromStorageKey', $q$
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
$q$),

-- Clear keeps the row (and bumps its version) so a later write still goes through the ETag check.
-- No row back means a stale ETag.
('ClearStorageKey', $q$
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn = now(),
    Version = Version + 1
WHERE Version = @GrainStateVersion
  AND GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING Version AS NewGrainStateVersion
$q$),

-- Used instead of ClearStorageKey when DeleteStateOnClear is set. Orleans compares the returned value
-- with the ETag it sent to detect a conflict, so it must differ from it: the deleted version + 1.
('DeleteStorageKey', $q$
DELETE FROM OrleansStorage
WHERE Version = @GrainStateVersion
  AND GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING Version + 1 AS NewGrainStateVersion
$q$);
