import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { bootstrapDatabase, installShutdown, loadConfig } from '@app/database';
import { developmentSecret } from '@app/auth';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { AppModule } from './app.module';
import { demoInstructions, ensureDemoTenant } from './demo/demo-tenant';

async function main(): Promise<void> {
  const log = new Logger('Api');
  const config = loadConfig();
  const database = await bootstrapDatabase(config, (line) => {
    if (config.logLevel === 'debug') log.debug(line);
  });
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
  const app = await NestFactory.create(AppModule.register({ config, appUrl: database.appUrl }), {
    logger:
      config.logLevel === 'debug' ? ['debug', 'log', 'warn', 'error'] : ['log', 'warn', 'error'],
  });
  installShutdown(
    [
      () => app.close(), // stops accepting, lets in-flight requests finish, stops followers, ends the pool
      () => database.close(), // the embedded PostgreSQL, if any
    ],
    log,
  );
  await app.listen(config.port, '0.0.0.0');
  const url = `http://localhost:${config.port}/graphql`;
  log.log(`GraphQL ready at ${url}`);
  if (config.nodeEnv === 'development') {
    const demo = await ensureDemoTenant(app.get<EventStore>(EVENT_STORE), log);
    const secret = config.auth.jwtSecret ?? developmentSecret(config.dataDir);
    log.log(await demoInstructions(secret, demo, url));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
