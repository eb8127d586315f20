-- Every index on `events` is paid by every append. The per-tenant commit-order index served only
-- readAll({ tenantId }), which nothing on a hot path uses: projections and the audit sealer read
-- all tenants in commit order (events_commit_order_idx), and per-tenant audit reads go through
-- audit_chain. readAll({ tenantId }) still works, by filtering the global commit order.
DROP INDEX events_tenant_commit_order_idx;
