-- Checkpoints of log followers (projections, the audit sealer). Not tenant data.
CREATE TABLE subscription_checkpoints (
  name            text        PRIMARY KEY,
  transaction_id  xid8        NOT NULL DEFAULT '0'::xid8,
  global_position bigint      NOT NULL DEFAULT 0,
  events_done     bigint      NOT NULL DEFAULT 0,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  -- a follower that cannot apply an event stops there and says why
  failed_position bigint,
  failed_reason   text
);
GRANT SELECT, INSERT, UPDATE ON subscription_checkpoints TO union_app_rw;

-- Tamper-evident audit chain, built after the fact by the audit sealer:
-- per tenant a contiguous sequence and hash = sha256(prev_hash || canonical(event)).
CREATE TABLE audit_chain (
  tenant_id       text        NOT NULL,
  tenant_sequence bigint      NOT NULL CHECK (tenant_sequence > 0),
  global_position bigint      NOT NULL,
  hash            bytea       NOT NULL,
  sealed_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, tenant_sequence)
);
CREATE UNIQUE INDEX audit_chain_position_uq ON audit_chain (tenant_id, global_position);

CREATE TABLE audit_heads (
  tenant_id       text        PRIMARY KEY,
  tenant_sequence bigint      NOT NULL,
  hash            bytea       NOT NULL,
  global_position bigint      NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE audit_chain ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_heads ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_chain
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_isolation ON audit_heads
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

-- The sealer's cross-tenant reads and writes, as narrow SECURITY DEFINER functions: the
-- application role cannot read or write another tenant's chain directly.
CREATE FUNCTION audit_heads_for(p_tenants text[])
RETURNS TABLE (tenant_id text, tenant_sequence bigint, hash bytea)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT h.tenant_id, h.tenant_sequence, h.hash FROM audit_heads h WHERE h.tenant_id = ANY (p_tenants)
$$;

-- p_links: [{"t": tenant, "q": sequence, "p": position, "h": hex hash}] in sequence order per
-- tenant. Fails (UE010) if a tenant's chain does not continue from its current head, so two
-- sealers can never fork a chain.
CREATE FUNCTION audit_seal(p_name text, p_links jsonb, p_tx xid8, p_pos bigint, p_count bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT l ->> 't' AS tenant, min((l ->> 'q')::bigint) AS first_q FROM jsonb_array_elements(p_links) l GROUP BY 1
  LOOP
    IF r.first_q <> coalesce((SELECT h.tenant_sequence FROM audit_heads h WHERE h.tenant_id = r.tenant FOR UPDATE), 0) + 1 THEN
      RAISE EXCEPTION 'audit chain of a tenant does not continue from its head' USING ERRCODE = 'UE010';
    END IF;
  END LOOP;

  INSERT INTO audit_chain (tenant_id, tenant_sequence, global_position, hash)
  SELECT l ->> 't', (l ->> 'q')::bigint, (l ->> 'p')::bigint, decode(l ->> 'h', 'hex')
    FROM jsonb_array_elements(p_links) l;

  INSERT INTO audit_heads AS h (tenant_id, tenant_sequence, hash, global_position, updated_at)
  SELECT DISTINCT ON (l ->> 't') l ->> 't', (l ->> 'q')::bigint, decode(l ->> 'h', 'hex'), (l ->> 'p')::bigint, now()
    FROM jsonb_array_elements(p_links) l
   ORDER BY l ->> 't', (l ->> 'q')::bigint DESC
  ON CONFLICT (tenant_id) DO UPDATE
    SET tenant_sequence = excluded.tenant_sequence, hash = excluded.hash,
        global_position = excluded.global_position, updated_at = excluded.updated_at;

  INSERT INTO subscription_checkpoints AS c (name, transaction_id, global_position, events_done, updated_at)
  VALUES (p_name, p_tx, p_pos, p_count, now())
  ON CONFLICT (name) DO UPDATE
    SET transaction_id = excluded.transaction_id, global_position = excluded.global_position,
        events_done = c.events_done + excluded.events_done, updated_at = excluded.updated_at,
        failed_position = NULL, failed_reason = NULL;
END
$$;

REVOKE ALL ON FUNCTION audit_heads_for(text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_seal(text, jsonb, xid8, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_heads_for(text[]) TO union_app_rw;
GRANT EXECUTE ON FUNCTION audit_seal(text, jsonb, xid8, bigint, bigint) TO union_app_rw;
GRANT SELECT ON audit_chain, audit_heads TO union_app_rw;
