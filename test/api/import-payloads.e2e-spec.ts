import { randomUUID } from 'node:crypto';
import { apiFixture, type Json } from './mutation-client';

/**
 * importMembers answers from the handler's counts alone: it does not wait for the read models to
 * take thousands of imported events. A client that reads the roll next passes the payload's
 * position as `consistentAfter`.
 */
describe('importMembers payload (no read model waited for)', () => {
  const api = apiFixture();
  const { ids, tokens, id, tok, token, entity, gql, ok } = api;
  beforeAll(async () => {
    await api.start();
    tokens.hq = await token('hq');
    const provisioned = await ok('provisionTenant', tok('admin'), {
      tenantId: api.T,
      name: 'Imports',
      rootUnionName: '公司工会',
    });
    ids.co = entity(provisioned, 'rootUnion').id as string;
    const establish = async (parentId: string, level: string) =>
      entity(await ok('establishUnion', tok('hq'), { parentId, name: level, level }), 'union')
        .id as string;
    ids.s1 = await establish(id('co'), 'SECONDARY_UNIT');
    ids.t1 = await establish(id('s1'), 'TEAM');
  });
  afterAll(() => api.stop());

  it('imports while every read model is stopped; the roll read after its position shows them', async () => {
    const prefix = randomUUID().slice(0, 6);
    const rows = ['FEMALE', 'MALE', 'FEMALE'].map((gender, i) => ({
      employeeNo: `${prefix}-${i}`,
      name: `会员${i}`,
      gender,
      joinedOn: `201${i}-03-01`,
    }));
    const runner = api.runner();
    await runner.stop(); // nothing applies the import's events until the catch-up below
    const reply = await gql(
      `mutation($input: ImportMembersInput!) {
         importMembers(input: $input) { accepted rejected errors position } }`,
      tok('hq'),
      { input: { unionId: id('t1'), rows, commandId: randomUUID() } },
    );
    expect(reply.errors).toBeUndefined();
    const payload = reply.data?.importMembers as Json;
    expect(payload).toMatchObject({ accepted: 3, rejected: 0, errors: [] });
    expect(Number(payload.position)).toBeGreaterThan(0);

    await runner.catchUp();
    const roll = await gql(
      `query($u: ID!, $c: String) { members(unionId: $u, consistentAfter: $c, first: 10) {
         nodes { employeeNo joinedOn } } }`,
      tok('hq'),
      { u: id('t1'), c: payload.position },
    );
    expect(roll.errors).toBeUndefined();
    const nodes = (roll.data?.members as { nodes: Json[] }).nodes;
    expect(nodes.map((n) => n.employeeNo).sort()).toEqual(rows.map((r) => r.employeeNo));
  });
});
