import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { mintToken } from '@app/auth';
import { ProjectionRunner } from '@app/read-models';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { mutationClient, SECRET, type Json } from '../api/mutation-client';
import { startApi } from '../support/test-api';

/** Entities of one tenant that valid inputs point at (and other tenants' inputs must not reach). */
export interface TenantRefs {
  tenantId: string;
  root: string;
  s1: string;
  t1: string;
  t3: string;
  /** ACTIVE members of t1. */
  active: string[];
  /** An APPLIED member of t1. */
  applied: string;
  election: string;
  transfer: string;
}

export interface Reply {
  status: number;
  body: { data?: Json | null; errors?: { message: string; extensions?: Json }[] } | undefined;
  text: string;
}

/** The real server on an ephemeral port over a fresh database, with two tenants built. */
export function fuzzFixture() {
  let db: TestDatabase | undefined;
  let app: INestApplication | undefined;
  let url = '';
  const client = mutationClient(() => url);
  const own = {} as TenantRefs;
  const other = {} as TenantRefs;
  const tokens = { officer: '', admin: '' };

  async function build(refs: TenantRefs, mark: string): Promise<void> {
    const { ok } = client;
    refs.tenantId = `${mark}-${randomUUID()}`;
    const hq = await mintToken(SECRET, { sub: 'hq', tenant: refs.tenantId, roles: ['OFFICER'] });
    if (mark === 'own') tokens.officer = hq;
    const provisioned = await ok('provisionTenant', tokens.admin, {
      tenantId: refs.tenantId,
      name: `${mark} tenant`,
      rootUnionName: `${mark} root`,
    });
    refs.root = (provisioned.rootUnion as Json).id as string;
    const establish = async (parentId: string, name: string, level: string) =>
      ((await ok('establishUnion', hq, { parentId, name, level })).union as Json).id as string;
    refs.s1 = await establish(refs.root, `${mark} s1`, 'SECONDARY_UNIT');
    refs.t1 = await establish(refs.s1, `${mark} t1`, 'TEAM');
    refs.t3 = await establish(refs.s1, `${mark} t3`, 'TEAM');
    const apply = async (key: string) =>
      (
        (
          await ok('applyForMembership', hq, {
            unionId: refs.t1,
            name: `${mark} ${key}`,
            gender: 'FEMALE',
            employeeNo: `${mark}-${key}`,
          })
        ).member as Json
      ).id as string;
    refs.active = [];
    for (const key of ['A', 'B', 'C', 'D']) {
      const id = await apply(key);
      await ok('approveMembership', hq, { memberId: id });
      refs.active.push(id);
    }
    refs.applied = await apply('P');
    await ok('setGovernanceForm', hq, { unionId: refs.t1, form: 'COMMITTEE' });
    const called = await ok('callElection', hq, {
      unionId: refs.t1,
      kind: 'COMMITTEE',
      seats: 3,
      expectedVoters: 4,
      candidateMemberIds: refs.active.slice(0, 3),
    });
    refs.election = (called.election as Json).id as string;
    const requested = await ok('requestTransfer', hq, {
      memberId: refs.active[3],
      toUnionId: refs.t3,
    });
    refs.transfer = (requested.transfer as Json).id as string;
  }

  return {
    own,
    other,
    tokens,
    /** One POST; the body parsed when it is JSON. */
    async post(query: string, variables: Json, token: string): Promise<Reply> {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'accept-language': 'en',
        },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      let body: Reply['body'];
      try {
        body = JSON.parse(text) as Reply['body'];
      } catch {
        body = undefined;
      }
      return { status: response.status, body, text };
    },
    /** Events and command ids in the whole store: what must not move. */
    async storeState(): Promise<{ events: number; last: number; commands: number }> {
      const { rows } = await db!.ownerPool.query<{
        events: number;
        last: string;
        commands: number;
      }>(
        `SELECT (SELECT count(*)::int FROM events) AS events,
                (SELECT COALESCE(max(global_position), 0) FROM events) AS last,
                (SELECT count(*)::int FROM es_commands) AS commands`,
      );
      const row = rows[0]!;
      return { events: row.events, last: Number(row.last), commands: row.commands };
    },
    async start(): Promise<void> {
      db = await createTestDatabase();
      // one token sends every broken input: the per-token limit has its own test (test/ops)
      const started = await startApi(db, { AUTH_JWT_SECRET: SECRET, RATE_LIMIT_MAX: '0' });
      app = started.app;
      url = started.url;
      tokens.admin = await mintToken(SECRET, { sub: 'platform', roles: ['PLATFORM_ADMIN'] });
      await build(own, 'own');
      await build(other, 'other');
      await app.get(ProjectionRunner).catchUp();
    },
    async stop(): Promise<void> {
      await app?.close();
      await db?.close();
    },
  };
}
