import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  Inject,
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import type { AppConfig } from '@app/database';
import { LoggerModule } from 'nestjs-pino';
import { storage, Store } from 'nestjs-pino/storage';
import type { DestinationStream, Logger } from 'pino';
import { accessLog, type AccessLog } from './access-log';
import { loggerParams, pathOf, quietRoute, rootLogger } from './logger.options';
import { requestIdsOf } from './request-ids';

/** `originalUrl`: Express strips a middleware's mount path from `url`. */
type LoggedRequest = IncomingMessage & { originalUrl?: string };

/**
 * A logger that becomes `make()` on first use. Most requests log nothing but their access line,
 * so most never pay for a child logger (its bindings are serialised when it is made).
 */
export function lazyLogger(make: () => Logger): Logger {
  let logger: Logger | undefined;
  return new Proxy({} as Logger, {
    get(_target, key) {
      logger ??= make();
      const value: unknown = Reflect.get(logger, key, logger);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(logger)
        : value;
    },
    set(_target, key, value) {
      logger ??= make();
      return Reflect.set(logger, key, value, logger);
    },
  });
}

/**
 * Every request: its ids settled (and sent back in the headers), Nest's messages while it runs
 * carry `req` (id, method, path) and `correlationId`, and one access line when it is answered.
 * Replaces pino-http, whose two child loggers per request and redaction walk over each access
 * line were a fifth of the CPU of the cheapest request.
 */
export function requestLogging(root: Logger, access: AccessLog) {
  return (req: LoggedRequest, res: ServerResponse, next: () => void): void => {
    const startedMs = Date.now();
    const ids = requestIdsOf(req, res);
    const method = req.method ?? 'GET';
    const path = pathOf(req.originalUrl ?? req.url);
    req.id = ids.requestId;
    const log = lazyLogger(() =>
      root.child({
        req: { id: ids.requestId, method, path },
        correlationId: ids.correlationId,
      }),
    );
    req.log = log;
    if (!quietRoute(path)) {
      let logged = false;
      const done = () => {
        if (logged) return;
        logged = true;
        access(ids, method, path, res.statusCode, startedMs);
      };
      res.once('finish', done);
      res.once('close', done);
    }
    storage.run(new Store(log), next);
  };
}

const REQUEST_LOGGING = Symbol('REQUEST_LOGGING');

/**
 * The JSON logs of an app (the API and the projector's probes): nestjs-pino's Logger for Nest's
 * messages, over `rootLogger`, and `requestLogging` on every route. `access` is the access log
 * to use when the app already has one (the API's response cache writes through it too).
 */
@Module({})
export class RequestLoggingModule implements NestModule {
  constructor(
    @Inject(REQUEST_LOGGING) private readonly middleware: ReturnType<typeof requestLogging>,
  ) {}

  static forRoot(
    config: AppConfig,
    destination?: DestinationStream,
    access: AccessLog = accessLog(config, destination),
  ): DynamicModule {
    const root = rootLogger(config, destination);
    return {
      module: RequestLoggingModule,
      imports: [LoggerModule.forRoot(loggerParams(root))],
      providers: [
        {
          provide: REQUEST_LOGGING,
          useValue: requestLogging(root, access),
        },
      ],
      exports: [LoggerModule],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.middleware).forRoutes('*');
  }
}
