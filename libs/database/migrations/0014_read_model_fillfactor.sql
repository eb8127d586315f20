-- The hottest read-model rows are updated on every payroll month (last paid period, position,
-- version) without touching an indexed column. With free space on the page PostgreSQL makes those
-- HOT updates (no index entry written); at the default fillfactor 100 pages are full and every
-- update writes a new entry in every index of the table. Applies to pages written from now on
-- (a rebuild rewrites them all).
ALTER TABLE rm_members SET (fillfactor = 80);
ALTER TABLE rm_unions SET (fillfactor = 80);
ALTER TABLE rm_dues_members SET (fillfactor = 80);
