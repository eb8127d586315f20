import {
  BAD_CREDENTIALS,
  MUTATIONS,
  inputsFor,
  mutation,
  mutationRequest,
  query,
  type Attempt,
  type Ctx,
} from './attempts';

export const PERIODS = 'fromPeriod: "2026-01", toPeriod: "2026-12"';

/** Another tenant's ids in every query, and smuggled tenant ids. */
export const crossTenant: Attempt[] = [
  query('their root union', 'NOT_FOUND', 'hq', 'union', (c) => `id: "${c.o.co}"`),
  query('their team', 'NOT_FOUND', 'hq', 'union', (c) => `id: "${c.o.t1}"`),
  query('their member', 'NOT_FOUND', 'hq', 'member', (c) => `id: "${c.o.A}"`),
  query('their applicant', 'NOT_FOUND', 'hq', 'member', (c) => `id: "${c.o.P}"`),
  query('their election', 'NOT_FOUND', 'hq', 'election', (c) => `id: "${c.o.election}"`),
  query('their transfer', 'NOT_FOUND', 'hq', 'transfer', (c) => `id: "${c.o.transfer}"`),
  query(
    'their roster',
    'NOT_FOUND',
    'hq',
    'members',
    (c) => `unionId: "${c.o.co}", includeSubtree: true`,
  ),
  query(
    'their subordinate unions',
    'NOT_FOUND',
    'hq',
    'subordinateUnions',
    (c) => `rootId: "${c.o.co}"`,
  ),
  query(
    'their dues report',
    'NOT_FOUND',
    'hq',
    'duesReport',
    (c) => `unionId: "${c.o.co}", ${PERIODS}`,
  ),
  query('their arrears', 'NOT_FOUND', 'hq', 'arrears', (c) => `unionId: "${c.o.s1}"`),
  query(
    'their compliance alerts',
    'NOT_FOUND',
    'hq',
    'complianceAlerts',
    (c) => `unionId: "${c.o.t1}", includeSubtree: true`,
  ),
  query(
    'their audit trail by union',
    'NOT_FOUND',
    'auditor',
    'auditTrail',
    (c) => `filter: { unionId: "${c.o.co}" }`,
  ),
  query(
    'their audit trail by member',
    'NOT_FOUND',
    'auditor',
    'auditTrail',
    (c) => `filter: { memberId: "${c.o.A}" }`,
  ),
  query(
    'their member stream history',
    'NOT_FOUND',
    'auditor',
    'streamHistory',
    (c) => `streamId: "member-${c.o.A}"`,
  ),
  query(
    'their union stream history',
    'NOT_FOUND',
    'auditor',
    'streamHistory',
    (c) => `streamId: "union-${c.o.co}"`,
  ),
  ...MUTATIONS.map((name) =>
    mutation(`${name} on their ids`, 'NOT_FOUND', 'hq', name, (c) => inputsFor(c.o)[name] ?? {}),
  ),
  mutation(
    'a transfer of our member into their union',
    'NOT_FOUND',
    'hq',
    'requestTransfer',
    (c) => ({ memberId: c.t.B, toUnionId: c.o.t2 }),
  ),
  mutation(
    'an election in our union with their candidates',
    'NOT_FOUND',
    'hq',
    'callElection',
    (c) => ({ ...inputsFor(c.t).callElection, candidateMemberIds: [c.o.A, c.o.B, c.o.C] }),
  ),
  mutation(
    'our committee seats given to their members',
    'NOT_FOUND',
    'hq',
    'assignCommitteeRoles',
    (c) => ({ unionId: c.t.t1, assignments: [{ memberId: c.o.A, roles: ['LABOR'] }] }),
  ),
  query('a tenant-prefixed union id', 'NOT_FOUND', 'hq', 'union', (c) => `id: "${c.O}:${c.o.co}"`),
  query('a tenant-prefixed member id', 'NOT_FOUND', 'hq', 'member', (c) => `id: "${c.O}/${c.o.A}"`),
  query(
    'a tenant-prefixed stream id',
    'BAD_USER_INPUT',
    'auditor',
    'streamHistory',
    (c) => `streamId: "${c.O}-member-${c.o.A}"`,
  ),
  mutation('a tenant-prefixed parent id', 'NOT_FOUND', 'hq', 'establishUnion', (c) => ({
    parentId: `${c.O}:${c.o.co}`,
    name: 'x',
    level: 'TEAM',
  })),
  mutation('a tenantId field in establishUnion', 'BAD_USER_INPUT', 'hq', 'establishUnion', (c) => ({
    ...inputsFor(c.o).establishUnion,
    tenantId: c.O,
  })),
  mutation(
    'a tenant field in applyForMembership',
    'BAD_USER_INPUT',
    'hq',
    'applyForMembership',
    (c) => ({ ...inputsFor(c.o).applyForMembership, tenant: c.O }),
  ),
  mutation(
    'a tenantId field in recordDuesPayment',
    'BAD_USER_INPUT',
    'hq',
    'recordDuesPayment',
    (c) => ({ ...inputsFor(c.t).recordDuesPayment, tenantId: c.O }),
  ),
  query(
    'a tenantId argument on union',
    'BAD_USER_INPUT',
    'hq',
    'union',
    (c) => `id: "${c.o.co}", tenantId: "${c.O}"`,
  ),
];

/** Broken credentials, each on a query and on a mutation. */
export const unauthenticated: Attempt[] = BAD_CREDENTIALS.flatMap(([what, headers]) => [
  {
    title: `${what} (query)`,
    code: 'UNAUTHENTICATED',
    field: 'union',
    request: async (c: Ctx) => ({
      headers: await headers(c),
      query: `{ union(id: "${c.t.co}") { id name } }`,
    }),
  },
  {
    title: `${what} (mutation)`,
    code: 'UNAUTHENTICATED',
    field: 'recordDuesPayment',
    request: async (c: Ctx) =>
      mutationRequest(
        'recordDuesPayment',
        await headers(c),
        inputsFor(c.t).recordDuesPayment ?? {},
      ),
  },
]);
