import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { mintToken, type TokenClaims } from '@app/auth';
import { EVENT_STORE, LOG_START, type EventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/read-models';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { mutationClient, SECRET, type Json } from '../api/mutation-client';
import { startApi } from '../support/test-api';

/** The ids of one tenant's fixture: a root, two secondary units, teams, members, an election, a transfer. */
export interface Refs {
  co: string;
  s1: string;
  s2: string;
  t1: string;
  t2: string;
  t3: string;
  /** ACTIVE members of t1 (A, B, C, D); H is ACTIVE in t2; P is APPLIED in t1, Q in t3. */
  A: string;
  B: string;
  C: string;
  D: string;
  H: string;
  P: string;
  Q: string;
  election: string;
  transfer: string;
}

export interface Reply {
  data?: Json | null;
  errors?: { message: string; extensions: Json }[];
}

/** Every name in the other tenant carries this marker: it must never appear in a response. */
export const OTHER_MARK = 'OTHERTENANT';

/**
 * The real server on an ephemeral port over a fresh database with two fully built tenants, T (the
 * attacker's) and O (the victim), the read models caught up before any attack.
 */
export function securityFixture() {
  let db: TestDatabase | undefined;
  let app: INestApplication | undefined;
  let url = '';
  const T = `t-${randomUUID()}`;
  const O = `o-${randomUUID()}`;
  const client = mutationClient(() => url);
  const t = {} as Refs;
  const o = {} as Refs;
  const token = (sub: string, claims: Partial<TokenClaims> = {}) =>
    mintToken(SECRET, { sub, tenant: T, roles: ['OFFICER'], ...claims });

  /** A POST with exactly these headers (no Authorization unless given). */
  async function raw(query: string, headers: Record<string, string>, variables: Json = {}) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return JSON.parse(await response.text()) as Reply;
  }

  async function build(tenantId: string, refs: Refs, mark: string): Promise<void> {
    const admin = await mintToken(SECRET, { sub: 'platform', roles: ['PLATFORM_ADMIN'] });
    const hq = await mintToken(SECRET, { sub: 'hq', tenant: tenantId, roles: ['OFFICER'] });
    const { ok } = client;
    const union = (p: Json) => (p.union as Json).id as string;
    const provisioned = await ok('provisionTenant', admin, {
      tenantId,
      name: `${mark}-tenant`,
      rootUnionName: `${mark}-root`,
    });
    refs.co = (provisioned.rootUnion as Json).id as string;
    const establish = async (parentId: string, name: string, level: string) =>
      union(await ok('establishUnion', hq, { parentId, name: `${mark}-${name}`, level }));
    refs.s1 = await establish(refs.co, 's1', 'SECONDARY_UNIT');
    refs.s2 = await establish(refs.co, 's2', 'SECONDARY_UNIT');
    refs.t1 = await establish(refs.s1, 't1', 'TEAM');
    refs.t3 = await establish(refs.s1, 't3', 'TEAM');
    refs.t2 = await establish(refs.s2, 't2', 'TEAM');
    const apply = async (unionId: string, key: string) =>
      (
        (
          await ok('applyForMembership', hq, {
            unionId,
            name: `${mark}-member-${key}`,
            gender: 'FEMALE',
            employeeNo: `${mark}-E-${key}`,
          })
        ).member as Json
      ).id as string;
    for (const [key, unionId] of [
      ['A', refs.t1],
      ['B', refs.t1],
      ['C', refs.t1],
      ['D', refs.t1],
      ['H', refs.t2],
    ] as const) {
      refs[key] = await apply(unionId, key);
      await ok('approveMembership', hq, { memberId: refs[key] });
    }
    refs.P = await apply(refs.t1, 'P');
    refs.Q = await apply(refs.t3, 'Q');
    await ok('setGovernanceForm', hq, { unionId: refs.t1, form: 'COMMITTEE' });
    const called = await ok('callElection', hq, {
      unionId: refs.t1,
      kind: 'COMMITTEE',
      seats: 3,
      expectedVoters: 4,
      candidateMemberIds: [refs.A, refs.B, refs.C],
    });
    refs.election = (called.election as Json).id as string;
    const requested = await ok('requestTransfer', hq, { memberId: refs.D, toUnionId: refs.t2 });
    refs.transfer = (requested.transfer as Json).id as string;
  }

  return {
    ...client,
    raw,
    T,
    O,
    t,
    o,
    token,
    /** Every event of one tenant, read through the store with its tenant filter. */
    async eventsOf(tenantId: string) {
      if (!app) throw new Error('not started');
      const store = app.get<EventStore>(EVENT_STORE);
      const all = [];
      let after = LOG_START;
      for (;;) {
        const page = await store.readAll({ tenantId, after, limit: 1000 });
        if (page.events.length === 0) return all;
        all.push(...page.events);
        after = page.checkpoint;
      }
    },
    async catchUp(): Promise<void> {
      await app?.get(ProjectionRunner).catchUp();
    },
    async start(): Promise<void> {
      db = await createTestDatabase();
      const started = await startApi(db, { AUTH_JWT_SECRET: SECRET });
      app = started.app;
      url = started.url;
      await build(T, t, 'OWN');
      await build(O, o, OTHER_MARK);
      await app.get(ProjectionRunner).catchUp();
    },
    async stop(): Promise<void> {
      await app?.close();
      await db?.close();
    },
  };
}
