-- Orleans AdoNet clustering (Microsoft.Orleans.Clustering.AdoNet 10.4.2) on Fleet's own schema.
--
-- Orleans reads its queries from OrleansQuery at start-up ("SELECT QueryKey, QueryText FROM
-- OrleansQuery") and binds them by @parameter name; it reads results by column name. Those names,
-- the query keys and the column types it reads are the contract; the SQL bodies are ours.
-- The queries are plain statements (CTEs, ON CONFLICT) instead of plpgsql functions, so the whole
-- schema lives in tables and a migration never has to replace a function.
--
-- Orleans sends DateTime values as DbType.DateTime with Kind=Utc, which Npgsql maps to timestamptz,
-- so every time is timestamptz. The compare-and-delete cleanup below matches times Orleans read from
-- this table, so they round-trip exactly whatever the precision.

-- First Orleans migration: the query table shared by clustering, persistence and reminders.
CREATE TABLE OrleansQuery
(
    QueryKey varchar(64) NOT NULL,
    QueryText text NOT NULL,
    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);

-- One row per cluster (Orleans calls it DeploymentId; it is ClusterOptions.ClusterId). Version is the
-- membership table's ETag: every membership change bumps it, so two silos changing membership at
-- once cannot both win (the extended membership protocol).
CREATE TABLE OrleansMembershipVersionTable
(
    DeploymentId varchar(150) NOT NULL,
    Timestamp timestamptz NOT NULL DEFAULT now(),
    Version integer NOT NULL DEFAULT 0,
    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

-- One row per silo incarnation (address, port, generation). Status is Orleans' SiloStatus
-- (2 Joining, 3 Active, 4 ShuttingDown, 5 Stopping, 6 Dead). Orleans always writes ProxyPort (0 when
-- the silo has no gateway) and reads it with GetInt32, so it is NOT NULL here. Deleting a cluster's
-- version row takes its members with it (DeleteMembershipTableEntriesKey relies on this).
CREATE TABLE OrleansMembershipTable
(
    DeploymentId varchar(150) NOT NULL,
    Address varchar(45) NOT NULL,
    Port integer NOT NULL,
    Generation integer NOT NULL,
    SiloName varchar(150) NOT NULL,
    HostName varchar(150) NOT NULL,
    Status integer NOT NULL,
    ProxyPort integer NOT NULL DEFAULT 0,
    SuspectTimes text NULL,
    StartTime timestamptz NOT NULL,
    IAmAliveTime timestamptz NOT NULL,
    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId) ON DELETE CASCADE
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Heartbeat: Orleans does not check the result and does not bump the table version for it.
('UpdateIAmAlivetimeKey', $q$
UPDATE OrleansMembershipTable
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation
$q$),

-- Creates the cluster's version row once; returns 1 when this call created it, 0 when it existed.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (@DeploymentId)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer FROM created
$q$),

-- Adds a silo only if the caller saw the current table version (@Version) and the silo is new.
-- The version bump comes first and the insert reads from it, so either both happen or neither:
-- the row lock on the version row serialises concurrent writers, and a loser (stale @Version or an
-- existing row) changes nothing and gets 0, which tells Orleans to re-read and retry.
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE OrleansMembershipVersionTable AS v
    SET Version = v.Version + 1,
        Timestamp = now()
    WHERE v.DeploymentId = @DeploymentId
      AND v.Version = @Version
      AND NOT EXISTS (
          SELECT 1 FROM OrleansMembershipTable AS m
          WHERE m.DeploymentId = @DeploymentId
            AND m.Address = @Address
            AND m.Port = @Port
            AND m.Generation = @Generation)
    RETURNING v.DeploymentId
), inserted AS (
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    SELECT b.DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM bumped AS b
    RETURNING 1
)
SELECT count(*)::integer FROM inserted
$q$),

-- Changes a silo's status and suspicions under the same version check as the insert: the bump only
-- happens when the row exists, and the update only when the bump did. 1 on success, 0 otherwise.
('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE OrleansMembershipVersionTable AS v
    SET Version = v.Version + 1,
        Timestamp = now()
    WHERE v.DeploymentId = @DeploymentId
      AND v.Version = @Version
      AND EXISTS (
          SELECT 1 FROM OrleansMembershipTable AS m
          WHERE m.DeploymentId = @DeploymentId
            AND m.Address = @Address
            AND m.Port = @Port
            AND m.Generation = @Generation)
    RETURNING v.DeploymentId
), updated AS (
    UPDATE OrleansMembershipTable AS m
    SET Status = @Status,
        SuspectTimes = @SuspectTimes,
        IAmAliveTime = @IAmAliveTime
    FROM bumped AS b
    WHERE m.DeploymentId = b.DeploymentId
      AND m.Address = @Address
      AND m.Port = @Port
      AND m.Generation = @Generation
    RETURNING 1
)
SELECT count(*)::integer FROM updated
$q$),

-- One silo's row plus the table version. The outer join keeps the version row when the silo is
-- absent: Orleans takes the version from the first row and treats a NULL StartTime as "no entry".
('MembershipReadRowKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable AS v
LEFT JOIN OrleansMembershipTable AS m
       ON m.DeploymentId = v.DeploymentId
      AND m.Address = @Address
      AND m.Port = @Port
      AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId
$q$),

-- Every silo of the cluster plus the table version, read in one statement so they are consistent.
('MembershipReadAllKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable AS v
LEFT JOIN OrleansMembershipTable AS m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId
$q$),

-- Forgets a whole cluster; the foreign key cascades to its silo rows.
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM OrleansMembershipVersionTable
WHERE DeploymentId = @DeploymentId
$q$),

-- The gateways a client may connect to: active silos that listen for clients (@Status is Active).
('GatewaysQueryKey', $q$
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = @Status
  AND ProxyPort > 0
$q$),

-- Legacy bulk cleanup, used only when CleanupDefunctSiloEntryKey is absent: removes silos that are
-- not Active and have not been heard from since @IAmAliveTime.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND IAmAliveTime < @IAmAliveTime
  AND Status <> 3
$q$),

-- Optional in 10.4.2 and preferred when present: Orleans reads the table, picks Dead silos older
-- than its cutoff, and deletes each one only if its row is still exactly what it read (a
-- compare-and-delete, so a row that changed meanwhile survives). "No suspicions" may be NULL on
-- one side and an empty string on the other (Orleans writes whichever its list serialises to), so
-- those compare equal.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation
  AND Status = 6
  AND StartTime = @StartTime
  AND IAmAliveTime = @IAmAliveTime
  AND coalesce(SuspectTimes, '') = coalesce(@SuspectTimes, '')
$q$);
