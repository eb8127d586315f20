import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { bootstrapDatabase, drainHttpServer, installShutdown, loadConfig } from '@app/database';
import { developmentSecret } from '@app/auth';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { destination } from 'pino';
import { createApiApp } from './api-app';
import { demoInstructions, ensureDemoTenant } from './demo/demo-tenant';

async function main(): Promise<void> {
  const log = new Logger('Api');
  const config = loadConfig();
  const database = await bootstrapDatabase(config, (line) => {
    if (config.logLevel === 'debug') log.debug(line);
  });
  // asynchronous stdout: lines written while a write is in flight go out together (a synchronous
  // write was one syscall per request, 6 % of a cached answer's CPU); pino flushes what is left
  // synchronously on exit, so a shutdown after a signal or an error loses nothing
  const logDestination = destination({ dest: 1, sync: false });
  const app = await createApiApp({ config, appUrl: database.appUrl, logDestination });
  log.log(
    database.embedded
      ? `embedded PostgreSQL on port ${database.embedded.port} (data in ${config.dataDir}/pg)`
      : 'using DATABASE_URL',
  );
  if (database.migrations.applied.length > 0)
    log.log(`migrations applied: ${database.migrations.applied.join(', ')}`);
  if (!database.rlsEnforced) {
    log.warn(
      'DATABASE_APP_URL is not set: the API connects as the owner, so row-level security is not enforced',
    );
  }
  const { shutdownTimeoutMs } = config.operations;
  installShutdown(
    [
      // stop accepting (new connections are refused) and let in-flight requests finish
      () => drainHttpServer(app.getHttpServer(), shutdownTimeoutMs - 2_000),
      // followers finish their batch in hand, then the pool ends
      () => app.close(),
      () => database.close(), // the embedded PostgreSQL, if any
    ],
    log,
    shutdownTimeoutMs,
  );
  await app.listen(config.port, '0.0.0.0');
  const url = `http://localhost:${config.port}/graphql`;
  log.log(`GraphQL ready at ${url}; probes at /health/live and /health/ready, metrics at /metrics`);
  if (config.nodeEnv === 'development') {
    const demo = await ensureDemoTenant(app.get<EventStore>(EVENT_STORE), log);
    const secret = config.auth.jwtSecret ?? developmentSecret(config.dataDir);
    // for the person at the terminal, as plain text (the log is JSON lines, and dev tokens do not
    // belong in it)
    process.stderr.write(`${await demoInstructions(secret, demo, url)}\n`);
  }
}

main().catch((error: unknown) => {
  // a ConfigError names the variable and never its value
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
