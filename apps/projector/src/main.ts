import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { bootstrapDatabase, installShutdown, loadConfig } from '@app/database';
import { ProjectorModule } from './projector.module';

/**
 * Standalone follower process. Several may run: each follower is leader-elected with an advisory
 * lock, the others wait and take over within a poll interval when the leader dies.
 */
async function main(): Promise<void> {
  const log = new Logger('Projector');
  const config = loadConfig();
  const database = await bootstrapDatabase(config, (line) => {
    if (config.logLevel === 'debug') log.debug(line);
  });
  const app = await NestFactory.createApplicationContext(
    ProjectorModule.register(config, database.appUrl),
    {
      logger:
        config.logLevel === 'debug' ? ['debug', 'log', 'warn', 'error'] : ['log', 'warn', 'error'],
    },
  );
  installShutdown([() => app.close(), () => database.close()], log);
  await app.init();
  log.log('following the event log');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
