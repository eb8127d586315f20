-- Read models of governance: tenant settings (every effective-dated change, so the settings in
-- force on any date can be computed at query time), transfers and elections. Compliance alerts
-- have no table: they are evaluated at query time over rm_unions, rm_members, rm_transfers and
-- the settings in force on the day asked about.
-- tenant_id leads every key; RLS on every table; the projector writes as the application role.

-- One row per tenant-settings event, as recorded (type + data). Folded with the tenant-settings
-- decider's own evolve at query time: the read model and the deciders cannot disagree.
CREATE TABLE rm_tenant_settings (
  tenant_id     text    NOT NULL,
  position      bigint  NOT NULL,           -- the event's global position (orders recording)
  type          text    NOT NULL,           -- TenantSettingsProvisioned | RuleSettingsChanged
  effective_on  date    NOT NULL,           -- provisionedOn or effectiveOn
  data          jsonb   NOT NULL,
  PRIMARY KEY (tenant_id, position)
);

CREATE TABLE rm_transfers (
  tenant_id                  text    NOT NULL,
  transfer_id                text    NOT NULL,
  member_id                  text    NOT NULL,
  from_union_id              text    NOT NULL,
  from_path                  text,                  -- rm_unions.path of from_union_id
  to_union_id                text,                  -- null: to outside the enterprise
  to_path                    text,
  to_external                text,
  route                      text    NOT NULL,      -- WITHIN_SECONDARY_UNIT | BETWEEN_SECONDARY_UNITS | OUTSIDE_ENTERPRISE
  sending_handler_union_id   text    NOT NULL,
  receiving_handler_union_id text,
  handled_by_union_ids       text[]  NOT NULL DEFAULT '{}',
  status                     text    NOT NULL,      -- REQUESTED | RELEASED | COMPLETED | REJECTED
  requested_on               date    NOT NULL,
  released_on                date,
  closed_on                  date,
  rejected_side              text,                  -- SENDING | RECEIVING
  last_position              bigint  NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, transfer_id)
);
-- transfers in flight (few per tenant at any time): partial indexes only
CREATE INDEX rm_transfers_open_from_idx ON rm_transfers (tenant_id, from_path text_pattern_ops)
  WHERE status IN ('REQUESTED', 'RELEASED');
CREATE INDEX rm_transfers_open_to_idx ON rm_transfers (tenant_id, to_path text_pattern_ops)
  WHERE status IN ('REQUESTED', 'RELEASED');
CREATE INDEX rm_transfers_open_order_idx ON rm_transfers (tenant_id, requested_on, transfer_id)
  WHERE status IN ('REQUESTED', 'RELEASED');
CREATE INDEX rm_transfers_member_idx ON rm_transfers (tenant_id, member_id);

CREATE TABLE rm_elections (
  tenant_id             text    NOT NULL,
  election_id           text    NOT NULL,
  union_id              text    NOT NULL,
  union_path            text,
  union_level           text    NOT NULL,
  kind                  text    NOT NULL,      -- COMMITTEE | CHAIR | WOMEN_COMMITTEE | GROUP_LEADER | BY_ELECTION
  status                text    NOT NULL,      -- CALLED | CONCLUDED | FAILED | APPROVED
  seats                 int     NOT NULL,
  expected_voters       int     NOT NULL,
  candidate_member_ids  text[]  NOT NULL DEFAULT '{}',
  term_years            int,
  called_on             date    NOT NULL,
  held_on               date,
  voters_present        int,
  -- share of the expected voters who took part, 4 decimals (0.6667)
  turnout               numeric(5, 4) GENERATED ALWAYS AS (
                          CASE WHEN voters_present IS NOT NULL AND expected_voters > 0
                               THEN round(voters_present::numeric / expected_voters, 4) END
                        ) STORED,
  quorum                int,
  votes_needed          int,
  tallies               jsonb   NOT NULL DEFAULT '[]', -- [{"memberId": "...", "votes": 12}]
  winners               text[]  NOT NULL DEFAULT '{}',
  unfilled_seats        int,
  failure_reason        text,                  -- QUORUM_NOT_REACHED | NO_CANDIDATE_REACHED_THRESHOLD | TIE_AT_LAST_SEAT
  tied_member_ids       text[]  NOT NULL DEFAULT '{}',
  approved_on           date,
  approval_ref          text,
  last_position         bigint  NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, election_id)
);
CREATE INDEX rm_elections_union_idx ON rm_elections (tenant_id, union_id, called_on);
CREATE INDEX rm_elections_subtree_idx ON rm_elections (tenant_id, union_path text_pattern_ops, status);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['rm_tenant_settings', 'rm_transfers', 'rm_elections'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = current_setting('app.tenant_id', true))
      WITH CHECK (tenant_id = current_setting('app.tenant_id', true))$p$, t);
    -- TRUNCATE is how a rebuild empties a read model (RLS does not apply to it)
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON %I TO union_app_rw', t);
  END LOOP;
END $$;
