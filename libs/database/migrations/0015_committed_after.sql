-- Whether any committed event lies beyond a checkpoint, whether or not the gap-free horizon has
-- passed it yet. A follower that reads nothing but gets true here is being held back by an open
-- transaction (in this or, since transaction ids are cluster-wide, another database of the
-- cluster) and must wait rather than report itself caught up.
CREATE FUNCTION es_committed_after(p_after_tx xid8, p_after_pos bigint)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT EXISTS (SELECT 1 FROM events e WHERE (e.transaction_id, e.global_position) > (p_after_tx, p_after_pos))
$$;
REVOKE ALL ON FUNCTION es_committed_after(xid8, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION es_committed_after(xid8, bigint) TO union_app_rw;
