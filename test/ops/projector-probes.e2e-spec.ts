import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '@app/database';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { buildOnce, waitUntil } from '../faults/fault-processes';

/** The built projector with PROJECTOR_PORT: probes and metrics over HTTP, then a clean SIGTERM. */
describe('projector probes', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    buildOnce();
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  it('answers /health/live, /health/ready and /metrics, and stops on SIGTERM with exit 0', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(
      process.execPath,
      [join(__dirname, '..', '..', 'dist', 'apps', 'projector', 'src', 'main.js')],
      {
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'test',
          DATABASE_URL: db.ownerUrl,
          DATABASE_APP_URL: db.appUrl,
          PROJECTOR_PORT: String(port),
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const output: string[] = [];
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    const exited = new Promise<string>((resolve) =>
      child.once('exit', (code, signal) => resolve(signal ?? `exit ${String(code)}`)),
    );
    try {
      const ready = await waitUntil(`the projector to be ready (${output.join('')})`, () =>
        fetch(`${base}/health/ready`).then(
          async (r) => (r.status === 200 ? ((await r.json()) as { status: string }) : undefined),
          () => undefined,
        ),
      );
      expect(ready.status).toBe('ok');
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/^projection_lag_events\{projection="registry"\} 0$/m);
      expect(metrics).toMatch(/^db_pool_connections\{state="total"\} \d+$/m);
      expect((await fetch(`${base}/graphql`)).status).toBe(404); // probes only
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe('exit 0');
    // JSON lines, the shutdown among them
    const lines = output.join('').split('\n').filter(Boolean);
    expect(lines.every((line) => line.startsWith('{'))).toBe(true);
    expect(lines.some((line) => line.includes('SIGTERM received: shutting down'))).toBe(true);
  });
});
