#!/bin/sh
# Runs once, as the database superuser, when the PostgreSQL container initialises an empty volume
# (docker-entrypoint-initdb.d). It is the only use of the superuser's password: it makes Fleet's
# two roles with their passwords from the environment, and the fleet database owned by fleet_app.
#   fleet_app     the silos: owns Fleet's and Orleans' tables (the silos migrate them), no superuser
#   fleet_reader  Grafana: SELECT on the dashboards' tables only (granted by migration 0007), 30 s timeout
# The silos' migration 0007 makes the same roles without a login where they do not exist yet.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$FLEET_APP_PASSWORD" -v reader_password="$FLEET_READER_PASSWORD" <<'SQL'
CREATE ROLE fleet_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE ROLE fleet_reader LOGIN PASSWORD :'reader_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE fleet_reader SET statement_timeout = '30s';
CREATE DATABASE fleet OWNER fleet_app;
REVOKE ALL ON DATABASE fleet FROM PUBLIC;
GRANT CONNECT ON DATABASE fleet TO fleet_app, fleet_reader;
SQL
