-- Arrears of a subtree: the path range first (an index range under row-level security, see
-- libs/read-models/src/queries/prefix.ts), then the unpaid-since threshold, for active,
-- non-exempt members only.
CREATE INDEX rm_dues_members_subtree_arrears_idx
  ON rm_dues_members (tenant_id, union_path text_pattern_ops, unpaid_since)
  WHERE status = 'ACTIVE' AND exempt_from IS NULL;
