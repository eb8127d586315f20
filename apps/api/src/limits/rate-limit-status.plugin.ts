import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/**
 * A request the rate limit refused (RequestThrottlerGuard's TOO_MANY_REQUESTS, raised inside
 * execution, where Apollo would answer 200) answers HTTP 429 with `Retry-After` in seconds, for
 * queries and mutations alike: proxies, operators and clients see the refusal without reading the
 * body. The body stays the GraphQL error naming the limit; the X-RateLimit-* headers say the
 * budget is spent until then.
 */
export function rateLimitStatusPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        willSendResponse({ response }) {
          if (response.body.kind !== 'single') return Promise.resolve();
          const refused = response.body.singleResult.errors?.find(
            (e) => e.extensions?.code === 'TOO_MANY_REQUESTS',
          )?.extensions;
          if (!refused) return Promise.resolve();
          const retryAfter = Number(refused.retryAfterSeconds);
          const seconds = String(
            Number.isFinite(retryAfter) ? Math.max(1, Math.ceil(retryAfter)) : 1,
          );
          response.http.status = 429;
          response.http.headers.set('retry-after', seconds);
          if (typeof refused.limit === 'number') {
            response.http.headers.set('x-ratelimit-limit', String(refused.limit));
            response.http.headers.set('x-ratelimit-remaining', '0');
            response.http.headers.set('x-ratelimit-reset', seconds);
          }
          return Promise.resolve();
        },
      });
    },
  };
}
