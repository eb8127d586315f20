import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

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
