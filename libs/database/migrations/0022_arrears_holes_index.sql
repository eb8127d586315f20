-- Arrears up to a month M also come from rm_dues_holes: runs with hole_from <= threshold and
-- hole_to >= M. The only index was on hole_from, which for the latest month (the usual question)
-- selects nearly every hole of the tenant, so the planner read the whole table, a cost that grows
-- with the tenant (~20,000 holes at 250,000 members). Keyed on hole_to first, the usual question
-- is a short range (few runs end at or after the latest month); member_id makes it index-only.
-- The hole_from index stays for questions about a month long past.
CREATE INDEX rm_dues_holes_to_idx ON rm_dues_holes (tenant_id, hole_to, hole_from) INCLUDE (member_id);
