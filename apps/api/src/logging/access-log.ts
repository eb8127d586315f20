import type { AppConfig } from '@app/database';
import { pino, type DestinationStream } from 'pino';
import { logLevelFor } from './logger.options';
import type { RequestIds } from './request-ids';

/** Logs one answered request: the line pino-http writes for requests that go through Express. */
export type AccessLog = (
  ids: RequestIds,
  path: string,
  statusCode: number,
  startedMs: number,
) => void;

/**
 * The request log line for answers sent in front of Express (response-cache.fast-path.ts), with
 * the fields, level and destination of pino-http's "request completed" (logger.options.ts). The
 * line holds ids, the path and numbers only, so it needs none of the redaction paths.
 */
export function accessLog(config: AppConfig, destination?: DestinationStream): AccessLog {
  const level = logLevelFor(config, destination);
  const logger = destination ? pino({ level }, destination) : pino({ level });
  if (!logger.isLevelEnabled('info')) return () => undefined;
  return (ids, path, statusCode, startedMs) =>
    logger.info(
      {
        req: { id: ids.requestId, method: 'POST', path },
        correlationId: ids.correlationId,
        res: { statusCode },
        responseTime: Date.now() - startedMs,
      },
      'request completed',
    );
}
