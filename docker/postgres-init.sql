-- First start of the compose PostgreSQL: the application's login role, not an owner and without
-- BYPASSRLS, so row-level security applies to it. The migrations (run by the api as the owner)
-- grant union_app_rw what it may do.
CREATE ROLE union_app_rw NOLOGIN NOBYPASSRLS;
CREATE ROLE union_app LOGIN PASSWORD 'union_app' NOSUPERUSER NOBYPASSRLS IN ROLE union_app_rw;
GRANT pg_read_all_stats TO union_app;
