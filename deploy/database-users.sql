-- The database users of docker-compose.yml, each with the least it needs (docs/security.md, "Compose:
-- database users and NATS accounts"). The postgres image runs this file once, on a new volume, as its
-- superuser connected to the service's database (POSTGRES_DB). It can run again (`psql -f`): it then sets the
-- passwords the environment holds now, and grants what a newer version of it grants.
--   CHECKOUT_DB_OWNER  owns the service's database and its schema; the migrate role alone connects as it.
--   CHECKOUT_DB_APP    every other role: rows of the service's tables (no DDL), and the migrations journal.
--   TEMPORAL_DB_USER   owns TEMPORAL_DB and TEMPORAL_VISIBILITY_DB (made here), and nothing else.
-- Each with its password in <NAME>_PASSWORD (TEMPORAL_DB_PASSWORD for Temporal's), read from the environment
-- so that no password is ever part of this file or of a command line.
\set ON_ERROR_STOP on
\getenv owner CHECKOUT_DB_OWNER
\getenv owner_password CHECKOUT_DB_OWNER_PASSWORD
\getenv app CHECKOUT_DB_APP
\getenv app_password CHECKOUT_DB_APP_PASSWORD
\getenv temporal_user TEMPORAL_DB_USER
\getenv temporal_password TEMPORAL_DB_PASSWORD
\getenv temporal_db TEMPORAL_DB
\getenv visibility_db TEMPORAL_VISIBILITY_DB

SELECT :{?owner} AND :{?owner_password} AND :{?app} AND :{?app_password} AND :{?temporal_user}
   AND :{?temporal_password} AND :{?temporal_db} AND :{?visibility_db} AS configured \gset
\if :configured
\else
  DO $$ BEGIN RAISE EXCEPTION 'database-users.sql: set CHECKOUT_DB_OWNER, CHECKOUT_DB_APP, TEMPORAL_DB_USER (and their passwords), TEMPORAL_DB and TEMPORAL_VISIBILITY_DB'; END $$;
\endif

SELECT current_database() AS db \gset
-- A wrong name must not strip the superuser of its rights, or hand the wrong database over.
SELECT cardinality(ARRAY(SELECT DISTINCT unnest(ARRAY[current_user, :'owner', :'app', :'temporal_user']))) = 4
   AND :'db' NOT IN ('postgres', 'template0', 'template1', :'temporal_db', :'visibility_db')
   AND :'temporal_db' <> :'visibility_db' AS sane \gset
\if :sane
\else
  DO $$ BEGIN RAISE EXCEPTION 'database-users.sql: the three users must differ from each other and from the superuser, and it must run in the service''s own database'; END $$;
\endif

-- Login roles with no other attribute; a run again resets the attributes and sets the current password.
SELECT format('CREATE ROLE %I', role_name)
  FROM unnest(ARRAY[:'owner', :'app', :'temporal_user']) AS wanted(role_name)
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role_name) \gexec
ALTER ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'owner_password';
ALTER ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'app_password';
ALTER ROLE :"temporal_user" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'temporal_password';

-- Temporal's two databases, which its schema job fills as their owner (btree_gin, which the visibility schema
-- creates, is a trusted extension: a database owner may create it). No one else may connect to them.
SELECT format('CREATE DATABASE %I OWNER %I', db_name, :'temporal_user')
  FROM unnest(ARRAY[:'temporal_db', :'visibility_db']) AS wanted(db_name)
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = db_name) \gexec
ALTER DATABASE :"temporal_db" OWNER TO :"temporal_user";
ALTER DATABASE :"visibility_db" OWNER TO :"temporal_user";
REVOKE ALL ON DATABASE :"temporal_db", :"visibility_db" FROM PUBLIC;

-- The service's database: the owner creates the tables (public) and drizzle's journal of applied migrations
-- (the schema drizzle, made here so the grants below can name it). The app user may connect, and nobody else.
ALTER DATABASE :"db" OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"app";
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
CREATE SCHEMA IF NOT EXISTS drizzle AUTHORIZATION :"owner";
ALTER SCHEMA drizzle OWNER TO :"owner";

-- The app user: rows, never the tables themselves. Granted on what exists (a run again after migrations),
-- and by default on what the owner creates later (every migration to come).
GRANT USAGE ON SCHEMA public TO :"app";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE ON SEQUENCES TO :"app";
-- Every role but migrate reads the journal at start, and refuses a database that is behind.
GRANT USAGE ON SCHEMA drizzle TO :"app";
GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA drizzle GRANT SELECT ON TABLES TO :"app";
