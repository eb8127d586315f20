import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@app/database';
import { createApiApp } from '../../apps/api/src/api-app';
import type { LiveLimits } from '../../apps/api/src/live/live-connection';

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

/** Where the logs of a test that does not read them go. */
const DISCARD = { write: (): void => undefined };

export interface StartedApi {
  app: NestExpressApplication;
  /** http://127.0.0.1:<port> */
  base: string;
  /** The GraphQL endpoint. */
  url: string;
}

/**
 * The API exactly as main.ts builds it (`createApiApp`: its body parser, limits and pino logs),
 * on an ephemeral port of 127.0.0.1, with the test settings overridden by `env`. Logs are
 * discarded unless a destination is given; `live` lowers the subscription limits.
 */
export async function startApi(
  db: { appUrl: string },
  env: Record<string, string> = {},
  log: { write(chunk: string): void } = DISCARD,
  live?: Partial<LiveLimits>,
): Promise<StartedApi> {
  const config = loadConfig({
    NODE_ENV: 'test',
    AUTH_JWT_SECRET: SECRET,
    PII_MASTER_KEY: randomBytes(32).toString('base64'),
    ...env,
  });
  const app = await createApiApp({ config, appUrl: db.appUrl, logDestination: log, live });
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  return { app, base, url: `${base}/graphql` };
}
