import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { looksLikePersonalData } from './personal-data.mask';

export const REQUEST_ID_HEADER = 'x-request-id';
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** Ids of one HTTP request: its own, and the correlation id of the work it belongs to. */
export interface RequestIds {
  readonly requestId: string;
  readonly correlationId: string;
}

const ids = new WeakMap<IncomingMessage, RequestIds>();

/**
 * An id from a client is used only if it is short, plain ([A-Za-z0-9._:-], at most 128) and does
 * not look like personal data: it ends up in every log line and in event metadata.
 */
export function saneId(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || !/^[A-Za-z0-9._:-]{1,128}$/.test(text)) return undefined;
  return looksLikePersonalData(text) ? undefined : text;
}

/**
 * The request's ids, settled on first use: `x-request-id` if sane, else a new UUID (sent back in
 * the response header); the correlation id from `x-correlation-id`, else the request id.
 */
export function requestIdsOf(req: IncomingMessage, res?: ServerResponse): RequestIds {
  let found = ids.get(req);
  if (!found) {
    const requestId = saneId(req.headers[REQUEST_ID_HEADER]) ?? randomUUID();
    const correlationId = saneId(req.headers[CORRELATION_ID_HEADER]) ?? requestId;
    found = { requestId, correlationId };
    ids.set(req, found);
    if (res && !res.headersSent) {
      res.setHeader(REQUEST_ID_HEADER, requestId);
      res.setHeader(CORRELATION_ID_HEADER, correlationId);
    }
  }
  return found;
}
