-- Append to several streams in one round trip, set-based (es_append looked up every stream's
-- version in a loop, one index probe per stream: 2,000 probes for an import batch of 1,000 members
-- with their card-number reservations).
--   p_checks:   [{"s": streamId, "e": expected}] for the streams whose expected version is not
--               no_stream: expected null (any), -1 (stream_exists) or n >= 0 (exact). Their
--               current versions are read in one statement.
--   p_events:   [{"s": streamId, "v": k, "id": uuid, "t": type, "d": data}], k = 1, 2, … within
--               each stream, in append order. A stream absent from p_checks is a new stream
--               (no_stream): its events start at version 1 without any lookup; the primary key
--               (tenant_id, stream_id, stream_version) refuses a stream that exists, and the
--               handler below turns that into the same UE001 conflict es_append raises.
--   p_metadata: the metadata of every event of the append (sent once).
-- Returns {"position", "transactionId", "bases": {streamId: version before}} for the checked
-- streams, or the stored result of a repeated command id with "duplicate": true. Same error
-- codes as es_append (UE001 conflict, UE002 racing duplicate, UE003 no tenant).
CREATE FUNCTION es_append_streams(p_tenant text, p_command_id text, p_checks jsonb, p_events jsonb,
                                  p_metadata jsonb)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
  v_stored   jsonb;
  v_bases    jsonb := '{}'::jsonb;
  v_conflict jsonb;
  v_last     bigint;
  v_result   jsonb;
BEGIN
  IF p_tenant IS NULL OR p_tenant = '' THEN
    RAISE EXCEPTION 'tenant is required' USING ERRCODE = 'UE003';
  END IF;
  PERFORM set_config('app.tenant_id', p_tenant, true);

  IF p_command_id IS NOT NULL THEN
    SELECT c.result INTO v_stored FROM es_commands c
     WHERE c.tenant_id = p_tenant AND c.command_id = p_command_id;
    IF FOUND THEN
      RETURN v_stored || '{"duplicate": true}'::jsonb;
    END IF;
  END IF;

  IF jsonb_array_length(p_checks) > 0 THEN
    WITH checked AS (
      SELECT c.s, c.e, c.ord, coalesce(cur.v, 0) AS actual
        FROM ROWS FROM (jsonb_to_recordset(p_checks) AS (s text, e bigint))
             WITH ORDINALITY AS c(s, e, ord)
        LEFT JOIN LATERAL (SELECT ev.stream_version AS v FROM events ev
                            WHERE ev.tenant_id = p_tenant AND ev.stream_id = c.s
                            ORDER BY ev.stream_version DESC LIMIT 1) cur ON true
    )
    SELECT jsonb_object_agg(k.s, k.actual),
           (array_agg(jsonb_build_object('stream', k.s, 'expected', k.e, 'actual', k.actual)
                      ORDER BY k.ord)
              FILTER (WHERE k.e IS NOT NULL
                        AND ((k.e = -1 AND k.actual = 0) OR (k.e >= 0 AND k.actual <> k.e))))[1]
      INTO v_bases, v_conflict
      FROM checked k;
    IF v_conflict IS NOT NULL THEN
      RAISE EXCEPTION 'concurrency conflict on %', v_conflict ->> 'stream' USING
        ERRCODE = 'UE001', DETAIL = v_conflict::text;
    END IF;
  END IF;

  BEGIN
    INSERT INTO events (global_position, tenant_id, stream_id, stream_version, event_id, type, data, metadata)
    SELECT nextval('events_global_position_seq'), p_tenant, x.s,
           coalesce((v_bases ->> x.s)::int, 0) + x.v, x.id, x.t, x.d, p_metadata
      FROM (SELECT * FROM ROWS FROM (jsonb_to_recordset(p_events) AS (s text, v int, id uuid, t text, d jsonb))
                     WITH ORDINALITY AS r(s, v, id, t, d, ord)
             ORDER BY r.ord) x;
  EXCEPTION WHEN unique_violation THEN
    -- A new stream exists already, or a racing writer took the versions: name the first stream
    -- (in append order) that is not where this append expected it. Nothing was written.
    SELECT jsonb_build_object('stream', s.s, 'expected', s.e, 'actual', s.actual) INTO v_conflict
      FROM (SELECT d.s, d.first,
                   CASE WHEN ck.s IS NULL THEN 0 ELSE ck.e END AS e,
                   coalesce((SELECT max(ev.stream_version) FROM events ev
                              WHERE ev.tenant_id = p_tenant AND ev.stream_id = d.s), 0) AS actual
              FROM (SELECT r.s, min(r.ord) AS first
                      FROM ROWS FROM (jsonb_to_recordset(p_events) AS (s text, v int))
                           WITH ORDINALITY AS r(s, v, ord)
                     GROUP BY r.s) d
              LEFT JOIN jsonb_to_recordset(p_checks) AS ck(s text, e bigint) ON ck.s = d.s) s
     WHERE s.e IS NOT NULL AND ((s.e = -1 AND s.actual = 0) OR (s.e >= 0 AND s.actual <> s.e))
     ORDER BY s.first LIMIT 1;
    IF v_conflict IS NULL THEN
      RAISE; -- a racing append to an 'any' stream: the caller reads the stream and reports it
    END IF;
    RAISE EXCEPTION 'concurrency conflict on %', v_conflict ->> 'stream' USING
      ERRCODE = 'UE001', DETAIL = v_conflict::text;
  END;
  v_last := currval('events_global_position_seq');
  v_result := jsonb_build_object('position', v_last, 'transactionId', pg_current_xact_id()::text,
                                 'bases', v_bases);

  IF p_command_id IS NOT NULL THEN
    -- the stored result names every stream's version, as es_append's does
    INSERT INTO es_commands (tenant_id, command_id, result)
    SELECT p_tenant, p_command_id, jsonb_build_object(
             'position', v_last, 'transactionId', pg_current_xact_id()::text,
             'streams', jsonb_agg(jsonb_build_object('streamId', n.s, 'nextVersion', n.v)))
      FROM (SELECT r.s, coalesce((v_bases ->> r.s)::int, 0) + max(r.v) AS v
              FROM jsonb_to_recordset(p_events) AS r(s text, v int)
             GROUP BY r.s) n
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'command % was appended concurrently', p_command_id USING ERRCODE = 'UE002';
    END IF;
  END IF;

  RETURN v_result || '{"duplicate": false}'::jsonb;
END
$$;

GRANT EXECUTE ON FUNCTION es_append_streams(text, text, jsonb, jsonb, jsonb) TO union_app_rw;
