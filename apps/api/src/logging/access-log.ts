import type { AppConfig } from '@app/database';
import { pino, type DestinationStream } from 'pino';
import { logLevelFor } from './logger.options';
import { maskPersonalData } from './personal-data.mask';
import type { RequestIds } from './request-ids';

/** Logs one answered request ("request completed", or "request errored" for a 5xx answer). */
export type AccessLog = (
  ids: RequestIds,
  method: string,
  path: string,
  statusCode: number,
  startedMs: number,
) => void;

/**
 * The one access log of the API, for requests through Express (request-logging.module.ts) and
 * answers sent in front of it (response-cache.fast-path.ts): the level and destination of the
 * root logger (at LOG_LEVEL=warn, only the errored ones). A line holds ids, the method, the path
 * (free text from the client: what looks like personal data in it is masked) and numbers only, so
 * it needs none of the root logger's redaction paths, whose walk over every line cost more than
 * the rest of the line.
 */
export function accessLog(config: AppConfig, destination?: DestinationStream): AccessLog {
  const level = logLevelFor(config, destination);
  const logger = destination ? pino({ level }, destination) : pino({ level });
  if (!logger.isLevelEnabled('error')) return () => undefined;
  const completedToo = logger.isLevelEnabled('info');
  return (ids, method, path, statusCode, startedMs) => {
    if (statusCode < 500 && !completedToo) return;
    const line = {
      req: { id: ids.requestId, method, path: maskPersonalData(path) },
      correlationId: ids.correlationId,
      res: { statusCode },
      responseTime: Date.now() - startedMs,
    };
    if (statusCode >= 500) logger.error(line, 'request errored');
    else logger.info(line, 'request completed');
  };
}
