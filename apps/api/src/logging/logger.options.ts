import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig } from '@app/database';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import { maskPersonalData } from './personal-data.mask';
import { requestIdsOf } from './request-ids';

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

const pathOf = (url: string | undefined) => (url ?? '').split('?')[0] ?? '';

/** LOG_LEVEL, except for a test app given no destination: it logs nothing. */
export const logLevelFor = (config: AppConfig, destination?: DestinationStream): string =>
  destination || config.nodeEnv !== 'test' ? config.logLevel : 'silent';

/**
 * JSON logs (pino) with a request id and correlation id on every line of a request; LOG_LEVEL
 * from the config. Without a destination (tests that build AppModule themselves) a test app logs
 * nothing; main.ts passes stdout. Requests are logged by
 * method and path only: no query string (a GET /graphql carries variables there), no body.
 */
export function loggerParams(config: AppConfig, destination?: DestinationStream): Params {
  const options: Options = {
    level: logLevelFor(config, destination),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    genReqId: (req: IncomingMessage, res: ServerResponse) => requestIdsOf(req, res).requestId,
    customProps: (req: IncomingMessage) => ({
      correlationId: requestIdsOf(req).correlationId,
    }),
    serializers: {
      req: (req: { id?: unknown; method?: string; url?: string }) => ({
        id: req.id,
        method: req.method,
        path: pathOf(req.url),
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    // probes and scrapes every few seconds would drown the log
    autoLogging: { ignore: (req: IncomingMessage) => QUIET_ROUTES.has(pathOf(req.url)) },
    hooks: {
      logMethod(args: unknown[], method: (...rest: unknown[]) => void) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? maskPersonalData(arg) : arg)),
        );
      },
    },
  };
  // without a destination pino writes to stdout synchronously (nothing lost on process.exit)
  return { pinoHttp: destination ? [options, destination] : options };
}
