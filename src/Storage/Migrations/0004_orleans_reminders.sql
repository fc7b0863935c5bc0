-- Orleans AdoNet reminders (Microsoft.Orleans.Reminders.AdoNet 10.4.2) on Fleet's schema.
--
-- Orleans binds @ServiceId, @GrainId, @ReminderName, @StartTime (UTC), @Period (milliseconds, sent
-- as int or bigint), @GrainHash (the grain's uint ring hash cast to int), @BeginHash, @EndHash and
-- @Version, and reads GrainId, ReminderName, StartTime, Period (as int64) and Version (the ETag).
CREATE TABLE OrleansRemindersTable
(
    ServiceId varchar(150) NOT NULL,
    GrainId text NOT NULL, -- "type/key": string keys can be long, so no length limit
    ReminderName varchar(150) NOT NULL,
    StartTime timestamptz NOT NULL,
    Period bigint NOT NULL,
    GrainHash integer NOT NULL,
    Version integer NOT NULL,
    CONSTRAINT PK_RemindersTable_ServiceId_GrainId_ReminderName PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Each silo periodically reads the reminders of its slice of the hash ring.
CREATE INDEX IX_RemindersTable_ServiceId_GrainHash ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Registering a reminder again replaces it and bumps its ETag; returns the new ETag.
('UpsertReminderRowKey', $q$
INSERT INTO OrleansRemindersTable AS r
    (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
SET StartTime = excluded.StartTime,
    Period = excluded.Period,
    GrainHash = excluded.GrainHash,
    Version = r.Version + 1
RETURNING r.Version AS Version
$q$),

-- All reminders of one grain.
('ReadReminderRowsKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
$q$),

-- One reminder of one grain (no row: not registered).
('ReadReminderRowKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
  AND ReminderName = @ReminderName
$q$),

-- A ring range (BeginHash, EndHash] that does not wrap in signed order: Orleans picks this key when
-- (int)BeginHash < (int)EndHash.
('ReadRangeRows1Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainHash > @BeginHash
  AND GrainHash <= @EndHash
$q$),

-- The wrapping range: everything above BeginHash plus everything up to EndHash.
('ReadRangeRows2Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)
$q$),

-- Unregisters one reminder if its ETag still matches; 1 when deleted, 0 when stale or absent.
('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
      AND GrainId = @GrainId
      AND ReminderName = @ReminderName
      AND Version = @Version
    RETURNING 1
)
SELECT count(*)::integer FROM deleted
$q$),

-- Drops every reminder of the service (IReminderTable.TestOnlyClearTable).
('DeleteReminderRowsKey', $q$
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
$q$);
