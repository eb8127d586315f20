-- A rebuild loads read-model tables from empty. Maintaining their secondary indexes row by row
-- costs more than the load itself (the audit row went into five indexes at 440-750 ms per 5,000
-- rows; a dues member row is never a HOT update while unpaid_since keys the arrears indexes), and
-- building an index once over the loaded table is a sort. So a rebuild drops the secondary
-- indexes of the tables it empties and builds them again when its replay is done.
--
-- The projector runs as the application role, which may empty these tables (TRUNCATE) but does
-- not own them, so it cannot drop or create their indexes. These two SECURITY DEFINER functions
-- (owned by the migration role, which owns the tables) do that and nothing else: only tables
-- named rm_*, only indexes that are neither unique nor primary keys (ON CONFLICT and the
-- projections' own lookups use the primary keys, which stay), and each dropped index's exact
-- definition is kept in rebuild_suspended_indexes until it is built again. An index missing
-- for a while makes queries slower, never wrong; a rebuild empties the tables anyway.
CREATE TABLE rebuild_suspended_indexes (
  index_name   text        PRIMARY KEY,
  table_name   text        NOT NULL,
  definition   text        NOT NULL,
  suspended_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON rebuild_suspended_indexes FROM PUBLIC;
GRANT SELECT ON rebuild_suspended_indexes TO union_app_rw;

-- Drops the secondary indexes of the given rm_* tables, keeping their definitions; returns how
-- many. Two callers at once: the second waits on the table lock and finds the index gone.
CREATE FUNCTION rm_suspend_indexes(p_tables text[])
RETURNS int
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  r record;
  n int := 0;
BEGIN
  FOR r IN
    SELECT ic.relname AS index_name, tc.relname AS table_name, pg_get_indexdef(ic.oid) AS definition
      FROM pg_index i
      JOIN pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_class tc ON tc.oid = i.indrelid
      JOIN pg_namespace s ON s.oid = tc.relnamespace
     WHERE s.nspname = 'public' AND tc.relname = ANY (p_tables) AND tc.relname LIKE 'rm\_%'
       AND NOT i.indisunique AND NOT i.indisprimary AND NOT i.indisexclusion
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = ic.oid)
  LOOP
    INSERT INTO rebuild_suspended_indexes (index_name, table_name, definition)
      VALUES (r.index_name, r.table_name, r.definition)
      ON CONFLICT (index_name) DO NOTHING;
    EXECUTE format('DROP INDEX IF EXISTS %I', r.index_name);
    n := n + 1;
  END LOOP;
  RETURN n;
END
$$;

-- Builds again every suspended index of the given tables (all tables when NULL) from its kept
-- definition; returns how many it built. Called at the end of a rebuild (also a failed one) and
-- when a runner starts, so a rebuild killed half-way leaves no table without its indexes for long.
-- Two callers at once: the second waits on the first one's DELETE and finds nothing left.
CREATE FUNCTION rm_restore_indexes(p_tables text[])
RETURNS int
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
SET maintenance_work_mem = '128MB'
AS $$
DECLARE
  r record;
  n int := 0;
BEGIN
  FOR r IN
    DELETE FROM rebuild_suspended_indexes
     WHERE p_tables IS NULL OR table_name = ANY (p_tables)
    RETURNING index_name, definition
  LOOP
    IF to_regclass(format('public.%I', r.index_name)) IS NULL THEN
      EXECUTE r.definition;
      n := n + 1;
    END IF;
  END LOOP;
  RETURN n;
END
$$;

REVOKE ALL ON FUNCTION rm_suspend_indexes(text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION rm_restore_indexes(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rm_suspend_indexes(text[]) TO union_app_rw;
GRANT EXECUTE ON FUNCTION rm_restore_indexes(text[]) TO union_app_rw;
