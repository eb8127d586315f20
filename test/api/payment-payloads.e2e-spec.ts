import { randomUUID } from 'node:crypto';
import { apiFixture, type Json } from './mutation-client';

const MEMBER_FIELDS =
  'id unionId status name gender employeeNo cardNumber joinedOn duesExempt consecutiveUnpaidMonths lastPaidPeriod version';

/**
 * recordDuesPayment answers without waiting for every read model: its payload must still show
 * exactly what the read models show once they have applied its position.
 */
describe('recordDuesPayment payloads (read-your-writes on what the payload selects)', () => {
  const api = apiFixture();
  const { T, ids, tokens, id, tok, token, entity, gql, ok } = api;
  beforeAll(async () => {
    await api.start();
    tokens.hq = await token('hq');
    const provisioned = await ok('provisionTenant', tok('admin'), {
      tenantId: T,
      name: 'Payloads',
      rootUnionName: '公司工会',
    });
    ids.co = entity(provisioned, 'rootUnion').id as string;
    const establish = async (parentId: string, level: string) =>
      entity(await ok('establishUnion', tok('hq'), { parentId, name: level, level }), 'union')
        .id as string;
    ids.s1 = await establish(id('co'), 'SECONDARY_UNIT');
    ids.t1 = await establish(id('s1'), 'TEAM');
    const memberId = await api.apply(tok('hq'), id('t1'), 'A', {
      appliedOn: '2026-01-05',
      phone: '13800138009',
    });
    await ok('approveMembership', tok('hq'), { memberId, decidedOn: '2026-01-10' });
  });
  afterAll(() => api.stop());

  const pay = async (period: string, selection: string, commandId = randomUUID()) => {
    const r = await gql(
      `mutation($input: RecordDuesPaymentInput!) { recordDuesPayment(input: $input) { ${selection} } }`,
      tok('hq'),
      { input: { memberId: id('A'), period, wageBaseFen: 500_000, commandId } },
    );
    expect(r.errors).toBeUndefined();
    return r.data?.recordDuesPayment as Json;
  };

  const memberAfter = async (position: unknown, selection = MEMBER_FIELDS) => {
    const r = await gql(
      `query($c: String) { member(id: "${id('A')}", consistentAfter: $c) { ${selection} } }`,
      tok('hq'),
      { c: position },
    );
    expect(r.errors).toBeUndefined();
    return r.data?.member as Json;
  };

  it('shows the member as the read models do after its position, payment after payment', async () => {
    // back to back, without waiting in between: the registry may or may not have caught up
    const payloads: Json[] = [];
    for (const period of ['2026-02', '2026-04', '2026-03'])
      payloads.push(await pay(period, `position member { ${MEMBER_FIELDS} }`));
    expect(payloads.map((p) => entity(p, 'member').lastPaidPeriod)).toEqual([
      '2026-02',
      '2026-04',
      '2026-04',
    ]);
    expect(payloads.map((p) => entity(p, 'member').version)).toEqual([3, 4, 5]);
    const last = payloads[2]!;
    expect(entity(last, 'member')).toEqual(await memberAfter(last.position));
    // the earlier payloads differ from the last one only in what a payment moves
    const moved = new Set(['lastPaidPeriod', 'version', 'consecutiveUnpaidMonths']);
    const still = (member: Json) => Object.entries(member).filter(([key]) => !moved.has(key));
    for (const payload of payloads)
      expect(still(entity(payload, 'member'))).toEqual(still(entity(last, 'member')));
  });

  it('answers with the position alone, and a replayed command id with the first position', async () => {
    const commandId = randomUUID();
    const first = await pay('2026-05', 'position', commandId);
    expect(Object.keys(first)).toEqual(['position']);
    expect(await memberAfter(first.position, 'lastPaidPeriod version')).toEqual({
      lastPaidPeriod: '2026-05',
      version: 6,
    });
    const again = await pay('2026-05', `position member { ${MEMBER_FIELDS} }`, commandId);
    expect(again.position).toBe(first.position);
    expect(entity(again, 'member')).toEqual(await memberAfter(again.position));
  });

  it('waits for the personal-data read model when the payload shows personal data', async () => {
    const payload = await pay('2026-06', `position member { lastPaidPeriod version phone }`);
    expect(entity(payload, 'member')).toEqual({
      lastPaidPeriod: '2026-06',
      version: 7,
      phone: '138****8009',
    });
  });
});
