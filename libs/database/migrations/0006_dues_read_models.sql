-- Read models of the "dues" projection: the ledger per member per month, roll-ups per union per
-- month (own and over the subtree) for duesReport, and what the arrears list needs.
-- tenant_id leads every key; RLS on every table; the projector writes as the application role.
-- Periods are 'YYYY-MM' text (they sort and compare as months); money is integer fen.

-- One row per member: the liability that unpaid months are counted against.
CREATE TABLE rm_dues_members (
  tenant_id        text    NOT NULL,
  member_id        text    NOT NULL,
  union_id         text    NOT NULL,
  union_path       text    NOT NULL,
  status           text    NOT NULL,            -- APPLIED | ACTIVE | RETAINED | ENDED
  liable_from      text,                        -- first month counted (joining or import)
  exempt_from      text,                        -- retained / internal retirement; never in arrears
  last_paid_period text,
  -- first month of the trailing unpaid run: greatest(liable_from, last_paid_period + 1)
  unpaid_since     text,
  -- liable months per union, [from, to) with to NULL while open: [{"unionId", "from", "to"}]
  spans            jsonb   NOT NULL DEFAULT '[]',
  last_position    bigint  NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, member_id)
);
-- arrears "up to the latest month": unpaid_since <= threshold, a small range of the index
CREATE INDEX rm_dues_members_arrears_idx ON rm_dues_members (tenant_id, unpaid_since, member_id)
  INCLUDE (union_path) WHERE status = 'ACTIVE' AND exempt_from IS NULL;

-- Unpaid runs that a later payment closed: [hole_from, hole_to], for arrears "as of" a past month.
CREATE TABLE rm_dues_holes (
  tenant_id  text NOT NULL,
  member_id  text NOT NULL,
  hole_from  text NOT NULL,
  hole_to    text NOT NULL,
  PRIMARY KEY (tenant_id, member_id, hole_from)
);
CREATE INDEX rm_dues_holes_from_idx ON rm_dues_holes (tenant_id, hole_from);

-- One row per member per paid month; union_id is the union the member paid through (it stays
-- there when the member later transfers).
CREATE TABLE rm_dues_ledger (
  tenant_id      text    NOT NULL,
  member_id      text    NOT NULL,
  period         text    NOT NULL,
  union_id       text    NOT NULL,
  wage_base_fen  bigint  NOT NULL,
  expected_fen   bigint  NOT NULL,
  paid_fen       bigint  NOT NULL,
  source         text    NOT NULL,            -- PAYMENT | PAYROLL
  paid_on        date    NOT NULL,
  corrected_on   date,
  corrections    int     NOT NULL DEFAULT 0,
  last_position  bigint  NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, member_id, period)
);
CREATE INDEX rm_dues_ledger_union_idx ON rm_dues_ledger (tenant_id, union_id, period);

-- Per union per month. paying / paid_fen / expected_fen count ledger rows by the union paid
-- through. liable_delta is a difference array: the members liable in month P are the sum of
-- liable_delta over months <= P (a span [from, to) adds +1 at from and -1 at to), so open-ended
-- liability needs no row per future month. paid_liable counts paid months that fell inside a
-- liability span of this union: unpaid(P) = liable(P) - paid_liable(P).
-- own_* for members of the union itself, sub_* over the subtree (the union included).
CREATE TABLE rm_dues_union_period (
  tenant_id        text   NOT NULL,
  union_id         text   NOT NULL,
  period           text   NOT NULL,
  own_paying       int    NOT NULL DEFAULT 0,
  own_paid_fen     bigint NOT NULL DEFAULT 0,
  own_expected_fen bigint NOT NULL DEFAULT 0,
  own_liable_delta int    NOT NULL DEFAULT 0,
  own_paid_liable  int    NOT NULL DEFAULT 0,
  sub_paying       int    NOT NULL DEFAULT 0,
  sub_paid_fen     bigint NOT NULL DEFAULT 0,
  sub_expected_fen bigint NOT NULL DEFAULT 0,
  sub_liable_delta int    NOT NULL DEFAULT 0,
  sub_paid_liable  int    NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, union_id, period)
);

-- Payroll import summaries (stream dues-payroll-<union>-<period>).
CREATE TABLE rm_dues_imports (
  tenant_id  text   NOT NULL,
  union_id   text   NOT NULL,
  period     text   NOT NULL,
  position   bigint NOT NULL,
  paid_on    date   NOT NULL,
  row_count  int    NOT NULL,
  accepted   int    NOT NULL,
  rejected   int    NOT NULL,
  total_fen  bigint NOT NULL,
  PRIMARY KEY (tenant_id, union_id, period, position)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['rm_dues_members', 'rm_dues_holes', 'rm_dues_ledger',
                           'rm_dues_union_period', 'rm_dues_imports'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = current_setting('app.tenant_id', true))
      WITH CHECK (tenant_id = current_setting('app.tenant_id', true))$p$, t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON %I TO union_app_rw', t);
  END LOOP;
END $$;
