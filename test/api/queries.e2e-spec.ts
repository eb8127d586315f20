import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { mintToken, type TokenClaims } from '@app/auth';
import type { Event } from '@app/core';
import { AuditSealer, EVENT_STORE, type EventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/read-models';
import {
  createTestDatabase,
  memberImported,
  type TestDatabase,
  unionEstablished,
} from '@app/testing';
import { SignJWT } from 'jose';
import { startApi } from '../support/test-api';

const SECRET = 'e2e-secret-'.padEnd(40, 'x');
const established = (unionId: string, level: string, parentId: string | null): Event =>
  unionEstablished(unionId, level, parentId, { name: `Union ${unionId}` });
const imported = (memberId: string, unionId: string, gender: string): Event =>
  memberImported(memberId, unionId, { name: `Member ${memberId}`, gender });

describe('GraphQL queries with authentication and subtree scope', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let url: string;
  const tenant = `t-${randomUUID()}`;
  const other = `t-${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app, url } = await startApi(db, { AUTH_JWT_SECRET: SECRET }));
    const store = app.get<EventStore>(EVENT_STORE);
    await store.appendToStream(tenant, 'union-co', [established('co', 'COMPANY', null)]);
    await store.appendToStream(tenant, 'union-s1', [established('s1', 'SECONDARY_UNIT', 'co')]);
    await store.appendToStream(tenant, 'union-s2', [established('s2', 'SECONDARY_UNIT', 'co')]);
    await store.appendToStream(tenant, 'union-t1', [established('t1', 'TEAM', 's1')]);
    await store.appendToStream(tenant, 'union-t2', [established('t2', 'TEAM', 's2')]);
    for (let i = 0; i < 5; i++)
      await store.appendToStream(tenant, `member-a${i}`, [
        imported(`a${i}`, 't1', i < 2 ? 'FEMALE' : 'MALE'),
      ]);
    await store.appendToStream(tenant, 'member-b0', [imported('b0', 't2', 'FEMALE')]);
    await store.appendToStream(other, 'union-co', [established('co', 'COMPANY', null)]);
    await store.appendToStream(other, 'union-x', [established('x', 'SECONDARY_UNIT', 'co')]);
    await app.get(ProjectionRunner).catchUp();
    await app.get(AuditSealer).sealAll();
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const token = (claims: Partial<TokenClaims> = {}) =>
    mintToken(SECRET, { sub: 'user-1', tenant, roles: ['OFFICER'], ...claims });

  async function gql(query: string, auth?: string, headers: Record<string, string> = {}) {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(auth ? { authorization: `Bearer ${auth}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as {
      data?: Record<string, unknown> | null;
      errors?: { message: string; extensions: Record<string, unknown> }[];
    };
  }
  const code = (r: Awaited<ReturnType<typeof gql>>) => r.errors?.[0]?.extensions.code;

  it('serves the HQ roll-up of the root union with its children', async () => {
    const r = await gql(
      `{ union(id: "co") { name level ancestorIds stats { members subtreeMembers subtreeFemaleMembers subtreeUnions arrearsMembers }
         children { id stats { subtreeMembers arrearsMembers } } } }`,
      await token(),
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?.union).toEqual({
      name: 'Union co',
      level: 'COMPANY',
      ancestorIds: [],
      stats: {
        members: 0,
        subtreeMembers: 6,
        subtreeFemaleMembers: 3,
        subtreeUnions: 4,
        arrearsMembers: 6,
      },
      children: [
        { id: 's1', stats: { subtreeMembers: 5, arrearsMembers: 5 } },
        { id: 's2', stats: { subtreeMembers: 1, arrearsMembers: 1 } },
      ],
    });
  });

  it('pages subordinate unions and members of a subtree', async () => {
    const r = await gql(
      `{ subordinateUnions(rootId: "co", first: 3) { totalCount nodes { id } pageInfo { hasNextPage endCursor } }
         members(unionId: "s1", includeSubtree: true, first: 2) { totalCount nodes { id employeeNo consecutiveUnpaidMonths } } }`,
      await token(),
    );
    expect(r.errors).toBeUndefined();
    const unions = r.data?.subordinateUnions as {
      totalCount: number;
      nodes: { id: string }[];
      pageInfo: { hasNextPage: boolean };
    };
    expect(unions.totalCount).toBe(4);
    expect(unions.nodes.map((n) => n.id)).toEqual(['s1', 't1', 's2']);
    expect(unions.pageInfo.hasNextPage).toBe(true);
    const members = r.data?.members as { totalCount: number; nodes: { employeeNo: string }[] };
    expect(members.totalCount).toBe(5);
    expect(members.nodes.map((n) => n.employeeNo)).toEqual(['E-a0', 'E-a1']);
  });

  it('keeps an officer inside the subtree of its unit', async () => {
    const s1Officer = await token({ unit: 's1' });
    expect((await gql('{ union(id: "t1") { id } }', s1Officer)).data?.union).toEqual({ id: 't1' });
    const sibling = await gql('{ union(id: "t2") { id } }', s1Officer);
    expect(code(sibling)).toBe('FORBIDDEN');
    expect(sibling.data?.union ?? null).toBeNull();
    expect(code(await gql('{ member(id: "b0") { id } }', s1Officer))).toBe('FORBIDDEN');
    expect(code(await gql('{ members(unionId: "co") { totalCount } }', s1Officer))).toBe(
      'FORBIDDEN',
    );
  });

  it('answers another tenant’s ids with NOT_FOUND, never data', async () => {
    const r = await gql('{ union(id: "x") { id name } }', await token());
    expect(code(r)).toBe('NOT_FOUND');
    expect(JSON.stringify(r)).not.toContain('Union x');
  });

  it('lets a member see only their own record', async () => {
    const member = await token({ roles: ['MEMBER'], member: 'a1' });
    expect((await gql('{ member(id: "a1") { id name } }', member)).data?.member).toEqual({
      id: 'a1',
      name: 'Member a1',
    });
    expect(code(await gql('{ member(id: "a2") { id } }', member))).toBe('FORBIDDEN');
    expect(code(await gql('{ union(id: "t1") { id } }', member))).toBe('FORBIDDEN');
  });

  it('refuses missing, forged, expired and alg:none tokens', async () => {
    expect(code(await gql('{ union(id: "co") { id } }'))).toBe('UNAUTHENTICATED');
    const forged = await mintToken('another-secret'.padEnd(40, 'y'), {
      sub: 'u',
      tenant,
      roles: ['OFFICER'],
    });
    expect(code(await gql('{ union(id: "co") { id } }', forged))).toBe('UNAUTHENTICATED');
    const expired = await mintToken(SECRET, { sub: 'u', tenant, roles: ['OFFICER'] }, -60);
    expect(code(await gql('{ union(id: "co") { id } }', expired))).toBe('UNAUTHENTICATED');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({
        sub: 'u',
        tenant,
        roles: ['OFFICER'],
        exp: Math.floor(Date.now() / 1000) + 60,
      }),
    ).toString('base64url')}.`;
    expect(code(await gql('{ union(id: "co") { id } }', none))).toBe('UNAUTHENTICATED');
    const noTenant = await new SignJWT({ roles: ['OFFICER'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    expect(code(await gql('{ union(id: "co") { id } }', noTenant))).toBe('UNAUTHENTICATED');
  });

  it('gives auditors the trail, the replay and the chain; officers of a unit only their subtree', async () => {
    const auditor = await token({ roles: ['AUDITOR'] });
    const trail = await gql(
      '{ auditTrail(filter: { memberId: "a0" }) { nodes { type tenantSequence hash } } }',
      auditor,
    );
    expect(trail.errors).toBeUndefined();
    expect(
      (trail.data?.auditTrail as { nodes: { type: string }[] }).nodes.map((n) => n.type),
    ).toEqual(['MemberImported']);
    const replay = await gql(
      '{ streamHistory(streamId: "member-a0") { version type state } }',
      auditor,
    );
    expect(replay.data?.streamHistory).toEqual([
      { version: 1, type: 'MemberImported', state: expect.objectContaining({ status: 'ACTIVE' }) },
    ]);
    const chain = await gql(
      '{ verifyAuditChain { ok checkedEvents firstBrokenSequence } }',
      auditor,
    );
    expect(chain.data?.verifyAuditChain).toEqual({
      ok: true,
      checkedEvents: 11,
      firstBrokenSequence: null,
    });
    const s2Auditor = await token({ roles: ['AUDITOR'], unit: 's2' });
    const scoped = await gql('{ auditTrail(filter: {}) { nodes { streamId } } }', s2Auditor);
    expect(
      (scoped.data?.auditTrail as { nodes: { streamId: string }[] }).nodes.map((n) => n.streamId),
    ).toEqual(['union-s2', 'union-t2', 'member-b0']);
    expect(code(await gql('{ streamHistory(streamId: "member-a0") { version } }', s2Auditor))).toBe(
      'FORBIDDEN',
    );
  });

  it('speaks the caller’s language in errors and rejects over-deep queries', async () => {
    const zh = await gql('{ union(id: "nope") { id } }', await token());
    expect(zh.errors?.[0]?.message).toContain('未找到');
    const en = await gql('{ union(id: "nope") { id } }', await token(), {
      'accept-language': 'en-US',
    });
    expect(en.errors?.[0]?.message).toBe('union nope not found');
    const deep = await gql(
      '{ union(id: "co") { children { children { children { children { children { children { children { children { children { id } } } } } } } } } } }',
      await token(),
    );
    expect(deep.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      rule: 'QUERY_TOO_DEEP',
    });
  });
});
