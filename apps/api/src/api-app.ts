import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule, type ApiRuntime } from './app.module';

/**
 * The API as main.ts runs it (tests use it too): JSON logs through pino for Nest's own messages,
 * the LimitsModule's body parser as the only one, the proxy hops trusted for the client IP.
 */
export async function createApiApp(runtime: ApiRuntime): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(runtime), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  const hops = runtime.config.operations.limits.trustProxyHops;
  if (hops > 0) app.set('trust proxy', hops);
  return app;
}
