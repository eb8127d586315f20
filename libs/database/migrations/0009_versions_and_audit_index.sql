-- Stream versions on the registry rows (the API hands them out as expectedVersion), and the
-- audit index: one row per event with what auditors filter on (union subtree, member, actor,
-- type, record time), paged by global position.
ALTER TABLE rm_unions ADD COLUMN version int NOT NULL DEFAULT 0;
ALTER TABLE rm_members ADD COLUMN version int NOT NULL DEFAULT 0;

CREATE TABLE rm_audit_events (
  tenant_id   text        NOT NULL,
  position    bigint      NOT NULL,
  stream_id   text        NOT NULL,
  type        text        NOT NULL,
  actor       text,
  union_path  text,        -- the union the event concerns, at the time of the event
  member_id   text,
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, position)
);
CREATE INDEX rm_audit_events_path_idx ON rm_audit_events (tenant_id, union_path text_pattern_ops, position);
CREATE INDEX rm_audit_events_member_idx ON rm_audit_events (tenant_id, member_id, position);
CREATE INDEX rm_audit_events_actor_idx ON rm_audit_events (tenant_id, actor, position);
CREATE INDEX rm_audit_events_stream_idx ON rm_audit_events (tenant_id, stream_id, position);

ALTER TABLE rm_audit_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON rm_audit_events
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON rm_audit_events TO union_app_rw;
