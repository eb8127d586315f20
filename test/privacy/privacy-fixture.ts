import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { format } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { mintToken, type TokenClaims } from '@app/auth';
import { loadConfig } from '@app/database';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { createApiApp } from '../../apps/api/src/api-app';
import { mutationClient, SECRET, type Json } from '../api/mutation-client';

/** Fresh, random personal data per run, so that no other test's data can be mistaken for it. */
export function personalData() {
  const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
  const nationalId = `110101${digits(12)}`;
  const phone = `139${digits(8)}`;
  return {
    nationalId,
    phone,
    maskedNationalId: `${nationalId.slice(0, 3)}${'*'.repeat(11)}${nationalId.slice(-4)}`,
    maskedPhone: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
  };
}

type Write = typeof process.stdout.write;

/**
 * The real API over HTTP on a fresh database, provisioned with a company union, two secondary
 * units and a team under each; `logs` holds everything logged while it runs, whatever the channel
 * (the pino JSON log at debug level, console, stdout, stderr). `env`: more settings.
 */
export function privacyFixture(env: Record<string, string> = {}) {
  let db: TestDatabase | undefined;
  let app: INestApplication | undefined;
  let url = '';
  const logs: string[] = [];
  const T = `t-${randomUUID()}`;
  const O = `o-${randomUUID()}`;
  const client = mutationClient(() => url);
  const ids: Record<string, string> = {};
  const restore: (() => void)[] = [];

  const capture = () => {
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      const tee = (
        chunk: string | Uint8Array,
        encoding?: BufferEncoding,
        done?: (error?: Error | null) => void,
      ): boolean => {
        logs.push(String(chunk));
        return original(chunk, encoding, done);
      };
      stream.write = tee as Write;
      restore.push(() => (stream.write = original));
    }
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const original = Object.getOwnPropertyDescriptor(console, level);
      console[level] = (...args: unknown[]) => logs.push(format(...args));
      restore.push(() => original && Object.defineProperty(console, level, original));
    }
  };

  const token = (sub: string, claims: Partial<TokenClaims> = {}) =>
    mintToken(SECRET, { sub, tenant: T, roles: ['OFFICER'], ...claims });

  return {
    ...client,
    T,
    O,
    ids,
    logs,
    token,
    db: () => db!,
    app: () => app!,
    url: () => url,
    async start(): Promise<void> {
      capture();
      db = await createTestDatabase();
      const config = loadConfig({
        NODE_ENV: 'test',
        AUTH_JWT_SECRET: SECRET,
        PII_MASTER_KEY: randomBytes(32).toString('base64'),
        LOG_LEVEL: 'debug',
        ...env,
      });
      // as main.ts runs it: Nest's messages and the request log as JSON lines through pino
      app = await createApiApp({
        config,
        appUrl: db.appUrl,
        logDestination: { write: (line: string) => void logs.push(line) },
      });
      await app.listen(0, '127.0.0.1');
      url = `${await app.getUrl()}/graphql`;
      const admin = await mintToken(SECRET, { sub: 'platform', roles: ['PLATFORM_ADMIN'] });
      const root = async (tenantId: string) => {
        const p = await client.ok('provisionTenant', admin, {
          tenantId,
          name: `Company ${tenantId}`,
          rootUnionName: '油田公司工会',
        });
        return (p.rootUnion as Json).id as string;
      };
      ids.co = await root(T);
      ids.oCo = await root(O);
      const hq = await token('hq');
      const establish = async (parentId: string, name: string, level: string) =>
        ((await client.ok('establishUnion', hq, { parentId, name, level })).union as Json)
          .id as string;
      ids.s1 = await establish(ids.co, '采油一厂工会', 'SECONDARY_UNIT');
      ids.s2 = await establish(ids.co, '采油二厂工会', 'SECONDARY_UNIT');
      ids.t1 = await establish(ids.s1, '一队工会', 'TEAM');
      ids.t2 = await establish(ids.s2, '二队工会', 'TEAM');
    },
    async stop(): Promise<void> {
      try {
        await app?.close();
        await db?.close();
      } finally {
        restore.reverse().forEach((undo) => undo());
      }
    },
  };
}
