import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@app/database';
import { apiFixture, SECRET } from './mutation-client';

const nationalIds = ['11010519900307001X'];
const phones = ['13800138001'];

describe('GraphQL mutations: the remaining decisions, roles, tenants and malformed input', () => {
  const api = apiFixture();
  const { T, O, ids, tokens, id, tok, token, entity, apply, seen, mutate, ok, codeOf } = api;

  beforeAll(async () => {
    await api.start();
    const provision = async (tenantId: string) => {
      const input = { tenantId, name: tenantId, rootUnionName: '公司工会' };
      return entity(await ok('provisionTenant', tok('admin'), input), 'rootUnion').id as string;
    };
    ids.co = await provision(T);
    await provision(O);
    tokens.hq = await token('hq');
    tokens.other = await token('o-hq', { tenant: O });
    const establish = async (auth: string, parentId: string, level: string) => {
      const input = { parentId, name: `U-${Object.keys(ids).length}`, level };
      return entity(await ok('establishUnion', auth, input), 'union').id as string;
    };
    ids.s1 = await establish(tok('hq'), id('co'), 'SECONDARY_UNIT');
    ids.s2 = await establish(tok('hq'), id('co'), 'SECONDARY_UNIT');
    tokens.s1 = await token('s1-officer', { unit: id('s1') });
    tokens.s2 = await token('s2-officer', { unit: id('s2') });
    ids.t1 = await establish(tok('s1'), id('s1'), 'TEAM');
    ids.t3 = await establish(tok('s1'), id('s1'), 'TEAM');
    ids.t2 = await establish(tok('s2'), id('s2'), 'TEAM');
    tokens.t1 = await token('t1-officer', { unit: id('t1') });
    await apply(tok('s1'), id('t1'), 'A', { nationalId: nationalIds[0], phone: phones[0] });
    await apply(tok('s1'), id('t1'), 'B');
    for (const key of ['A', 'B']) await ok('approveMembership', tok('s1'), { memberId: id(key) });
  });
  afterAll(() => api.stop());

  it('rejects, retires, retains and expels members; dissolves a union', async () => {
    for (const key of ['I', 'J', 'K', 'L']) await apply(tok('t1'), id('t1'), key);
    const rejected = await ok('rejectMembership', tok('t1'), { memberId: id('L'), note: 'n/a' });
    expect(entity(rejected, 'member').status).toBe('REJECTED');
    for (const key of ['I', 'J', 'K'])
      await ok('approveMembership', tok('t1'), { memberId: id(key) });
    const retired = await ok('startInternalRetirement', tok('t1'), { memberId: id('B') });
    expect(entity(retired, 'member')).toMatchObject({ status: 'ACTIVE', duesExempt: true });
    const retained = await ok('retainMembership', tok('t1'), { memberId: id('J') });
    expect(entity(retained, 'member').status).toBe('RETAINED');
    const expelled = await ok('expelMember', tok('t1'), {
      memberId: id('I'),
      criminalSanctionRef: '(2026)刑初字第1号',
      committeeDecisionRef: 'T1-2026-7',
    });
    expect(entity(expelled, 'member').status).toBe('EXPELLED');

    const toT2 = { memberId: id('K'), toUnionId: id('t2') };
    expect(await codeOf('requestTransfer', tok('s2'), toT2)).toBe('FORBIDDEN');
    // across secondary units the sending handler is s1's union, above the team officer
    expect(await codeOf('requestTransfer', tok('t1'), toT2)).toBe('FORBIDDEN');
    const transferId = entity(await ok('requestTransfer', tok('s1'), toT2), 'transfer').id;
    ids.transfer = transferId as string;
    expect(await codeOf('rejectTransfer', tok('t1'), { transferId })).toBe('FORBIDDEN');
    const refused = await ok('rejectTransfer', tok('s2'), { transferId, note: 'no vacancy' });
    expect(entity(refused, 'transfer').status).toBe('REJECTED');

    const dissolution = { reason: 'UNIT_TERMINATED', adminDecisionRef: '油田发〔2026〕12号' };
    const busy = await mutate('dissolveUnion', tok('s1'), { ...dissolution, unionId: id('t1') });
    expect(busy.error).toMatchObject({ rule: 'UNION_HAS_ACTIVE_MEMBERS', article: 'Art. 11' });
    const gone = await ok('dissolveUnion', tok('s1'), { ...dissolution, unionId: id('t3') });
    expect(entity(gone, 'union').status).toBe('DISSOLVED');
  });

  it('refuses auditors, members and other tenants; names the malformed field', async () => {
    const auditor = await token('auditor', { roles: ['AUDITOR'] });
    const dues = { memberId: id('A'), period: '2026-11', wageBaseFen: 500_000 };
    expect(await codeOf('recordDuesPayment', auditor, dues)).toBe('FORBIDDEN');
    expect(
      await codeOf('establishUnion', auditor, { parentId: id('co'), name: 'x', level: 'TEAM' }),
    ).toBe('FORBIDDEN');
    const member = await token('member-a', { roles: ['MEMBER'], member: id('A') });
    expect(await codeOf('withdrawMember', member, { memberId: id('A'), cardReturned: true })).toBe(
      'FORBIDDEN',
    );
    expect(await codeOf('approveMembership', tok('other'), { memberId: id('B') })).toBe(
      'NOT_FOUND',
    );
    expect(
      await codeOf('establishUnion', tok('other'), {
        parentId: id('s1'),
        name: 'x',
        level: 'TEAM',
      }),
    ).toBe('NOT_FOUND');
    expect(await codeOf('releaseTransfer', tok('other'), { transferId: id('transfer') })).toBe(
      'NOT_FOUND',
    );
    const ballot = { kind: 'CHAIR', seats: 1, expectedVoters: 1, candidateMemberIds: [id('A')] };
    expect(await codeOf('callElection', tok('other'), { ...ballot, unionId: id('t1') })).toBe(
      'NOT_FOUND',
    );
    const period = await mutate('recordDuesPayment', tok('s1'), { ...dues, period: '2026-13' });
    expect(period.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.period' });
    const phone = await mutate('applyForMembership', tok('s1'), {
      unionId: id('t1'),
      name: 'x',
      gender: 'MALE',
      employeeNo: 'E-x',
      phone: 'call 555-me',
    });
    expect(phone.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.phone' });
    expect(phone.error?.message).not.toContain('555');
    const both = await mutate('requestTransfer', tok('s1'), {
      memberId: id('B'),
      toUnionId: id('t2'),
      toExternal: 'Refinery',
    });
    expect(both.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.toExternal' });
  });

  it('never returns personal data in any response or error', () => {
    const all = seen.join('\n');
    for (const value of [...nationalIds, ...phones]) expect(all).not.toContain(value);
  });

  it('requires a 32-byte PII_MASTER_KEY in production', () => {
    const production = { NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET };
    expect(() => loadConfig(production)).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, PII_MASTER_KEY: 'c2hvcnQ=' })).toThrow(
      /PII_MASTER_KEY must be 32 bytes/,
    );
    const key = randomBytes(32);
    expect(
      loadConfig({ ...production, PII_MASTER_KEY: key.toString('base64') }).piiMasterKey,
    ).toEqual(key);
  });
});
