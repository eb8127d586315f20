import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import { ImportMemberCommand, type ImportMemberInput } from '@app/unions';
import type { Json } from '../api/mutation-client';
import { personalData, privacyFixture } from './privacy-fixture';

const APPLY = `mutation M($input: ApplyForMembershipInput!) {
  applyForMembership(input: $input) { position member { id nationalId phone } } }`;

/**
 * Personal data never appears in logs, errors or metrics: apply, import and erase with a national
 * id and a phone, valid and invalid in every way we could think of, through the real HTTP server
 * with debug logging; everything logged (Nest logger, console, stdout, stderr), every response
 * body but the one deliberately read with PII_READ, every error thrown by the command bus and the
 * metrics page are searched for the values and for their last 8 digits.
 */
describe('personal data in logs, errors and metrics', () => {
  const api = privacyFixture();
  const { ids, token, gql, seen } = api;
  const pii = personalData();
  const thrown: string[] = [];
  const raw: string[] = [];

  beforeAll(() => api.start());
  afterAll(() => api.stop());

  const post = async (body: string, auth: string) => {
    const response = await fetch(api.url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` },
      body,
    });
    const text = await response.text();
    raw.push(text);
    return { status: response.status, text };
  };
  const apply = async (auth: string, input: Json) => {
    const r = await gql(APPLY, auth, {
      input: {
        unionId: ids.t1,
        name: '会员',
        gender: 'FEMALE',
        employeeNo: `E-${randomUUID().slice(0, 8)}`,
        ...input,
      },
    });
    return r;
  };
  const codeOf = (r: { errors?: { extensions: Json }[] }) => r.errors?.[0]?.extensions.code;

  it('never shows national id or phone outside a PII_READ answer', async () => {
    const hq = await token('hq');
    const auditor = await token('auditor', { roles: ['AUDITOR'] });
    const { nationalId, phone } = pii;
    const employeeNo = `E-${randomUUID().slice(0, 8)}`;

    const valid = await apply(hq, { nationalId, phone, employeeNo });
    expect(valid.errors).toBeUndefined();
    const memberId = (valid.data?.applyForMembership as { member: Json }).member.id as string;

    // refused at the edge, by the domain, by the scope, by authentication
    expect(codeOf(await apply(hq, { nationalId: `${nationalId}!`, phone }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await apply(hq, { nationalId: nationalId.repeat(2), phone }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(codeOf(await apply(hq, { nationalId, phone: `${phone}x` }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await apply(hq, { nationalId, phone, name: ' ' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await apply(hq, { nationalId, phone, unionId: 'no-such-union' }))).toBe(
      'NOT_FOUND',
    );
    expect(codeOf(await apply(hq, { nationalId, phone, employeeNo }))).toMatch(
      /BAD_USER_INPUT|CONFLICT/,
    );
    expect(codeOf(await apply(hq, { nationalId, phone, unionId: ids.s1 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await apply(auditor, { nationalId, phone }))).toBe('FORBIDDEN');
    expect(codeOf(await apply('not-a-token', { nationalId, phone }))).toBe('UNAUTHENTICATED');
    // graphql-js quotes offending values in its own messages: wrong types, unknown fields
    expect(codeOf(await apply(hq, { nationalId: Number(nationalId.slice(0, 15)), phone }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(codeOf(await apply(hq, { nationalId, phone: Number(phone) }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await apply(hq, { nationalId, phone, unknownField: phone }))).toBe(
      'BAD_USER_INPUT',
    );
    const literal = await gql(
      `mutation { applyForMembership(input: { unionId: "${ids.t1}", name: "x", gender: FEMALE,
         employeeNo: "E", nationalId: ${nationalId.slice(0, 15)}, phone: ${phone} }) { position } }`,
      hq,
    );
    expect(codeOf(literal)).toBe('BAD_USER_INPUT');
    const syntax = await gql(
      `mutation { applyForMembership(input: { nationalId "${nationalId}" phone "${phone}" }) }`,
      hq,
    );
    expect(codeOf(syntax)).toBe('BAD_USER_INPUT');
    // a body that is not JSON at all
    const broken = await post(
      `{"query": "${APPLY}", "variables": {"nationalId": ${nationalId}x`,
      hq,
    );
    expect(broken.status).toBeGreaterThanOrEqual(400);

    // importMembers over HTTP: good rows, and rows refused for every kind of reason
    const roll = (rows: Json[]) =>
      gql(
        `mutation($i: ImportMembersInput!) { importMembers(input: $i) {
           accepted rejected errors position } }`,
        hq,
        { i: { unionId: ids.t2, rows } },
      );
    const row = (extra: Json = {}) => ({
      employeeNo: `E-${randomUUID().slice(0, 8)}`,
      name: '会员丁',
      gender: 'MALE',
      joinedOn: '2020-01-01',
      nationalId,
      phone,
      ...extra,
    });
    const imported = await roll([
      row(),
      row({ nationalId: `${nationalId}!` }),
      row({ phone: `${phone}x`.repeat(4) }),
      row({ joinedOn: '2999-01-01' }),
      row({ employeeNo: employeeNo }),
      row({ name: ' ' }),
    ]);
    expect(imported.errors).toBeUndefined();
    const result = imported.data?.importMembers as { accepted: number; rejected: number };
    expect(result.accepted).toBeGreaterThanOrEqual(1);
    expect(result.rejected).toBeGreaterThanOrEqual(3);
    expect(codeOf(await roll([row({ nationalId: Number(nationalId.slice(0, 15)) })]))).toBe(
      'BAD_USER_INPUT',
    );

    // import through the command bus, valid and invalid
    const bus = api.app().get(CommandBus);
    const importMember = async (input: Partial<ImportMemberInput>) => {
      try {
        await bus.execute(
          new ImportMemberCommand(
            {
              unionId: ids.t2!,
              name: '会员丙',
              gender: 'MALE',
              employeeNo: `E-${randomUUID().slice(0, 8)}`,
              nationalId,
              phone,
              joinedOn: '2020-01-01',
              ...input,
            },
            { tenantId: api.T, actor: 'hq', now: new Date() },
          ),
        );
        return null;
      } catch (error) {
        thrown.push(String(error), JSON.stringify(error), (error as Error).stack ?? '');
        return error;
      }
    };
    expect(await importMember({})).toBeNull();
    expect(await importMember({ unionId: 'no-such-union' })).not.toBeNull();
    expect(await importMember({ joinedOn: '2999-01-01' })).not.toBeNull();
    expect(await importMember({ unionId: ids.s2! })).not.toBeNull();

    // erase: valid, repeated, unknown member, wrong role
    const erase = (auth: string, id: string) =>
      gql(
        `mutation($i: EraseMemberPersonalDataInput!) { eraseMemberPersonalData(input: $i) {
           position member { nationalId phone personalDataErased } } }`,
        auth,
        { i: { memberId: id, reason: 'PIPL Art. 47' } },
      );
    const reader = await token('hq-pii', { permissions: ['PII_READ'] });
    // the one answer allowed to hold the plaintext: not kept with the others
    const full = await fetch(api.url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${reader}` },
      body: JSON.stringify({
        query: 'query($id: ID!) { member(id: $id) { nationalId phone } }',
        variables: { id: memberId },
      }),
    }).then((r) => r.text());
    expect(full).toContain(nationalId); // the search below looks for the right string
    expect((await erase(hq, memberId)).errors).toBeUndefined();
    expect((await erase(hq, memberId)).errors).toBeUndefined();
    expect(codeOf(await erase(hq, 'no-such-member'))).toBe('NOT_FOUND');
    expect(codeOf(await erase(auditor, memberId))).toBe('FORBIDDEN');

    const metrics = await fetch(api.url().replace(/\/graphql$/, '/metrics')).then((r) => r.text());
    const haystack = [...api.logs, ...seen, ...raw, ...thrown, metrics].join('\n');
    // the capture works: startup lines and the refusals are there
    expect(api.logs.join('\n')).toContain('"path":"/graphql"'); // the request log
    expect(api.logs.length).toBeGreaterThan(30);
    expect(seen.join('\n')).toContain('BAD_USER_INPUT');
    expect(haystack).toContain(pii.maskedNationalId);
    for (const needle of [nationalId, phone, nationalId.slice(-8), phone.slice(-8)]) {
      const at = haystack.indexOf(needle);
      expect(at < 0 ? null : haystack.slice(Math.max(0, at - 200), at + 50)).toBeNull();
    }
  });
});
