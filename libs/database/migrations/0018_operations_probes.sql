-- (First landed as 0017_operations_probes beside 0017_member_personal_data; renumbered, and
-- written to be re-runnable, so a database that applied it under the old name takes it again.)
-- Readiness probes of the application role: which migrations are applied (compared with the
-- files the running code ships), and how far each follower is behind, cheaply enough to be asked
-- every few seconds.
GRANT SELECT ON schema_migrations TO union_app_rw;

-- Per follower: events after its checkpoint (counted up to p_cap, so a probe during a rebuild
-- stays an index range scan of bounded length) and the age of the oldest of them. Cross-tenant
-- like es_read_all, so SECURITY DEFINER; it returns counts, ages and
-- whether the follower is stopped on a failure (not why: the reason may name a tenant).
CREATE OR REPLACE FUNCTION es_follower_lag(p_names text[], p_cap int)
RETURNS TABLE (name text, pending bigint, oldest_pending_seconds float8, failed boolean)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT n.name, lag.pending, lag.age, coalesce(c.failed_reason IS NOT NULL, false)
    FROM unnest(p_names) AS n(name)
    LEFT JOIN subscription_checkpoints c ON c.name = n.name
   CROSS JOIN LATERAL (
     SELECT count(*) AS pending,
            coalesce(extract(epoch FROM now() - min(s.recorded_at))::float8, 0) AS age
       FROM (SELECT e.recorded_at
               FROM events e
              WHERE (e.transaction_id, e.global_position)
                    > (coalesce(c.transaction_id, '0'::xid8), coalesce(c.global_position, 0))
              ORDER BY e.transaction_id, e.global_position
              LIMIT p_cap) s
   ) lag
$$;
REVOKE ALL ON FUNCTION es_follower_lag(text[], int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION es_follower_lag(text[], int) TO union_app_rw;
