import { randomBytes } from 'node:crypto';
import { buildOnce } from '../faults/fault-processes';
import { spawnBuiltApi } from './built-api';

const PASSWORD = `pw-${randomBytes(6).toString('hex')}`;
const SECRET = `jwt-${randomBytes(24).toString('hex')}`;
const PII_KEY = randomBytes(32).toString('base64');
const production = {
  NODE_ENV: 'production',
  DATABASE_URL: `postgres://owner:${PASSWORD}@127.0.0.1:1/union_registry`,
  AUTH_JWT_SECRET: SECRET,
  PII_MASTER_KEY: PII_KEY,
};

/** The built server refuses to start on bad settings: exit 1, one clear line, no secret in it. */
describe('configuration is validated before anything starts', () => {
  beforeAll(() => buildOnce());

  const start = async (env: Record<string, string>) => {
    const api = spawnBuiltApi(env);
    const exit = await api.exited;
    return { exit, output: api.output() };
  };

  it.each([
    [
      'a DATABASE_URL that is not a URL',
      { ...production, DATABASE_URL: `postgres://owner:${PASSWORD}@db:99999/x` },
      'Invalid configuration: DATABASE_URL is not a valid URL (expected postgres://user:password@host:5432/database)',
    ],
    [
      'a DATABASE_URL of another scheme',
      { ...production, DATABASE_URL: `mysql://owner:${PASSWORD}@db/x` },
      'Invalid configuration: DATABASE_URL must use postgres:// or postgresql://, not mysql://',
    ],
    [
      'a DATABASE_URL without a database',
      { ...production, DATABASE_URL: `postgres://owner:${PASSWORD}@db:5432` },
      'Invalid configuration: DATABASE_URL names no database',
    ],
    [
      'no DATABASE_URL in production',
      { ...production, DATABASE_URL: '' },
      'Invalid configuration: DATABASE_URL is required in production (the embedded PostgreSQL is for development and tests)',
    ],
    [
      'no JWT secret in production',
      { ...production, AUTH_JWT_SECRET: '' },
      'Invalid configuration: AUTH_JWT_SECRET or AUTH_JWKS_URL is required in production',
    ],
    [
      'a JWT secret that is too short',
      { ...production, AUTH_JWT_SECRET: PASSWORD },
      'Invalid configuration: AUTH_JWT_SECRET must be at least 32 characters',
    ],
    [
      'no PII master key in production',
      { ...production, PII_MASTER_KEY: '' },
      'Invalid configuration: PII_MASTER_KEY is required in production',
    ],
    [
      'a PII master key of the wrong size',
      { ...production, PII_MASTER_KEY: Buffer.from(PASSWORD).toString('base64') },
      'Invalid configuration: PII_MASTER_KEY must be 32 bytes, base64 encoded',
    ],
    [
      'a limit that is not a number',
      { ...production, RATE_LIMIT_MAX: 'lots' },
      'Invalid configuration: RATE_LIMIT_MAX must be an integer between 0 and 10000000, got "lots"',
    ],
  ])('stops on %s', async (_case, env, message) => {
    const { exit, output } = await start(env);
    expect(exit).toBe('exit 1');
    expect(output.trim()).toBe(message);
    for (const secret of [PASSWORD, SECRET, PII_KEY, Buffer.from(PASSWORD).toString('base64')])
      expect(output).not.toContain(secret);
  });
});
