#!/usr/bin/env bash
# Creates Hestami's roles and databases. The postgres image runs this once, as the superuser, on the
# first start with an empty data directory (/docker-entrypoint-initdb.d). Later changes to the passwords
# in .env do NOT reach an existing cluster: change them there with ALTER ROLE ... PASSWORD.
#
#   hestami_owner  owns both databases and every table; runs migrations; CREATEDB (DBOS needs it).
#   hestami_app    the API's role: LOGIN, DML only (granted by `hestami migrate`), not an owner.
#   Neither is a superuser and neither bypasses row-level security.
#
# The entrypoint may source this file instead of executing it, so it neither calls `exit` nor sets -u.
set -eo pipefail

if [ -z "${HESTAMI_OWNER_PASSWORD:-}" ] || [ -z "${HESTAMI_APP_PASSWORD:-}" ]; then
    echo "01-roles.sh: HESTAMI_OWNER_PASSWORD and HESTAMI_APP_PASSWORD must be set" >&2
    false
fi

# Passwords travel as psql variables and are quoted by psql (:'name'), never pasted into the SQL text.
psql -v ON_ERROR_STOP=1 --no-psqlrc \
    --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
    -v owner_password="$HESTAMI_OWNER_PASSWORD" \
    -v app_password="$HESTAMI_APP_PASSWORD" <<'SQL'
CREATE ROLE hestami_owner WITH LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'owner_password';
CREATE ROLE hestami_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'app_password';

CREATE DATABASE hestami OWNER hestami_owner;
CREATE DATABASE hestami_dbos OWNER hestami_owner;

-- Only our two roles (and the superuser) may connect.
REVOKE ALL ON DATABASE hestami FROM PUBLIC;
REVOKE ALL ON DATABASE hestami_dbos FROM PUBLIC;
GRANT CONNECT ON DATABASE hestami TO hestami_app;
GRANT CONNECT ON DATABASE hestami_dbos TO hestami_app;

-- In each database the public schema belongs to pg_database_owner (= hestami_owner), so the owner may
-- create objects and the app role may only use them. Table privileges come from `hestami migrate`.
\connect hestami
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO hestami_app;

\connect hestami_dbos
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO hestami_app;
SQL

echo "01-roles.sh: created roles hestami_owner, hestami_app and databases hestami, hestami_dbos"
