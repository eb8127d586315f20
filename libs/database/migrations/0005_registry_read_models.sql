-- Read models of the "registry" projection: the union tree with subtree roll-ups, the member
-- roster, and effective-dated history of both (business time) for "as of" queries.
-- tenant_id leads every key; RLS on every table; the projector writes as the application role.

CREATE TABLE rm_unions (
  tenant_id            text    NOT NULL,
  union_id             text    NOT NULL,
  parent_id            text,
  level                text    NOT NULL,
  status               text    NOT NULL,            -- PENDING_APPROVAL | ACTIVE | DISSOLVED | REJECTED
  name                 text    NOT NULL,
  -- materialised path of ids, root first, self last: '/company/unit/brigade/'
  path                 text    NOT NULL,
  ancestors            text[]  NOT NULL,            -- the same ids as an array, self included
  depth                int     NOT NULL,
  governance_form      text    NOT NULL DEFAULT 'NONE',
  joint_with           text[]  NOT NULL DEFAULT '{}',
  organizer_member_id  text,
  committee            jsonb   NOT NULL DEFAULT '[]', -- [{"memberId": "...", "roles": ["CHAIR", ...]}]
  committee_seats      int     NOT NULL DEFAULT 0,
  chair_member_id      text,
  women_committee      text[]  NOT NULL DEFAULT '{}',
  group_leader_id      text,
  term_start           date,
  term_end             date,
  term_extended_months int     NOT NULL DEFAULT 0,
  last_meeting_on      date,
  requested_on         date,
  established_on       date,
  dissolved_on         date,
  -- members whose union is this one
  own_active           int     NOT NULL DEFAULT 0,
  own_female           int     NOT NULL DEFAULT 0,
  own_retained         int     NOT NULL DEFAULT 0,
  -- roll-ups over the subtree, this union included
  sub_active           int     NOT NULL DEFAULT 0,
  sub_female           int     NOT NULL DEFAULT 0,
  sub_retained         int     NOT NULL DEFAULT 0,
  -- active unions strictly below this one
  sub_active_unions    int     NOT NULL DEFAULT 0,
  last_position        bigint  NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, union_id)
);
CREATE INDEX rm_unions_subtree_idx ON rm_unions (tenant_id, path text_pattern_ops);
CREATE INDEX rm_unions_children_idx ON rm_unions (tenant_id, parent_id, name);
CREATE INDEX rm_unions_level_idx ON rm_unions (tenant_id, level, status, path text_pattern_ops);

CREATE TABLE rm_members (
  tenant_id        text    NOT NULL,
  member_id        text    NOT NULL,
  union_id         text    NOT NULL,
  union_path       text    NOT NULL,
  status           text    NOT NULL,  -- APPLIED ACTIVE RETAINED WITHDRAWN EXPELLED REJECTED TRANSFERRED_OUT
  name             text    NOT NULL,
  gender           text    NOT NULL,
  employee_no      text    NOT NULL,
  card_number      text,
  applied_on       date,
  joined_on        date,
  ended_on         date,
  dues_exempt      boolean NOT NULL DEFAULT false,
  dues_liable_from text,              -- 'YYYY-MM'
  last_paid_period text,              -- 'YYYY-MM'
  internal_retirement_on date,
  open_transfer_id text,
  transfer_to_union_id text,
  arrears_educated_on date,
  last_position    bigint  NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, member_id)
);
CREATE INDEX rm_members_subtree_idx ON rm_members (tenant_id, union_path text_pattern_ops, status);
CREATE INDEX rm_members_union_idx ON rm_members (tenant_id, union_id, status);
CREATE INDEX rm_members_employee_idx ON rm_members (tenant_id, employee_no text_pattern_ops);
CREATE INDEX rm_members_name_idx ON rm_members (tenant_id, lower(name) text_pattern_ops);
CREATE INDEX rm_members_card_idx ON rm_members (tenant_id, card_number);

-- One row per (member, change) valid over [valid_from, valid_to) in business time.
CREATE TABLE rm_member_history (
  tenant_id   text   NOT NULL,
  member_id   text   NOT NULL,
  position    bigint NOT NULL,  -- the event that opened the row
  valid_from  date   NOT NULL,
  valid_to    date,
  status      text   NOT NULL,
  union_id    text   NOT NULL,
  union_path  text   NOT NULL,
  gender      text   NOT NULL,
  PRIMARY KEY (tenant_id, member_id, position)
);
CREATE INDEX rm_member_history_asof_idx ON rm_member_history (tenant_id, union_path text_pattern_ops, valid_from);

CREATE TABLE rm_union_history (
  tenant_id   text   NOT NULL,
  union_id    text   NOT NULL,
  position    bigint NOT NULL,
  valid_from  date   NOT NULL,
  valid_to    date,
  status      text   NOT NULL,
  name        text   NOT NULL,
  governance_form text NOT NULL,
  path        text   NOT NULL,
  PRIMARY KEY (tenant_id, union_id, position)
);
CREATE INDEX rm_union_history_asof_idx ON rm_union_history (tenant_id, union_id, valid_from);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['rm_unions', 'rm_members', 'rm_member_history', 'rm_union_history'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = current_setting('app.tenant_id', true))
      WITH CHECK (tenant_id = current_setting('app.tenant_id', true))$p$, t);
    -- TRUNCATE is how a rebuild empties a read model (RLS does not apply to it)
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON %I TO union_app_rw', t);
  END LOOP;
END $$;
