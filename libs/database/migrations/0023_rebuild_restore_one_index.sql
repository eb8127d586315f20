-- The end of a rebuild builds its suspended indexes again (migration 0019) one table per
-- connection; the indexes of one table were built one after the other in that call, so the audit
-- table's four (the largest table, the longest sorts) kept one core busy while the other sat idle.
-- This function builds one suspended index, so the runner can spread the builds over connections
-- one index each, largest tables first. Same rules as rm_restore_indexes: only what
-- rm_suspend_indexes kept (rm_* tables, no unique or primary indexes), its exact definition; a
-- second caller waits on the first one's DELETE and finds nothing left.
CREATE FUNCTION rm_restore_index(p_index text)
RETURNS int
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
SET maintenance_work_mem = '128MB'
AS $$
DECLARE
  r record;
BEGIN
  DELETE FROM rebuild_suspended_indexes WHERE index_name = p_index
    RETURNING index_name, definition INTO r;
  IF r.index_name IS NULL OR to_regclass(format('public.%I', r.index_name)) IS NOT NULL THEN
    RETURN 0;
  END IF;
  EXECUTE r.definition;
  RETURN 1;
END
$$;

REVOKE ALL ON FUNCTION rm_restore_index(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rm_restore_index(text) TO union_app_rw;
