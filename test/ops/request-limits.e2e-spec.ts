import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mintToken } from '@app/auth';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { gql } from './ops-client';
import { SECRET, startApi } from '../support/test-api';

const LIMIT = 5;

describe('request limits: rate per token, body size, query depth and cost', () => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  let base: string;
  const tenant = `limits-${randomUUID()}`;
  const token = (sub: string, tenantId = tenant) =>
    mintToken(SECRET, { sub, tenant: tenantId, roles: ['OFFICER'] });

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app, base } = await startApi(db, {
      RATE_LIMIT_MAX: String(LIMIT),
      RATE_LIMIT_WINDOW_MS: '600000',
      HTTP_BODY_LIMIT_BYTES: '4096',
      GRAPHQL_MAX_COST: '2000',
    }));
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const codes = (reply: Awaited<ReturnType<typeof gql>>) =>
    (reply.body.errors ?? []).map((e) => e.extensions?.code);

  it('limits each token (subject and tenant), counting a request once however many root fields', async () => {
    const sub = `alice-${randomUUID()}`;
    const alice = await token(sub);
    // three root fields: one request
    const three = await gql(
      base,
      '{ a: health { status } b: health { status } c: me { userId } }',
      {
        token: alice,
      },
    );
    expect(three.status).toBe(200);
    expect(three.body.errors).toBeUndefined();
    expect(three.headers.get('x-ratelimit-remaining')).toBe(String(LIMIT - 1));
    for (let i = 1; i < LIMIT; i++) {
      const reply = await gql(base, '{ health { status } }', { token: alice });
      expect([reply.status, reply.headers.get('x-ratelimit-remaining')]).toEqual([
        200,
        String(LIMIT - 1 - i),
      ]);
    }
    const refused = await gql(base, '{ health { status } }', { token: alice });
    // HTTP 429 with Retry-After (seconds) and the GraphQL error naming the limit
    expect(refused.status).toBe(429);
    const retryAfter = refused.headers.get('retry-after');
    expect(retryAfter).toMatch(/^[1-9]\d*$/);
    expect(Number(retryAfter)).toBeLessThanOrEqual(600);
    expect([
      refused.headers.get('x-ratelimit-limit'),
      refused.headers.get('x-ratelimit-remaining'),
    ]).toEqual([String(LIMIT), '0']);
    expect(refused.body.data ?? null).toBeNull();
    expect(refused.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining(`at most ${LIMIT} per 600 s`),
      extensions: {
        code: 'TOO_MANY_REQUESTS',
        limit: LIMIT,
        windowSeconds: 600,
        retryAfterSeconds: Number(retryAfter),
      },
    });
    // a mutation is refused the same way, before its resolver runs
    const mutation = await gql(
      base,
      'mutation($id: ID!) { approveUnionEstablishment(input: { unionId: $id }) { position } }',
      { token: alice, variables: { id: randomUUID() } },
    );
    expect([mutation.status, codes(mutation)]).toEqual([429, ['TOO_MANY_REQUESTS']]);
    expect(mutation.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    // a new token of the same subject in the same tenant shares the budget
    expect(codes(await gql(base, '{ health { status } }', { token: await token(sub) }))).toEqual([
      'TOO_MANY_REQUESTS',
    ]);
    // another user, and the same subject in another tenant, each have their own
    expect((await gql(base, '{ health { status } }', { token: await token('bob') })).status).toBe(
      200,
    );
    const elsewhere = await token(sub, `${tenant}-2`);
    expect((await gql(base, '{ health { status } }', { token: elsewhere })).status).toBe(200);
  });

  it('limits requests without a valid token by client address', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const reply = await gql(base, '{ health { status } }', {
        token: i % 2 ? 'forged' : undefined,
      });
      expect(reply.status).toBe(200);
    }
    const anonymous = await gql(base, '{ health { status } }');
    expect([anonymous.status, codes(anonymous)]).toEqual([429, ['TOO_MANY_REQUESTS']]);
    expect(anonymous.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    const forged = await gql(base, '{ health { status } }', { token: 'forged' });
    expect([forged.status, codes(forged)]).toEqual([429, ['TOO_MANY_REQUESTS']]);
    // a valid token from the same address is not affected
    expect((await gql(base, '{ health { status } }', { token: await token('carol') })).status).toBe(
      200,
    );
  });

  it('never limits the probes and the metrics', async () => {
    for (let i = 0; i < LIMIT * 2; i++) {
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      expect((await fetch(`${base}/metrics`)).status).toBe(200);
    }
  });

  it('answers a body over the limit with 413 and the limit, before GraphQL', async () => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await token('dave')}`,
      },
      body: JSON.stringify({ query: `{ health { status } } # ${'x'.repeat(5000)}` }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'The request body is larger than the limit of 4096 bytes',
          extensions: { code: 'PAYLOAD_TOO_LARGE', limitBytes: 4096 },
        },
      ],
    });
  });

  it('refuses a query nested deeper than the depth limit', async () => {
    const nested = (levels: number): string =>
      levels === 0 ? 'id' : `children { ${nested(levels - 1)} }`;
    const reply = await gql(base, `{ union(id: "u") { ${nested(10)} } }`, {
      token: await token('erin'),
    });
    expect(reply.status).toBe(400);
    expect(reply.body.errors?.[0]).toMatchObject({
      message: 'The query is nested 12 levels deep; at most 10 are allowed',
      extensions: { code: 'BAD_USER_INPUT', rule: 'QUERY_TOO_DEEP' },
    });
  });

  it('refuses a query whose estimated cost is over the limit, with the cost and the limit', async () => {
    const auth = await token('frank');
    const page =
      'query($n: Int) { members(unionId: "u", first: $n) { nodes { id name gender status } } }';
    const costly = await gql(base, page, { token: auth, variables: { n: 500 } });
    expect(costly.status).toBe(400);
    expect(costly.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('at most 2000 are allowed'),
      extensions: {
        code: 'BAD_USER_INPUT',
        rule: 'QUERY_TOO_COSTLY',
        cost: 1 + 500 + 2000,
        maxCost: 2000,
      },
    });
    // the same query with a small page runs (and fails only on the unknown union)
    const cheap = await gql(base, page, { token: auth, variables: { n: 10 } });
    expect(codes(cheap)).not.toContain('BAD_USER_INPUT');
    // nested lists multiply: within the depth limit, over the cost
    const wide = await gql(
      base,
      '{ union(id: "u") { children { children { children { children { id } } } } } }',
      {
        token: auth,
      },
    );
    expect(wide.body.errors?.[0]?.extensions).toMatchObject({
      rule: 'QUERY_TOO_COSTLY',
      cost: 1 + 10 + 100 + 1000 + 10000 + 10000,
    });
  });
});
