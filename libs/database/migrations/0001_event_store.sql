-- Event store: one table for all tenants, append-only for the application role.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'union_app_rw') THEN
    -- Group role of the application and projector logins: no ownership, no BYPASSRLS.
    CREATE ROLE union_app_rw NOLOGIN NOBYPASSRLS;
  END IF;
END $$;

CREATE SEQUENCE events_global_position_seq AS bigint;

CREATE TABLE events (
  global_position bigint      NOT NULL,
  tenant_id       text        NOT NULL,
  stream_id       text        NOT NULL,
  stream_version  integer     NOT NULL CHECK (stream_version > 0),
  event_id        uuid        NOT NULL,
  type            text        NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
  -- millisecond precision so that the audit hash (computed in JS) covers the exact value
  recorded_at     timestamptz(3) NOT NULL DEFAULT now(),
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  -- the optimistic-concurrency guard
  PRIMARY KEY (tenant_id, stream_id, stream_version)
);
CREATE UNIQUE INDEX events_global_position_uq ON events (global_position);
-- gap-free commit order for subscribers, globally and per tenant
CREATE INDEX events_commit_order_idx ON events (transaction_id, global_position);
CREATE INDEX events_tenant_commit_order_idx ON events (tenant_id, transaction_id, global_position);

-- Idempotency: the first result of each command id, written in the append's transaction.
CREATE TABLE es_commands (
  tenant_id   text        NOT NULL,
  command_id  text        NOT NULL,
  result      jsonb       NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, command_id)
);

ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE es_commands ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON events
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_isolation ON es_commands
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

-- Append to one or more streams in one round trip.
--   p_streams:  [{"s": streamId, "e": expected}] where expected is null (any), -1 (stream_exists)
--               or n >= 0 (exact; 0 = no stream)
--   p_events:   [{"s": index into p_streams, "id": uuid, "t": type, "d": data, "m": metadata}]
-- Errors: UE001 concurrency (DETAIL = {"stream","expected","actual"}), UE002 duplicate command
-- that committed while this call ran (the caller reads the stored result).
CREATE FUNCTION es_append(p_tenant text, p_command_id text, p_streams jsonb, p_events jsonb)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
  v_result   jsonb;
  v_expected bigint;
  v_current  bigint;
  v_base     bigint[] := '{}';
  v_stream   text;
  v_last     bigint;
  v_streams  jsonb;
  i          int;
BEGIN
  IF p_tenant IS NULL OR p_tenant = '' THEN
    RAISE EXCEPTION 'tenant is required' USING ERRCODE = 'UE003';
  END IF;
  PERFORM set_config('app.tenant_id', p_tenant, true);

  IF p_command_id IS NOT NULL THEN
    SELECT c.result INTO v_result FROM es_commands c
     WHERE c.tenant_id = p_tenant AND c.command_id = p_command_id;
    IF FOUND THEN
      RETURN v_result || '{"duplicate": true}'::jsonb;
    END IF;
  END IF;

  FOR i IN 0 .. jsonb_array_length(p_streams) - 1 LOOP
    v_stream := p_streams -> i ->> 's';
    v_expected := (p_streams -> i ->> 'e')::bigint;
    SELECT e.stream_version INTO v_current FROM events e
     WHERE e.tenant_id = p_tenant AND e.stream_id = v_stream
     ORDER BY e.stream_version DESC LIMIT 1;
    v_current := coalesce(v_current, 0);
    IF v_expected IS NOT NULL AND (
         (v_expected = -1 AND v_current = 0) OR (v_expected >= 0 AND v_current <> v_expected)) THEN
      RAISE EXCEPTION 'concurrency conflict on %', v_stream USING
        ERRCODE = 'UE001',
        DETAIL = json_build_object('stream', v_stream, 'expected', v_expected, 'actual', v_current)::text;
    END IF;
    v_base := v_base || v_current;
  END LOOP;

  WITH input AS (
    SELECT x.ord, (x.ev ->> 's')::int AS sidx, x.ev
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(ev, ord)
  ), numbered AS (
    SELECT ord, sidx, ev, row_number() OVER (PARTITION BY sidx ORDER BY ord) AS rn
      FROM input ORDER BY ord
  ), ins AS (
    INSERT INTO events (global_position, tenant_id, stream_id, stream_version, event_id, type, data, metadata)
    SELECT nextval('events_global_position_seq'), p_tenant, p_streams -> n.sidx ->> 's',
           v_base[n.sidx + 1] + n.rn, (n.ev ->> 'id')::uuid, n.ev ->> 't', n.ev -> 'd',
           coalesce(n.ev -> 'm', '{}'::jsonb)
      FROM (SELECT * FROM numbered ORDER BY ord) n
    RETURNING global_position, stream_id, stream_version
  )
  SELECT max(global_position),
         (SELECT jsonb_agg(jsonb_build_object('streamId', s.stream_id, 'nextVersion', s.v))
            FROM (SELECT stream_id, max(stream_version) AS v FROM ins GROUP BY stream_id) s)
    INTO v_last, v_streams
    FROM ins;

  v_result := jsonb_build_object(
    'position', v_last,
    'transactionId', pg_current_xact_id()::text,
    'streams', v_streams);

  IF p_command_id IS NOT NULL THEN
    INSERT INTO es_commands (tenant_id, command_id, result)
    VALUES (p_tenant, p_command_id, v_result)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'command % was appended concurrently', p_command_id USING ERRCODE = 'UE002';
    END IF;
  END IF;

  RETURN v_result || '{"duplicate": false}'::jsonb;
END
$$;

-- One stream (or a version range of it) as one JSON document: one round trip, one parse.
CREATE FUNCTION es_read_stream(p_tenant text, p_stream text, p_from int, p_to int, p_until timestamptz)
RETURNS json
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
DECLARE
  v_current int;
  v_events  json;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant, true);
  SELECT e.stream_version INTO v_current FROM events e
   WHERE e.tenant_id = p_tenant AND e.stream_id = p_stream
   ORDER BY e.stream_version DESC LIMIT 1;
  IF v_current IS NULL THEN
    RETURN json_build_object('current', 0, 'events', '[]'::json);
  END IF;
  SELECT json_agg(json_build_object(
           'p', e.global_position, 'v', e.stream_version, 'id', e.event_id, 't', e.type,
           'd', e.data, 'm', e.metadata, 'r', e.recorded_at, 'x', e.transaction_id::text)
           ORDER BY e.stream_version)
    INTO v_events
    FROM events e
   WHERE e.tenant_id = p_tenant AND e.stream_id = p_stream
     AND e.stream_version >= coalesce(p_from, 1)
     AND (p_to IS NULL OR e.stream_version <= p_to)
     AND (p_until IS NULL OR e.recorded_at <= p_until);
  RETURN json_build_object('current', v_current, 'events', coalesce(v_events, '[]'::json));
END
$$;

-- Gap-free log for subscribers (projections, the audit sealer), across tenants: only rows of
-- transactions older than every transaction still in flight, in commit-safe order.
-- SECURITY DEFINER: the one cross-tenant read path; it returns events only, in order.
CREATE FUNCTION es_read_all(p_after_tx xid8, p_after_pos bigint, p_limit int, p_tenant text)
RETURNS TABLE (global_position bigint, tenant_id text, stream_id text, stream_version int,
               event_id uuid, type text, data jsonb, metadata jsonb, recorded_at timestamptz,
               transaction_id xid8)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT e.global_position, e.tenant_id, e.stream_id, e.stream_version, e.event_id, e.type,
         e.data, e.metadata, e.recorded_at, e.transaction_id
    FROM events e
   WHERE p_tenant IS NULL
     AND (e.transaction_id, e.global_position) > (p_after_tx, p_after_pos)
     AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
   UNION ALL
  SELECT e.global_position, e.tenant_id, e.stream_id, e.stream_version, e.event_id, e.type,
         e.data, e.metadata, e.recorded_at, e.transaction_id
    FROM events e
   WHERE p_tenant IS NOT NULL AND e.tenant_id = p_tenant
     AND (e.transaction_id, e.global_position) > (p_after_tx, p_after_pos)
     AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
   ORDER BY transaction_id, global_position
   LIMIT p_limit
$$;

REVOKE ALL ON FUNCTION es_read_all(xid8, bigint, int, text) FROM PUBLIC;

GRANT SELECT, INSERT ON events, es_commands TO union_app_rw;
GRANT USAGE ON SEQUENCE events_global_position_seq TO union_app_rw;
GRANT EXECUTE ON FUNCTION es_append(text, text, jsonb, jsonb) TO union_app_rw;
GRANT EXECUTE ON FUNCTION es_read_stream(text, text, int, int, timestamptz) TO union_app_rw;
GRANT EXECUTE ON FUNCTION es_read_all(xid8, bigint, int, text) TO union_app_rw;
