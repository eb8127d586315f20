-- Group commit of single-stream appends: the appends a busy API process makes in one turn of its
-- event loop (about five at 500 writes/s) go in one statement and one transaction instead of one
-- each. Every item is es_append_one in a subtransaction of its own, so an item that fails (a
-- concurrency conflict, a command id taken meanwhile) is rolled back alone and reported with its
-- SQLSTATE, message, detail and constraint: the client maps it exactly as it maps the error of a
-- lone es_append_one. Items come sorted by tenant and stream (the client sorts them), so two
-- batches running side by side take their row locks in one order and cannot deadlock.
CREATE FUNCTION es_append_batch(p_items jsonb)
RETURNS TABLE (ord int, next_version int, global_position bigint, transaction_id text,
               duplicate boolean, error_code text, error_message text, error_detail text,
               error_constraint text)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
  it record;
  r record;
  v_state text;
  v_message text;
  v_detail text;
  v_constraint text;
BEGIN
  FOR it IN SELECT x.item, x.n FROM jsonb_array_elements(p_items) WITH ORDINALITY AS x(item, n) LOOP
    BEGIN
      SELECT * INTO r FROM es_append_one(it.item ->> 'tenant', it.item ->> 'command',
                                         it.item ->> 'stream', (it.item ->> 'expected')::bigint,
                                         it.item -> 'events', it.item -> 'metadata');
      RETURN QUERY SELECT it.n::int, r.next_version, r.global_position, r.transaction_id,
                          r.duplicate, NULL::text, NULL::text, NULL::text, NULL::text;
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT,
                              v_detail = PG_EXCEPTION_DETAIL, v_constraint = CONSTRAINT_NAME;
      RETURN QUERY SELECT it.n::int, NULL::int, NULL::bigint, NULL::text, NULL::boolean,
                          v_state, v_message, nullif(v_detail, ''), nullif(v_constraint, '');
    END;
  END LOOP;
END
$$;

REVOKE ALL ON FUNCTION es_append_batch(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION es_append_batch(jsonb) TO union_app_rw;
