-- How far a follower is behind, across tenants (operators' `projections status`): events after a
-- checkpoint and the record time of the oldest of them. SECURITY DEFINER like es_read_all; it
-- returns counts only, no tenant data.
CREATE FUNCTION es_log_stats(p_after_tx xid8, p_after_pos bigint)
RETURNS TABLE (pending bigint, oldest_pending timestamptz, total bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT count(*) FILTER (WHERE (e.transaction_id, e.global_position) > (p_after_tx, p_after_pos)),
         min(e.recorded_at) FILTER (WHERE (e.transaction_id, e.global_position) > (p_after_tx, p_after_pos)),
         count(*)
    FROM events e
   WHERE e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
$$;
REVOKE ALL ON FUNCTION es_log_stats(xid8, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION es_log_stats(xid8, bigint) TO union_app_rw;
