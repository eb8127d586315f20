import { AuditSealer, EVENT_STORE, type EventStore } from '@app/event-store';
import { PERSONAL_DATA_PROJECTION, ProjectionRunner } from '@app/read-models';
import { memberStreamId, personalDataStreamId } from '@app/unions';
import type { Json } from '../api/mutation-client';
import { personalData, privacyFixture } from './privacy-fixture';

const MEMBER = '{ id status nationalId phone personalDataErased }';

describe('personal data (PIPL): masked by default, PII_READ in full, erased by crypto-shredding', () => {
  const api = privacyFixture();
  const { ids, token, ok, mutate, gql } = api;
  const pii = personalData();
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    await api.start();
    tokens.hq = await token('hq');
    tokens.hqPii = await token('hq-pii', { permissions: ['PII_READ'] });
    tokens.auditor = await token('auditor', { roles: ['AUDITOR'] });
    tokens.auditorPii = await token('auditor-pii', {
      roles: ['AUDITOR'],
      permissions: ['PII_READ'],
    });
    tokens.s2 = await token('s2-officer', { unit: ids.s2 });
    tokens.other = await token('other', { tenant: api.O });
    const applied = await ok('applyForMembership', tokens.hq, {
      unionId: ids.t1,
      name: '会员甲',
      gender: 'FEMALE',
      employeeNo: 'E-1',
      nationalId: pii.nationalId,
      phone: pii.phone,
    });
    ids.a = (applied.member as Json).id as string;
    await ok('approveMembership', tokens.hq, { memberId: ids.a });
    const plain = await ok('applyForMembership', tokens.hq, {
      unionId: ids.t1,
      name: '会员乙',
      gender: 'MALE',
      employeeNo: 'E-2',
    });
    ids.b = (plain.member as Json).id as string;
    tokens.memberA = await token('member-a', { roles: ['MEMBER'], member: ids.a });
  });
  afterAll(() => api.stop());

  const member = async (auth: string, id: string) => {
    const r = await gql(`query($id: ID!) { member(id: $id) ${MEMBER} }`, auth, { id });
    expect(r.errors).toBeUndefined();
    return r.data?.member as Json;
  };

  it('shows masked values without PII_READ, whatever the role, and full values with it', async () => {
    const masked = {
      nationalId: pii.maskedNationalId,
      phone: pii.maskedPhone,
      personalDataErased: false,
    };
    expect(await member(tokens.hq!, ids.a!)).toMatchObject(masked);
    expect(await member(tokens.auditor!, ids.a!)).toMatchObject(masked);
    expect(await member(tokens.memberA!, ids.a!)).toMatchObject(masked);
    const full = { nationalId: pii.nationalId, phone: pii.phone, personalDataErased: false };
    expect(await member(tokens.hqPii!, ids.a!)).toMatchObject(full);
    expect(await member(tokens.auditorPii!, ids.a!)).toMatchObject(full);
    // no personal data on record
    expect(await member(tokens.hqPii!, ids.b!)).toMatchObject({
      nationalId: null,
      phone: null,
      personalDataErased: false,
    });
    // a roster page: one read for all its members, masked
    const roster = await gql(
      `query($u: ID!) { members(unionId: $u) { nodes ${MEMBER} } }`,
      tokens.auditor!,
      { u: ids.t1 },
    );
    const nodes = (roster.data?.members as { nodes: Json[] }).nodes;
    expect(nodes.find((n) => n.id === ids.a)).toMatchObject(masked);
    expect(JSON.stringify(roster)).not.toContain(pii.nationalId);
  });

  it('erases only for an officer over the member, once, idempotent by commandId', async () => {
    const erase = (auth: string, input: Json) => mutate('eraseMemberPersonalData', auth, input);
    const code = async (auth: string, input: Json) => (await erase(auth, input)).error?.code;
    expect(await code(tokens.auditor!, { memberId: ids.a })).toBe('FORBIDDEN');
    expect(await code(tokens.s2!, { memberId: ids.a })).toBe('FORBIDDEN');
    expect(await code(tokens.other!, { memberId: ids.a })).toBe('NOT_FOUND');
    expect(await code(tokens.hq!, { memberId: 'nobody' })).toBe('NOT_FOUND');
    expect(await code(tokens.memberA!, { memberId: ids.a })).toBe('FORBIDDEN');

    const store = api.app().get<EventStore>(EVENT_STORE);
    const before = await store.readStream(api.T, memberStreamId(ids.a!));
    const statsQuery = `query($u: ID!) { union(id: $u) { stats { activeMembers femaleMembers } } }`;
    const statsBefore = (await gql(statsQuery, tokens.hq!, { u: ids.co })).data;

    const first = await erase(tokens.hq!, {
      memberId: ids.a,
      commandId: 'erase-1',
      reason: 'PIPL Art. 47',
    });
    expect(first.error).toBeNull();
    expect(first.payload?.member).toMatchObject({ id: ids.a, status: 'ACTIVE' });
    const again = await ok('eraseMemberPersonalData', tokens.hq!, {
      memberId: ids.a,
      commandId: 'erase-1',
    });
    const otherId = await ok('eraseMemberPersonalData', tokens.hq!, {
      memberId: ids.a,
      commandId: 'erase-2',
    });
    expect(again.position).toBe(first.payload?.position);
    expect(otherId.position).toBe(first.payload?.position);
    const erasures = await store.readStream(api.T, personalDataStreamId(ids.a!));
    expect(erasures.events.map((e) => e.type)).toEqual(['PersonalDataErased']);
    expect(erasures.events[0]!.metadata.actor).toBe('hq');

    const erased = { nationalId: null, phone: null, personalDataErased: true, status: 'ACTIVE' };
    expect(await member(tokens.hqPii!, ids.a!)).toMatchObject(erased);
    expect(await member(tokens.auditor!, ids.a!)).toMatchObject(erased);

    // history untouched: the member's stream still holds the (now unreadable) ciphertext
    const after = await store.readStream(api.T, memberStreamId(ids.a!));
    expect(after.events).toEqual(before.events);
    const applied = after.events[0]!.data as { nationalId: { ciphertext: string } };
    expect(applied.nationalId.ciphertext).toMatch(/^pii1\./);
    expect((await gql(statsQuery, tokens.hq!, { u: ids.co })).data).toEqual(statsBefore);

    // the audit chain covers every event, the erasure included, and verifies
    await api.app().get(AuditSealer).sealAll();
    const chain = await gql(
      '{ verifyAuditChain { ok checkedEvents firstBrokenSequence } }',
      tokens.auditor!,
    );
    const { rows } = await api
      .db()
      .ownerPool.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE tenant_id = $1', [
        api.T,
      ]);
    expect(chain.data?.verifyAuditChain).toEqual({
      ok: true,
      checkedEvents: Number(rows[0]!.n),
      firstBrokenSequence: null,
    });
    const trail = await gql(
      `query($m: ID!) { auditTrail(filter: { memberId: $m }) { nodes { type } } }`,
      tokens.auditor!,
      { m: ids.a },
    );
    expect((trail.data?.auditTrail as { nodes: Json[] }).nodes.map((n) => n.type)).toContain(
      'PersonalDataErased',
    );
  });

  it('stays erased after the read model is rebuilt from the log', async () => {
    const runner = api.app().get(ProjectionRunner);
    await runner.reset(PERSONAL_DATA_PROJECTION);
    await runner.catchUp([PERSONAL_DATA_PROJECTION]);
    expect(await member(tokens.hqPii!, ids.a!)).toMatchObject({
      nationalId: null,
      phone: null,
      personalDataErased: true,
    });
    const { rows } = await api
      .db()
      .ownerPool.query(
        'SELECT national_id, phone, erased_on FROM rm_member_personal_data WHERE tenant_id = $1 AND member_id = $2',
        [api.T, ids.a],
      );
    expect(rows).toEqual([{ national_id: null, phone: null, erased_on: expect.any(String) }]);
  });
});
