-- Trust: API tokens, agent enrolment, the audit log, and the two roles Fleet runs as.

-- API tokens. Only a SHA-256 of each token is kept: tokens are 256 random bits, so a slow
-- password hash would add nothing, and a stolen table gives no usable token. Revoking sets
-- revoked_at; every request reads this table, so a revocation holds at once on every silo.
CREATE TABLE api_tokens (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    role text NOT NULL CHECK (role IN ('viewer', 'experimenter', 'admin')),
    token_sha256 bytea NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL,
    revoked_at timestamptz
);
-- One live token per name, so `fleet tokens revoke NAME` means one token.
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;

-- Which USB host (by the name in its lab certificate) may write which box.
CREATE TABLE agent_enrolments (
    host text NOT NULL CHECK (host ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    box_id text NOT NULL CHECK (box_id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    enrolled_at timestamptz NOT NULL DEFAULT now(),
    enrolled_by text NOT NULL,
    PRIMARY KEY (host, box_id)
);

-- Every write through the HTTP API: who (token name and role), what (method, path, answer),
-- when, and for assignments, enrolments and tokens the state before and after.
CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor text NOT NULL,
    role text NOT NULL,
    method text NOT NULL,
    path text NOT NULL,
    status integer NOT NULL,
    before jsonb,
    after jsonb
);
CREATE INDEX audit_log_at ON audit_log (at);

-- The roles. fleet_app owns Fleet's and Orleans' tables and is what silos connect as; it is
-- not a superuser and cannot create roles. fleet_reader is what Grafana connects as: SELECT on
-- the tables the dashboards read, nothing else, and a statement timeout so no dashboard query
-- can hold the database. Both are made without LOGIN: the deployment gives them a login and a
-- password (deploy/postgres/init/, SECURITY.md). Roles belong to the whole server, so a second
-- Fleet database on it, or a deployment that made them first, finds them already there.
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fleet_app') THEN
        BEGIN
            CREATE ROLE fleet_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
        EXCEPTION
            WHEN duplicate_object OR unique_violation THEN NULL; -- made at the same moment by another database's migration
            WHEN insufficient_privilege THEN
                RAISE EXCEPTION 'role fleet_app does not exist and % may not create it', current_user
                    USING HINT = 'create fleet_app and fleet_reader as the database superuser first (SECURITY.md), or migrate once as a role with CREATEROLE';
        END;
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fleet_reader') THEN
        BEGIN
            CREATE ROLE fleet_reader NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
            ALTER ROLE fleet_reader SET statement_timeout = '30s';
        EXCEPTION
            WHEN duplicate_object OR unique_violation THEN NULL;
            WHEN insufficient_privilege THEN
                RAISE EXCEPTION 'role fleet_reader does not exist and % may not create it', current_user
                    USING HINT = 'create fleet_app and fleet_reader as the database superuser first (SECURITY.md), or migrate once as a role with CREATEROLE';
        END;
    END IF;
END
$roles$;

-- fleet_app owns every table (Fleet's, Orleans', the migrations' own record). A silo that
-- migrates as fleet_app owns them already; one that migrated as a superuser hands them over.
DO $owner$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'fleet_app' LOOP
        EXECUTE format('ALTER TABLE public.%I OWNER TO fleet_app', t.tablename);
    END LOOP;
END
$owner$;

-- What the dashboards read (deploy/grafana/dashboards/*.json), and nothing else: no raw
-- samples, no tokens, no enrolments, no audit log, no Orleans state.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM fleet_reader;
GRANT SELECT ON machines, boxes, socket_assignments, power_1s, experiments, experiment_machines, marks, results TO fleet_reader;

-- Nobody but the owner creates objects in the schema (PostgreSQL 15 and later already say so;
-- older servers let every role create tables in public).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
