import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { mintToken, type TokenClaims } from '@app/auth';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/read-models';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { startApi } from '../support/test-api';

/** A small GraphQL client and fixture for the mutation e2e tests. */
export type Json = Record<string, unknown>;
export const SECRET = 'e2e-mutations-'.padEnd(40, 'x');

interface Reply {
  data?: Json | null;
  errors?: { message: string; extensions: Json }[];
}

/** What each payload type is asked for. */
const SELECTION: Record<string, string> = {
  ProvisionTenantPayload:
    'tenantId tenant { id name preset provisionedOn } rootUnion { id name level status }',
  UnionPayload:
    'union { id name level status parentId governanceForm termEnd version committee { memberId roles } }',
  MemberPayload:
    'member { id unionId status gender cardNumber joinedOn duesExempt lastPaidPeriod version }',
  DuesImportPayload: 'accepted rejected errors',
  TransferPayload: 'transfer { id memberId fromUnionId toUnionId status handledByUnionIds }',
  ElectionPayload: 'election { id unionId status seats votersPresent winners }',
};

interface TypeRef {
  name: string | null;
  ofType: TypeRef | null;
}
const named = (t: TypeRef): string => t.name ?? (t.ofType ? named(t.ofType) : '');

export function mutationClient(url: () => string) {
  const seen: string[] = [];
  let signatures: Map<string, { input: string; payload: string }> | undefined;

  async function gql(query: string, auth: string, variables: Json = {}): Promise<Reply> {
    const response = await fetch(url(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${auth}`,
        'accept-language': 'en',
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    seen.push(text);
    return JSON.parse(text) as Reply;
  }

  /** Input and payload type of every mutation, from introspection. */
  async function signature(name: string, auth: string) {
    if (!signatures) {
      const r = await gql(
        `{ __schema { mutationType { fields { name type { name ofType { name ofType { name } } }
           args { type { name ofType { name ofType { name } } } } } } } }`,
        auth,
      );
      const schema = r.data?.__schema as {
        mutationType: { fields: { name: string; type: TypeRef; args: { type: TypeRef }[] }[] };
      };
      signatures = new Map(
        schema.mutationType.fields.map((f) => [
          f.name,
          { input: f.args[0] ? named(f.args[0].type) : '', payload: named(f.type) },
        ]),
      );
    }
    const found = signatures.get(name);
    if (!found) throw new Error(`no mutation ${name}`);
    return found;
  }

  /** Runs a mutation: its payload, or the first error's extensions (and message) as `error`. */
  async function mutate(name: string, auth: string, input: Json) {
    const { input: type, payload: payloadType } = await signature(name, auth);
    const r = await gql(
      `mutation M($input: ${type}!) { ${name}(input: $input) { position ${SELECTION[payloadType] ?? ''} } }`,
      auth,
      { input },
    );
    const payload = (r.data?.[name] ?? null) as Json | null;
    const first = r.errors?.[0];
    const error: Json | null = first ? { ...first.extensions, message: first.message } : null;
    return { payload, error };
  }

  /** A mutation that must succeed; its payload. */
  async function ok(name: string, auth: string, input: Json): Promise<Json> {
    const { payload, error } = await mutate(name, auth, input);
    expect(error).toBeNull();
    expect(payload?.position).toMatch(/^[1-9][0-9]*$/);
    return payload ?? {};
  }

  const codeOf = async (name: string, auth: string, input: Json): Promise<unknown> =>
    (await mutate(name, auth, input)).error?.code;

  return { seen, gql, mutate, ok, codeOf };
}

/**
 * The real server on an ephemeral port over a fresh database, two tenant ids (T, and O for the
 * cross-tenant checks), named ids and tokens, and the client (every response body kept in `seen`).
 */
export function apiFixture() {
  let db: TestDatabase | undefined;
  let app: INestApplication | undefined;
  let url = '';
  const T = `t-${randomUUID()}`;
  const O = `o-${randomUUID()}`;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  const client = mutationClient(() => url);
  const known = (map: Record<string, string>, key: string): string => {
    const value = map[key];
    if (value === undefined) throw new Error(`${key} is not known yet`);
    return value;
  };
  const entity = (payload: Json, key: string) => payload[key] as Json;
  return {
    ...client,
    T,
    O,
    ids,
    tokens,
    id: (key: string) => known(ids, key),
    tok: (key: string) => known(tokens, key),
    entity,
    token: (sub: string, claims: Partial<TokenClaims> = {}) =>
      mintToken(SECRET, { sub, tenant: T, roles: ['OFFICER'], ...claims }),
    store(): EventStore {
      if (!app) throw new Error('not started');
      return app.get<EventStore>(EVENT_STORE);
    },
    runner(): ProjectionRunner {
      if (!app) throw new Error('not started');
      return app.get(ProjectionRunner);
    },
    async start(): Promise<void> {
      db = await createTestDatabase();
      ({ app, url } = await startApi(db, { AUTH_JWT_SECRET: SECRET }));
      tokens.admin = await mintToken(SECRET, { sub: 'platform', roles: ['PLATFORM_ADMIN'] });
    },
    async stop(): Promise<void> {
      await app?.close();
      await db?.close();
    },
    /** Applies for membership in `unionId`; the new member's id is kept under `key`. */
    async apply(auth: string, unionId: string, key: string, extra: Json = {}): Promise<string> {
      const payload = await client.ok('applyForMembership', auth, {
        unionId,
        name: `会员${key}`,
        gender: ['A', 'B', 'F', 'H'].includes(key) ? 'FEMALE' : 'MALE',
        employeeNo: `E-${key}-${randomUUID().slice(0, 8)}`,
        ...extra,
      });
      expect(entity(payload, 'member')).toMatchObject({ status: 'APPLIED', version: 1 });
      return (ids[key] = entity(payload, 'member').id as string);
    },
  };
}
