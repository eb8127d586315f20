import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  bootstrapDatabase,
  drainHttpServer,
  installShutdown,
  loadConfig,
  type AppConfig,
} from '@app/database';
import { Logger as PinoLogger } from 'nestjs-pino';
import { destination } from 'pino';
import { ProjectorModule } from './projector.module';

async function createProjector(config: AppConfig, appUrl: string) {
  // synchronous stdout: nothing is lost when the process exits after a signal
  const module = ProjectorModule.register(config, appUrl, destination({ dest: 1, sync: true }));
  if (config.operations.projectorPort === undefined) {
    return { app: await NestFactory.createApplicationContext(module, { bufferLogs: true }) };
  }
  const app = await NestFactory.create<NestExpressApplication>(module, {
    bufferLogs: true,
    bodyParser: false,
  });
  return { app, http: app };
}

/**
 * Standalone follower process. Several may run: each follower is leader-elected with an advisory
 * lock, the others wait and take over within a poll interval when the leader dies. With
 * PROJECTOR_PORT it answers /health/live, /health/ready and /metrics for the orchestrator.
 */
async function main(): Promise<void> {
  const log = new Logger('Projector');
  const config = loadConfig();
  const database = await bootstrapDatabase(config, (line) => {
    if (config.logLevel === 'debug') log.debug(line);
  });
  const { app, http } = await createProjector(config, database.appUrl);
  app.useLogger(app.get(PinoLogger));
  const { shutdownTimeoutMs } = config.operations;
  installShutdown(
    [
      ...(http ? [() => drainHttpServer(http.getHttpServer(), shutdownTimeoutMs - 2_000)] : []),
      () => app.close(), // followers finish the batch in hand, then the pool ends
      () => database.close(),
    ],
    log,
    shutdownTimeoutMs,
  );
  if (http) {
    await http.listen(config.operations.projectorPort ?? 0, '0.0.0.0');
    log.log(
      `probes on port ${config.operations.projectorPort}: /health/live, /health/ready, /metrics`,
    );
  } else {
    await app.init();
  }
  log.log('following the event log');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
