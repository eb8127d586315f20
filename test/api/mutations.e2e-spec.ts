import { apiFixture } from './mutation-client';

const nationalIds = ['11010519900307001X', '110105199003070028', '110105199003070036'];
const phones = ['13800138001', '13800138002', '13800138003'];

describe('GraphQL mutations: the story of DOMAIN.md through the CommandBus', () => {
  const api = apiFixture();
  const { T, O, ids, tokens, id, tok, token, entity, apply, seen, gql, mutate, ok, codeOf } = api;
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  it('provisions tenants for PLATFORM_ADMIN only; a replay returns the first result', async () => {
    tokens.hq = await token('hq');
    const input = {
      tenantId: T,
      name: 'Oilfield',
      rootUnionName: '油田公司工会',
      commandId: 'p-1',
    };
    expect(await codeOf('provisionTenant', tok('hq'), input)).toBe('FORBIDDEN');
    const first = await ok('provisionTenant', tok('admin'), input);
    expect(first.tenantId).toBe(T);
    expect(entity(first, 'rootUnion')).toMatchObject({ level: 'COMPANY', status: 'ACTIVE' });
    expect(entity(first, 'tenant')).toMatchObject({ id: T, name: 'Oilfield' });
    ids.co = entity(first, 'rootUnion').id as string;
    const again = await ok('provisionTenant', tok('admin'), input);
    expect(again.position).toBe(first.position);
    expect(entity(again, 'rootUnion').id).toBe(id('co'));
    const other = await ok('provisionTenant', tok('admin'), { ...input, tenantId: O });
    ids.oCo = entity(other, 'rootUnion').id as string;
    tokens.other = await token('o-hq', { tenant: O });
    const own = await gql('{ tenant { id name preset } }', tokens.hq);
    expect(own.data?.tenant).toEqual({ id: T, name: 'Oilfield', preset: 'ENTERPRISE_REGULATION' });
    expect(
      await codeOf('establishUnion', tok('admin'), {
        parentId: id('co'),
        name: 'x',
        level: 'TEAM',
      }),
    ).toBe('FORBIDDEN');
  });

  it('establishes the hierarchy inside each officer’s subtree', async () => {
    const establish = async (auth: string, parentId: string, name: string, level: string) =>
      entity(await ok('establishUnion', auth, { parentId, name, level }), 'union').id as string;
    ids.s1 = await establish(tok('hq'), id('co'), '采油一厂工会', 'SECONDARY_UNIT');
    ids.s2 = await establish(tok('hq'), id('co'), '采油二厂工会', 'SECONDARY_UNIT');
    tokens.s1 = await token('s1-officer', { unit: id('s1') });
    tokens.s2 = await token('s2-officer', { unit: id('s2') });
    ids.t1 = await establish(tok('s1'), id('s1'), '一队工会', 'TEAM');
    ids.t2 = await establish(tok('s2'), id('s2'), '二队工会', 'TEAM');
    tokens.t1 = await token('t1-officer', { unit: id('t1') });
    expect(
      await codeOf('establishUnion', tok('s1'), { parentId: id('s2'), name: 'x', level: 'TEAM' }),
    ).toBe('FORBIDDEN');
    const requested = await ok('requestUnionEstablishment', tok('s1'), {
      parentId: id('s1'),
      name: '三队工会',
      level: 'TEAM',
    });
    const t3 = entity(requested, 'union');
    ids.t3 = t3.id as string;
    expect(t3).toMatchObject({ status: 'PENDING_APPROVAL', parentId: id('s1') });
    expect(await codeOf('approveUnionEstablishment', tok('s2'), { unionId: t3.id })).toBe(
      'FORBIDDEN',
    );
    const approved = await ok('approveUnionEstablishment', tok('s1'), { unionId: t3.id });
    expect(entity(approved, 'union').status).toBe('ACTIVE');
    const r = await gql(
      `query($c: String) { subordinateUnions(rootId: "${id('co')}", consistentAfter: $c) { totalCount } }`,
      tok('hq'),
      { c: approved.position },
    );
    expect(r.data?.subordinateUnions).toEqual({ totalCount: 5 });
  });

  it('admits members, with a stale expectedVersion refused as CONFLICT', async () => {
    for (const [n, key] of ['A', 'B', 'C', 'D', 'E'].entries()) {
      const pii = n < 3 ? { nationalId: nationalIds[n], phone: phones[n] } : {};
      const memberId = await apply(tok('s1'), id('t1'), key, pii);
      const approved = entity(await ok('approveMembership', tok('s1'), { memberId }), 'member');
      expect(approved).toMatchObject({ status: 'ACTIVE', unionId: id('t1') });
      expect(approved.cardNumber).toEqual(expect.any(String));
    }
    await apply(tok('s1'), id('t1'), 'F');
    const stale = await mutate('approveMembership', tok('s1'), {
      memberId: id('F'),
      expectedVersion: 0,
    });
    expect(stale.error).toMatchObject({ code: 'CONFLICT', currentVersion: 1 });
    await ok('approveMembership', tok('s1'), { memberId: id('F'), expectedVersion: 1 });
    await apply(tok('t1'), id('t1'), 'G', { appliedOn: '2026-01-05' });
    await ok('approveMembership', tok('t1'), { memberId: id('G'), decidedOn: '2026-01-10' });
    await apply(tok('s2'), id('t2'), 'H');
    await ok('approveMembership', tok('s2'), { memberId: id('H') });
    // encrypted before it reaches the event store
    const stream = JSON.stringify((await api.store().readStream(T, `member-${id('A')}`)).events);
    expect(stream).not.toContain(nationalIds[0]);
    expect(stream).not.toContain(phones[0]);
  });

  it('records dues singly and by payroll; a replayed commandId appends nothing', async () => {
    const input = { memberId: id('A'), period: '2026-11', wageBaseFen: 500_000, commandId: 'd-A' };
    const first = await ok('recordDuesPayment', tok('s1'), input);
    expect(entity(first, 'member').lastPaidPeriod).toBe('2026-11');
    const before = await api.store().readStream(T, `member-${id('A')}`);
    const again = await ok('recordDuesPayment', tok('s1'), input);
    expect(again.position).toBe(first.position);
    expect((await api.store().readStream(T, `member-${id('A')}`)).currentVersion).toBe(
      before.currentVersion,
    );
    const rows = ['B', 'C', 'D', 'E', 'F'].map((k) => ({ memberId: id(k), wageBaseFen: 400_000 }));
    const payroll = await ok('importDuesPayroll', tok('s1'), {
      unionId: id('t1'),
      period: '2026-11',
      rows: [...rows, { memberId: 'nobody', wageBaseFen: 400_000 }],
    });
    expect(payroll).toMatchObject({ accepted: 5, rejected: 1 });
    expect(payroll.errors).toEqual([expect.stringMatching(/^row 6: /)]);
    const r = await gql(
      `query($c: String) { duesReport(unionId: "${id('co')}", fromPeriod: "2026-11", toPeriod: "2026-11", consistentAfter: $c) { paidFen payingMembers } }`,
      tok('hq'),
      { c: payroll.position },
    );
    expect(r.data?.duesReport).toEqual([{ paidFen: 2_500 + 5 * 2_000, payingMembers: 6 }]);
  });

  it('holds an election approved by the parent, assigns portfolios, extends the term', async () => {
    await ok('setGovernanceForm', tok('t1'), { unionId: id('t1'), form: 'COMMITTEE' });
    const ballot = { unionId: id('t1'), kind: 'COMMITTEE', expectedVoters: 7 };
    const candidateMemberIds = [id('A'), id('C'), id('D')];
    const tooSmall = await mutate('callElection', tok('t1'), {
      ...ballot,
      seats: 2,
      candidateMemberIds,
    });
    expect(tooSmall.error).toMatchObject({
      code: 'BAD_USER_INPUT',
      rule: 'COMMITTEE_SIZE_OUT_OF_RANGE',
      article: 'Art. 8',
    });
    const chair = { ...ballot, kind: 'CHAIR', seats: 1, candidateMemberIds: [id('A')] };
    const chairTerm = await mutate('callElection', tok('t1'), { ...chair, termYears: 5 });
    expect(chairTerm.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.termYears' });
    const sixYears = await mutate('callElection', tok('t1'), {
      ...ballot,
      seats: 3,
      candidateMemberIds,
      termYears: 6,
    });
    expect(sixYears.error).toMatchObject({ rule: 'TERM_LENGTH_NOT_ALLOWED', article: 'Art. 7' });
    const called = await ok('callElection', tok('t1'), {
      ...ballot,
      seats: 3,
      candidateMemberIds,
      termYears: 5,
    });
    const electionId = (ids.election = entity(called, 'election').id as string);
    const held = await ok('recordElectionResult', tok('t1'), {
      electionId,
      votersPresent: 6,
      tallies: candidateMemberIds.map((memberId, i) => ({ memberId, votes: 6 - i })),
    });
    expect(entity(held, 'election')).toMatchObject({ status: 'CONCLUDED', votersPresent: 6 });
    expect(await codeOf('approveElectionResult', tok('s2'), { electionId })).toBe('FORBIDDEN');
    // inside the union's own subtree, but Art. 29 wants the union one level up
    const own = await mutate('approveElectionResult', tok('t1'), { electionId });
    expect(own.error).toMatchObject({ code: 'FORBIDDEN', rule: 'APPROVAL_NOT_BY_PARENT' });
    const approved = await ok('approveElectionResult', tok('s1'), { electionId });
    expect(entity(approved, 'election').status).toBe('APPROVED');
    const termOf = await gql(
      `query($c: String) { union(id: "${id('t1')}", consistentAfter: $c) { termStart termEnd } }`,
      tok('s1'),
      { c: approved.position },
    );
    const { termStart, termEnd } = termOf.data?.union as { termStart: string; termEnd: string };
    // the term the election stated (5 years), not the shortest allowed (3)
    expect(Number(termEnd.slice(0, 4)) - Number(termStart.slice(0, 4))).toBe(5);
    expect(termEnd.slice(4)).toBe(termStart.slice(4));
    const alerts = await gql(
      `query($c: String) { complianceAlerts(unionId: "${id('t1')}", consistentAfter: $c) { rule article } }`,
      tok('s1'),
      { c: approved.position },
    );
    expect(alerts.data?.complianceAlerts).toContainEqual({ rule: 'NO_CHAIR', article: 'Art. 8' });
    const assigned = await ok('assignCommitteeRoles', tok('t1'), {
      unionId: id('t1'),
      assignments: [
        { memberId: id('A'), roles: ['ORGANIZATION', 'WOMEN_WORKERS'] },
        { memberId: id('C'), roles: ['DEMOCRATIC_MANAGEMENT', 'PROPAGANDA_EDUCATION'] },
        { memberId: id('D'), roles: ['LABOR', 'LIVELIHOOD'] },
      ],
    });
    expect(entity(assigned, 'union').committee).toHaveLength(3);
    const term = { unionId: id('t1'), approvalRef: 'S1-2026-3' };
    const tooLong = await mutate('extendTerm', tok('s1'), { ...term, months: 7 });
    expect(tooLong.error).toMatchObject({ rule: 'TERM_EXTENSION_TOO_LONG', article: 'Art. 7' });
    const extended = entity(await ok('extendTerm', tok('s1'), { ...term, months: 6 }), 'union');
    expect(extended.termEnd).toMatch(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/);
  });

  it('routes a transfer between two secondary units to the secondary-unit unions', async () => {
    const requested = await ok('requestTransfer', tok('s1'), {
      memberId: id('E'),
      toUnionId: id('t2'),
    });
    const transfer = entity(requested, 'transfer');
    expect(transfer).toMatchObject({
      status: 'REQUESTED',
      handledByUnionIds: [id('s1'), id('s2')],
    });
    const transferId = (ids.transfer = transfer.id as string);
    expect(await codeOf('releaseTransfer', tok('t1'), { transferId })).toBe('FORBIDDEN');
    expect(await codeOf('releaseTransfer', tok('s2'), { transferId })).toBe('FORBIDDEN');
    await ok('releaseTransfer', tok('s1'), { transferId });
    expect(await codeOf('receiveTransfer', tok('s1'), { transferId })).toBe('FORBIDDEN');
    const received = await ok('receiveTransfer', tok('s2'), { transferId });
    expect(entity(received, 'transfer').status).toBe('COMPLETED');
    const r = await gql(
      `query($c: String) { member(id: "${id('E')}", consistentAfter: $c) { unionId status }
         s1: union(id: "${id('s1')}") { stats { subtreeMembers } } s2: union(id: "${id('s2')}") { stats { subtreeMembers } } }`,
      tok('hq'),
      { c: received.position },
    );
    expect(r.data).toEqual({
      member: { unionId: id('t2'), status: 'ACTIVE' },
      s1: { stats: { subtreeMembers: 6 } },
      s2: { stats: { subtreeMembers: 2 } },
    });
  });

  it('educates a member in arrears before declaring the withdrawal; another withdraws', async () => {
    const early = await mutate('declareAutomaticWithdrawal', tok('t1'), { memberId: id('G') });
    expect(early.error).toMatchObject({
      code: 'BAD_USER_INPUT',
      rule: 'ARREARS_EDUCATION_REQUIRED',
      article: 'Art. 19(4)',
    });
    const hq = `{ union(id: "${id('co')}") { stats { subtreeMembers arrearsMembers } } }`;
    expect((await gql(hq, tok('hq'))).data?.union).toEqual({
      stats: { subtreeMembers: 8, arrearsMembers: 1 },
    });
    const alerts = await gql(
      `{ complianceAlerts(unionId: "${id('co')}", includeSubtree: true) { unionId rule } }`,
      tok('hq'),
    );
    expect(alerts.data?.complianceAlerts).toContainEqual({
      unionId: id('t1'),
      rule: 'ARREARS_WITHDRAWAL_CANDIDATE',
    });
    await ok('recordArrearsEducation', tok('t1'), { memberId: id('G'), note: 'talked twice' });
    const declared = await ok('declareAutomaticWithdrawal', tok('t1'), { memberId: id('G') });
    expect(entity(declared, 'member').status).toBe('WITHDRAWN');
    const withdrawn = await ok('withdrawMember', tok('t1'), {
      memberId: id('F'),
      cardReturned: true,
    });
    expect(entity(withdrawn, 'member').status).toBe('WITHDRAWN');
    const after = await gql(
      `query($c: String) { union(id: "${id('co')}", consistentAfter: $c) { stats { subtreeMembers arrearsMembers } } }`,
      tok('hq'),
      { c: withdrawn.position },
    );
    expect(after.data?.union).toEqual({ stats: { subtreeMembers: 6, arrearsMembers: 0 } });
  });

  it('never returns personal data in any response or error', () => {
    const all = seen.join('\n');
    for (const value of [...nationalIds, ...phones]) expect(all).not.toContain(value);
  });
});
