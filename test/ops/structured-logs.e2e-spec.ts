import { randomInt, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mintToken } from '@app/auth';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { gql } from './ops-client';
import { LogCapture, SECRET, startApi } from '../support/test-api';

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('structured JSON logs: request and correlation ids, no personal data', () => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  let base: string;
  const log = new LogCapture();
  const tenant = `logs-${randomUUID()}`;
  const nationalId = `110101${digits(12)}`;
  const phone = `139${digits(8)}`;
  const requestId = `ops-req-${randomUUID()}`;
  const correlationId = `ops-corr-${randomUUID()}`;
  let officer = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app, base } = await startApi(db, { LOG_LEVEL: 'info' }, log));
    const admin = await mintToken(SECRET, { sub: 'platform', roles: ['PLATFORM_ADMIN'] });
    officer = await mintToken(SECRET, { sub: 'hq', tenant, roles: ['OFFICER'] });
    const provisioned = await gql(
      base,
      `mutation($i: ProvisionTenantInput!) { provisionTenant(input: $i) { rootUnion { id } } }`,
      {
        token: admin,
        variables: { i: { tenantId: tenant, name: tenant, rootUnionName: '公司工会' } },
      },
    );
    let parentId = (provisioned.body.data?.provisionTenant as { rootUnion: { id: string } })
      .rootUnion.id;
    for (const level of ['SECONDARY_UNIT', 'TEAM']) {
      const established = await gql(
        base,
        `mutation($i: EstablishUnionInput!) { establishUnion(input: $i) { union { id } } }`,
        { token: officer, variables: { i: { parentId, name: level, level } } },
      );
      parentId = (established.body.data?.establishUnion as { union: { id: string } }).union.id;
    }
    const applied = await gql(
      base,
      `mutation Apply($i: ApplyForMembershipInput!) { applyForMembership(input: $i) { position } }`,
      {
        token: officer,
        headers: { 'x-request-id': requestId, 'x-correlation-id': correlationId },
        variables: {
          i: {
            unionId: parentId,
            name: '会员',
            gender: 'FEMALE',
            employeeNo: 'E-1',
            nationalId,
            phone,
          },
        },
      },
    );
    expect(applied.body.errors).toBeUndefined();
    expect(applied.headers.get('x-request-id')).toBe(requestId);
    expect(applied.headers.get('x-correlation-id')).toBe(correlationId);
    // a GET carries its variables in the query string
    const variables = encodeURIComponent(JSON.stringify({ nationalId, phone }));
    await fetch(`${base}/graphql?query=%7Bhealth%7Bstatus%7D%7D&variables=${variables}`, {
      headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${officer}` },
    });
    // a message that interpolates the values
    new Logger('OpsTest').warn(`looked up ${nationalId} / +86 ${phone}`);
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('writes one JSON object per line with the request id and correlation id', () => {
    const records = log.records();
    const request = records.find(
      (r) => (r.req as { id?: string } | undefined)?.id === requestId && r.res !== undefined,
    );
    expect(request).toMatchObject({
      correlationId,
      req: { id: requestId, method: 'POST', path: '/graphql' },
      res: { statusCode: 200 },
      msg: 'request completed',
    });
    expect(records.some((r) => r.context === 'OpsTest' && r.level === 40)).toBe(true);
  });

  it('stores the request id and correlation id in the metadata of the events the request caused', async () => {
    const { rows } = await db.ownerPool.query<{ type: string; metadata: Record<string, string> }>(
      `SELECT type, metadata FROM events WHERE tenant_id = $1 AND metadata->>'requestId' = $2`,
      [tenant, requestId],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows)
      expect(row.metadata).toMatchObject({ requestId, correlationId, actor: 'hq' });
    // without headers: a generated request id that is also the correlation id
    const { rows: others } = await db.ownerPool.query<{ metadata: Record<string, string> }>(
      `SELECT metadata FROM events WHERE tenant_id = $1 AND type = 'UnionEstablished'`,
      [tenant],
    );
    expect(others.length).toBe(3); // the root union (provisionTenant) and the two below it
    for (const { metadata } of others) {
      expect(metadata.requestId).toMatch(UUID);
      expect(metadata.correlationId).toBe(metadata.requestId);
    }
  });

  it('replaces a request id that is too long, not plain, or looks like personal data', async () => {
    for (const offered of ['x'.repeat(129), 'id with spaces', `req-${phone}`, nationalId]) {
      const reply = await gql(base, '{ health { status } }', {
        headers: { 'x-request-id': offered },
      });
      expect(reply.headers.get('x-request-id')).toMatch(UUID);
    }
  });

  it('never logs the national id, the phone (or their last 8 digits) or the bearer token', () => {
    const text = log.text;
    expect(text).toContain(requestId); // the capture holds the requests
    expect(text).toContain('[national-id]');
    expect(text).toContain('[phone]');
    for (const needle of [nationalId, phone, nationalId.slice(-8), phone.slice(-8), officer]) {
      const at = text.indexOf(needle);
      expect(at < 0 ? null : text.slice(Math.max(0, at - 200), at + 50)).toBeNull();
    }
  });
});
