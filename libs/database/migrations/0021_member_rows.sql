-- A mutation's scope check reads the member's roster row before the command: through a
-- tenant-scoped transaction that is three round trips (BEGIN with the tenant setting, the SELECT,
-- COMMIT), on a 2-core machine where each round trip costs the API process a socket write. This
-- function reads the rows in one. Like es_read_stream it is SECURITY DEFINER and filters by its
-- tenant argument itself (the caller names the tenant either way, as it would to set_config), so
-- it returns only that tenant's rows, and only the roster columns (no personal data).
CREATE OR REPLACE FUNCTION rm_members_by_ids(p_tenant text, p_ids text[])
RETURNS TABLE (member_id text, union_id text, union_path text, status text, name text, gender text,
               employee_no text, card_number text, joined_on date, dues_exempt boolean,
               last_paid_period text, dues_liable_from text, version int)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT m.member_id, m.union_id, m.union_path, m.status, m.name, m.gender, m.employee_no,
         m.card_number, m.joined_on, m.dues_exempt, m.last_paid_period, m.dues_liable_from, m.version
    FROM rm_members m
   WHERE m.tenant_id = p_tenant AND m.member_id = ANY(p_ids)
$$;
REVOKE ALL ON FUNCTION rm_members_by_ids(text, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rm_members_by_ids(text, text[]) TO union_app_rw;
