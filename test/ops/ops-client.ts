import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@app/database';
import type { TestDatabase } from '@app/testing';
import { createApiApp } from '../../apps/api/src/api-app';

export const SECRET = 'ops-e2e-secret-'.padEnd(40, 'o');

/** Every line the app logs, as written (pino's destination). */
export class LogCapture {
  readonly lines: string[] = [];
  write(chunk: string): void {
    this.lines.push(...chunk.split('\n').filter(Boolean));
  }
  get text(): string {
    return this.lines.join('\n');
  }
  records(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/** The API as main.ts builds it, on an ephemeral port, with extra settings from `env`. */
export async function startApi(
  db: TestDatabase | { appUrl: string },
  env: Record<string, string> = {},
  log?: LogCapture,
): Promise<{ app: NestExpressApplication; base: string }> {
  const config = loadConfig({
    NODE_ENV: 'test',
    AUTH_JWT_SECRET: SECRET,
    PII_MASTER_KEY: randomBytes(32).toString('base64'),
    ...env,
  });
  const app = await createApiApp({
    config,
    appUrl: db.appUrl,
    ...(log ? { logDestination: log } : {}),
  });
  await app.listen(0, '127.0.0.1');
  return { app, base: await app.getUrl() };
}

export interface GqlReply {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

export async function gql(
  base: string,
  query: string,
  options: {
    token?: string;
    variables?: Record<string, unknown>;
    operationName?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<GqlReply> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'accept-language': 'en',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({
      query,
      variables: options.variables ?? {},
      ...(options.operationName ? { operationName: options.operationName } : {}),
    }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GqlReply['body'],
  };
}
