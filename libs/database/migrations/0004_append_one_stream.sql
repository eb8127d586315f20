-- The common case, one stream, without the multi-stream bookkeeping: no loop, no window function,
-- no JSON result built unless a command id must be remembered. Metadata is passed once for all
-- events of the append. Same error codes as es_append (UE001 conflict, UE002 racing duplicate).
CREATE FUNCTION es_append_one(p_tenant text, p_command_id text, p_stream text, p_expected bigint,
                              p_events jsonb, p_metadata jsonb)
RETURNS TABLE (next_version int, global_position bigint, transaction_id text, duplicate boolean)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
  v_current int;
  v_stored  jsonb;
  v_next    int;
  v_last    bigint;
BEGIN
  IF p_tenant IS NULL OR p_tenant = '' THEN
    RAISE EXCEPTION 'tenant is required' USING ERRCODE = 'UE003';
  END IF;
  PERFORM set_config('app.tenant_id', p_tenant, true);

  IF p_command_id IS NOT NULL THEN
    SELECT c.result INTO v_stored FROM es_commands c
     WHERE c.tenant_id = p_tenant AND c.command_id = p_command_id;
    IF FOUND THEN
      RETURN QUERY SELECT (v_stored -> 'streams' -> 0 ->> 'nextVersion')::int,
                          (v_stored ->> 'position')::bigint, v_stored ->> 'transactionId', true;
      RETURN;
    END IF;
  END IF;

  SELECT e.stream_version INTO v_current FROM events e
   WHERE e.tenant_id = p_tenant AND e.stream_id = p_stream
   ORDER BY e.stream_version DESC LIMIT 1;
  v_current := coalesce(v_current, 0);
  IF p_expected IS NOT NULL AND (
       (p_expected = -1 AND v_current = 0) OR (p_expected >= 0 AND v_current <> p_expected)) THEN
    RAISE EXCEPTION 'concurrency conflict on %', p_stream USING
      ERRCODE = 'UE001',
      DETAIL = json_build_object('stream', p_stream, 'expected', p_expected, 'actual', v_current)::text;
  END IF;

  INSERT INTO events (global_position, tenant_id, stream_id, stream_version, event_id, type, data, metadata)
  SELECT nextval('events_global_position_seq'), p_tenant, p_stream, v_current + x.ord,
         (x.ev ->> 'id')::uuid, x.ev ->> 't', x.ev -> 'd', p_metadata
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(ev, ord);
  GET DIAGNOSTICS v_next = ROW_COUNT;
  v_next := v_current + v_next;
  v_last := currval('events_global_position_seq');

  IF p_command_id IS NOT NULL THEN
    INSERT INTO es_commands (tenant_id, command_id, result)
    VALUES (p_tenant, p_command_id, jsonb_build_object(
      'position', v_last, 'transactionId', pg_current_xact_id()::text,
      'streams', jsonb_build_array(jsonb_build_object('streamId', p_stream, 'nextVersion', v_next))))
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'command % was appended concurrently', p_command_id USING ERRCODE = 'UE002';
    END IF;
  END IF;

  RETURN QUERY SELECT v_next, v_last, pg_current_xact_id()::text, false;
END
$$;

GRANT EXECUTE ON FUNCTION es_append_one(text, text, text, bigint, jsonb, jsonb) TO union_app_rw;
