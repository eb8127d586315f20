import type { JwtVerifier, Viewer } from '@app/auth';
import type { OperationsConfig } from '@app/database';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { NextFunction, Request, Response } from 'express';
import { languageOf } from '../context/api-context';
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

const JSON_TYPE = 'application/json; charset=utf-8';
/** Accept headers for which Apollo answers application/json (anything else goes through it). */
const PLAIN_ACCEPT = new Set([undefined, '', '*/*', 'application/json']);

/**
 * What an answer depends on: the tenant, everything of the viewer that the scope checks and the
 * personal-data masking read (roles, unit, member, permissions; not the user id, which no
 * cacheable field shows), the language of messages, and the exact operation and variables.
 */
function keyOf(viewer: Viewer, language: string, body: GraphqlBody): string {
  return JSON.stringify([
    viewer.tenantId,
    [...viewer.roles].sort(),
    viewer.unitId,
    viewer.memberId,
    [...viewer.permissions].sort(),
    language,
    body.operationName ?? null,
    body.query,
    body.variables ?? null,
  ]);
}

interface GraphqlBody {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

function graphqlBody(req: Request): GraphqlBody | undefined {
  const body = req.body as Record<string, unknown> | undefined;
  if (req.method !== 'POST' || !body || typeof body !== 'object') return undefined;
  const { query, variables, operationName, extensions } = body;
  if (typeof query !== 'string' || extensions !== undefined) return undefined;
  if (variables !== undefined && variables !== null && typeof variables !== 'object')
    return undefined;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
    return undefined;
  return body as unknown as GraphqlBody;
}

export interface ResponseCacheDeps {
  cache: ResponseCache;
  verifier: JwtVerifier;
  metrics: OperationsMetrics;
  limits: OperationsConfig['limits'];
  throttler: ThrottlerStorage;
}

/**
 * In front of Apollo on POST /graphql: a cacheable query (see cacheable-query.ts) whose answer
 * is current is answered here, without GraphQL execution or a database round trip; so is one
 * that another request is computing right now (it waits for that answer). Otherwise the request
 * goes on, marked so that its clean answer is stored and handed to those waiting. A hit
 * still counts against the caller's rate limit (a blocked caller goes through Apollo and gets
 * its TOO_MANY_REQUESTS) and in the GraphQL metrics. Invalid tokens, mutations, requests with
 * `consistentAfter` and anything unusual simply pass through.
 */
export function responseCacheMiddleware(deps: ResponseCacheDeps) {
  const { cache, verifier, metrics, limits, throttler } = deps;
  const analyses = new QueryAnalyses();
  const serve = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const body = graphqlBody(req);
    const authorization = req.headers.authorization;
    if (!body || !authorization || !PLAIN_ACCEPT.has(req.headers.accept)) return next();
    const query = analyses.of(body.query);
    if (!query.cacheable || asksForConsistency(query, body.variables ?? {})) return next();
    if (body.operationName && body.operationName !== query.operationName) return next();
    let viewer: Viewer;
    try {
      viewer = await verifier.verify(authorization);
    } catch {
      return next(); // Apollo answers UNAUTHENTICATED
    }
    if (!viewer.tenantId) return next();
    const started = process.hrtime.bigint();
    const key = keyOf(viewer, languageOf(req.headers['accept-language']), body);
    // the same query being computed for another request: its answer will do
    const answer = cache.get(key) ?? (await cache.computingNow(key));
    if (answer === undefined) {
      metrics.responseCache.inc({ outcome: 'miss' });
      const settle = cache.begin(key, cache.stamp(viewer.tenantId));
      pending.set(req, { settle });
      res.once('close', () => settle(undefined)); // in case it never got to Apollo's answer
      return next();
    }
    if (!(await withinRateLimit(viewer, res))) return next();
    res.writeHead(200, {
      'content-type': JSON_TYPE,
      'content-length': Buffer.byteLength(answer),
    });
    res.end(answer);
    const operation = metrics.operationLabels.label(query.operationName);
    metrics.responseCache.inc({ outcome: 'hit' });
    metrics.graphqlOperations.inc({ operation, type: 'query', outcome: 'ok' });
    metrics.graphqlDuration.observe(
      { operation, type: 'query' },
      Number(process.hrtime.bigint() - started) / 1e9,
    );
  };

  /** The same budget and headers as RequestThrottlerGuard (key `default:token:<tenant>:<sub>`). */
  async function withinRateLimit(viewer: Viewer, res: Response): Promise<boolean> {
    if (limits.rateLimit === 0) return true;
    const { rateLimit: limit, rateWindowMs: ttl } = limits;
    const key = `default:token:${viewer.tenantId ?? '-'}:${viewer.userId}`;
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

  return (req: Request, res: Response, next: NextFunction): void => {
    if (!cache.enabled) return next();
    serve(req, res, next).catch(next);
  };
}
