import type { AppConfig } from '@app/database';
import type { Params } from 'nestjs-pino';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { maskPersonalData } from './personal-data.mask';

const SENSITIVE_FIELDS = ['nationalId', 'phone', 'national_id', 'phoneNumber'];

/** Paths pino removes from every log object, at any of the first four levels of nesting. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  ...SENSITIVE_FIELDS.flatMap((field) => [
    field,
    `*.${field}`,
    `*.*.${field}`,
    `*.*.*.${field}`,
    `*.*.*.*.${field}`,
  ]),
];

const QUIET_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

/** The path of a request URL, without its query string. */
export const pathOf = (url: string | undefined) => (url ?? '').split('?')[0] ?? '';

/** LOG_LEVEL, except for a test app given no destination: it logs nothing. */
export const logLevelFor = (config: AppConfig, destination?: DestinationStream): string =>
  destination || config.nodeEnv !== 'test' ? config.logLevel : 'silent';

/**
 * The root logger: JSON lines (pino), LOG_LEVEL from the config, personal data removed by path
 * and masked in message text. Without a destination (tests that build AppModule themselves) a
 * test app logs nothing; main.ts passes stdout, written synchronously unless main.ts asks
 * otherwise (nothing lost on process.exit).
 */
export function rootLogger(config: AppConfig, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: logLevelFor(config, destination),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    hooks: {
      logMethod(args: unknown[], method: (...rest: unknown[]) => void) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? maskPersonalData(arg) : arg)),
        );
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * nestjs-pino's parameters: Nest's messages go to `root`, and inside a request to the request's
 * logger, which request-logging.module.ts puts in nestjs-pino's storage. nestjs-pino's own
 * middlewares (pino-http, and the one that would put `req.log` in that storage a second time)
 * are on no route.
 */
export function loggerParams(root: Logger): Params {
  return { pinoHttp: { logger: root }, useExisting: true, forRoutes: [] };
}

/** Requests not logged: probes and scrapes every few seconds would drown the log. */
export const quietRoute = (path: string) => QUIET_ROUTES.has(path);
