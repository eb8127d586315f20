import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { viewerScopeKey, type JwtVerifier, type Viewer } from '@app/auth';
import type { OperationsConfig } from '@app/database';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { languageOf } from '../context/api-context';
import { bodyReadEarly, jsonBodyParser } from '../limits/body-limit.middleware';
import { throttleKey, tokenTracker } from '../limits/request-throttler.guard';
import type { AccessLog } from '../logging/access-log';
import { requestIdsOf } from '../logging/request-ids';
import type { OperationsMetrics } from '../metrics/operations.metrics';
import { asksForConsistency, QueryAnalyses } from './cacheable-query';
import type { ResponseCache } from './response-cache';

/** A cacheable query on its way through Apollo: settled by the plugin, with its clean answer. */
export interface PendingAnswer {
  readonly settle: (body: string | undefined) => void;
}

const pending = new WeakMap<object, PendingAnswer>();

/** The answer a request may store (response-cache.plugin.ts), if it was found cacheable. */
export const pendingAnswerOf = (req: object | undefined): PendingAnswer | undefined =>
  req ? pending.get(req) : undefined;

const PATH = '/graphql';
const JSON_TYPE = 'application/json; charset=utf-8';
/** Accept headers for which Apollo answers application/json (anything else goes through it). */
const PLAIN_ACCEPT = new Set([undefined, '', '*/*', 'application/json']);

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export interface FastPathDeps {
  cache: ResponseCache;
  verifier: JwtVerifier;
  metrics: OperationsMetrics;
  limits: OperationsConfig['limits'];
  throttler: ThrottlerStorage;
  log: AccessLog;
}

interface GraphqlBody {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

function graphqlBody(body: unknown): GraphqlBody | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const { query, variables, operationName, extensions } = body as Record<string, unknown>;
  if (typeof query !== 'string' || extensions !== undefined) return undefined;
  if (variables !== undefined && variables !== null && typeof variables !== 'object')
    return undefined;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
    return undefined;
  return body as GraphqlBody;
}

/**
 * Puts the response cache in front of Express on `server`: every request reaches the fast path
 * first, and whatever it does not answer goes to the listeners the server had (the Nest app).
 */
export function installResponseCacheFastPath(server: Server, deps: FastPathDeps): void {
  const listeners = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  const app: Listener = (req, res) => listeners.forEach((l) => l.call(server, req, res));
  server.on('request', responseCacheFastPath(deps, app));
}

/**
 * POST /graphql with a bearer token, before Express, Nest's middleware, pino-http and Apollo: a
 * cacheable query (cacheable-query.ts) whose answer is current is sent as the bytes kept, keyed
 * on the verified viewer's scope, the language and the exact request body (operation name,
 * document and variables as sent). A query another request is computing right now waits for that
 * answer. Otherwise the request goes on to the app with its body parsed (the same parser and
 * limit; its errors answered there as before), marked so that its clean answer is kept. A hit
 * still counts against the caller's rate limit (a blocked caller goes through Apollo and gets its
 * 429 TOO_MANY_REQUESTS), in the HTTP and GraphQL metrics and in the request log. Unknown or expired
 * tokens, mutations, `consistentAfter`, anything unusual simply go on to the app.
 */
export function responseCacheFastPath(deps: FastPathDeps, app: Listener): Listener {
  const { cache, verifier, metrics, limits, throttler, log } = deps;
  const analyses = new QueryAnalyses();
  const raw = new WeakMap<IncomingMessage, Buffer>();
  const parse = jsonBodyParser(limits.bodyBytes, (req, _res, bytes) => raw.set(req, bytes));
  const readBody = (req: IncomingMessage, res: ServerResponse) =>
    new Promise<unknown>((resolve) => parse(req as never, res as never, resolve));

  const answer = async (req: IncomingMessage, res: ServerResponse, pass: () => void) => {
    const started = process.hrtime.bigint();
    const startedMs = Date.now();
    const authorization = req.headers.authorization;
    let viewer = verifier.known(authorization);
    if (!viewer) {
      try {
        viewer = await verifier.verify(authorization);
      } catch {
        return pass(); // Apollo answers UNAUTHENTICATED
      }
    }
    if (!viewer.tenantId) return pass();
    const error = await readBody(req, res);
    bodyReadEarly(req, error);
    const bytes = raw.get(req);
    const body = graphqlBody((req as { body?: unknown }).body);
    if (error !== undefined || !bytes || !body) return pass();
    const query = analyses.of(body.query);
    if (!query.cacheable || asksForConsistency(query, body.variables ?? {})) return pass();
    if (body.operationName && body.operationName !== query.operationName) return pass();
    const key =
      `${viewerScopeKey(viewer)}\n${languageOf(req.headers['accept-language'])}\n` +
      `${req.headers['content-type']}\n${bytes.toString('latin1')}`;
    // the same query being computed for another request: its answer will do
    const found = cache.get(key) ?? (await cache.computingNow(key));
    if (found === undefined) {
      metrics.responseCache.inc({ outcome: 'miss' });
      const settle = cache.begin(key, cache.stamp(viewer.tenantId));
      pending.set(req, { settle });
      res.once('close', () => settle(undefined)); // in case it never got to Apollo's answer
      return pass();
    }
    if (!(await withinRateLimit(viewer, res))) return pass();
    const ids = requestIdsOf(req, res);
    res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(found) });
    res.end(found);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const operation = metrics.operationLabels.label(query.operationName);
    metrics.responseCache.inc({ outcome: 'hit' });
    metrics.graphqlOperations.inc({ operation, type: 'query', outcome: 'ok' });
    metrics.graphqlDuration.observe({ operation, type: 'query' }, seconds);
    metrics.observeHttp('POST', PATH, 200, seconds);
    log(ids, 'POST', PATH, 200, startedMs);
  };

  /** The same budget (RequestThrottlerGuard's key) and headers as RequestThrottlerGuard. */
  async function withinRateLimit(viewer: Viewer, res: ServerResponse): Promise<boolean> {
    if (limits.rateLimit === 0) return true;
    const { rateLimit: limit, rateWindowMs: ttl } = limits;
    const key = throttleKey('default', tokenTracker(viewer));
    const { totalHits, timeToExpire, isBlocked } = await throttler.increment(
      key,
      ttl,
      limit,
      ttl,
      'default',
    );
    if (isBlocked) return false;
    res.setHeader('X-RateLimit-Limit', limit);
    res.setHeader('X-RateLimit-Remaining', Math.max(0, limit - totalHits));
    res.setHeader('X-RateLimit-Reset', timeToExpire);
    return true;
  }

  return (req, res) => {
    const { headers } = req;
    if (
      !cache.enabled ||
      req.method !== 'POST' ||
      req.url !== PATH ||
      !headers.authorization ||
      !PLAIN_ACCEPT.has(headers.accept)
    )
      return app(req, res);
    let passed = false;
    const pass = () => {
      passed = true;
      app(req, res);
    };
    // a failure of the fast path itself: the app answers (or the connection goes, if it had)
    answer(req, res, pass).catch(() => {
      if (!passed && !res.headersSent) pass();
      else if (!res.writableEnded) res.destroy();
    });
  };
}
