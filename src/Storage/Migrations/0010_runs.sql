-- Experiments submitted with a command, run on the measured machines by their runners.
ALTER TABLE experiments DROP CONSTRAINT experiments_status_check;
ALTER TABLE experiments ADD CONSTRAINT experiments_status_check
    CHECK (status IN ('submitted', 'queued', 'baseline', 'running', 'finished', 'failed', 'cancelled'));

-- Which host (by the name in its lab certificate) may run experiments as which machine: a
-- runner reports a machine's activity, marks and component energy, so it is enrolled like an agent.
CREATE TABLE runner_enrolments (
    host text NOT NULL CHECK (host ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    machine text NOT NULL CHECK (machine ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    enrolled_at timestamptz NOT NULL DEFAULT now(),
    enrolled_by text NOT NULL,
    PRIMARY KEY (host, machine)
);

-- Each machine's run of an experiment's command: who ran it, when (cluster time), how it ended.
CREATE TABLE experiment_runs (
    experiment_id text NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
    machine text NOT NULL,
    host text,
    started_at timestamptz,
    ended_at timestamptz,
    exit_code int,
    error text,
    PRIMARY KEY (experiment_id, machine)
);

-- What a command printed, a line per row, numbered per machine from 1 by the runner (a resent
-- report inserts nothing twice); id orders lines across machines for `fleet logs --follow`.
CREATE TABLE run_logs (
    id bigint GENERATED ALWAYS AS IDENTITY,
    experiment_id text NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
    machine text NOT NULL,
    sequence bigint NOT NULL,
    at timestamptz NOT NULL,
    source text NOT NULL CHECK (source IN ('stdout', 'stderr')),
    line text NOT NULL,
    PRIMARY KEY (experiment_id, machine, sequence)
);
CREATE INDEX run_logs_by_id ON run_logs (experiment_id, id);

-- Component meters' cumulative joules ('rapl', 'gpu') as the runner read them; energy over a
-- phase is the counter interpolated at its two ends.
CREATE TABLE component_samples (
    experiment_id text NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
    machine text NOT NULL,
    component text NOT NULL,
    at timestamptz NOT NULL,
    joules double precision NOT NULL,
    PRIMARY KEY (experiment_id, machine, component, at)
);

-- CPU cores the runner and its command used, to check the assigned socket follows the machine.
CREATE TABLE runner_activity (
    experiment_id text NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
    machine text NOT NULL,
    at timestamptz NOT NULL,
    cores double precision NOT NULL,
    PRIMARY KEY (experiment_id, machine, at)
);

-- One row per machine, phase and component; joules null when the component was not measured
-- (missing says why): never a 0 that looks like a measurement.
CREATE TABLE component_results (
    experiment_id text NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
    machine text NOT NULL,
    phase text NOT NULL,
    component text NOT NULL,
    source text NOT NULL,
    joules double precision,
    missing text,
    PRIMARY KEY (experiment_id, machine, phase, component)
);

GRANT SELECT ON component_results, experiment_runs TO fleet_reader;

-- fleet_app owns what it writes, as for every table before (0007): a migration run as the
-- database superuser must not leave tables fleet_app cannot alter in a later migration.
DO $owner$
DECLARE
    t record;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fleet_app') THEN
        FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'fleet_app'
                 AND tablename IN ('runner_enrolments', 'experiment_runs', 'run_logs', 'component_samples', 'runner_activity', 'component_results') LOOP
            EXECUTE format('ALTER TABLE public.%I OWNER TO fleet_app', t.tablename);
        END LOOP;
    END IF;
END
$owner$;
