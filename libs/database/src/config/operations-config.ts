import { int, type Env } from './config-error';

/** What operators tune: readiness thresholds, request limits, probes and shutdown. */
export interface OperationsConfig {
  readonly health: {
    /** `/health/ready` fails when a follower is this many events behind the log… */
    readonly maxLagEvents: number;
    /** …or its oldest unapplied event is this many seconds old. */
    readonly maxLagSeconds: number;
  };
  readonly limits: {
    /** Largest accepted request body; bigger ones get 413. */
    readonly bodyBytes: number;
    /** Requests per token (subject + tenant; client IP without a valid token) per window; 0 = off. */
    readonly rateLimit: number;
    readonly rateWindowMs: number;
    readonly maxQueryDepth: number;
    /** Estimated field resolutions of one operation (`first` × nested lists). */
    readonly maxQueryCost: number;
    /** Proxy hops to trust for the client IP (X-Forwarded-For); 0 = the socket's address. */
    readonly trustProxyHops: number;
  };
  /** The projector's HTTP port for /health and /metrics; unset: the projector serves no HTTP. */
  readonly projectorPort: number | undefined;
  /** Longest a SIGTERM may take before the process exits with 1. */
  readonly shutdownTimeoutMs: number;
}

export function operationsConfig(env: Env): OperationsConfig {
  return {
    health: {
      maxLagEvents: int(env, 'HEALTH_MAX_LAG_EVENTS', 10_000, 0, 1_000_000_000),
      maxLagSeconds: int(env, 'HEALTH_MAX_LAG_SECONDS', 60, 0, 86_400),
    },
    limits: {
      bodyBytes: int(env, 'HTTP_BODY_LIMIT_BYTES', 1_048_576, 1_024, 104_857_600),
      rateLimit: int(env, 'RATE_LIMIT_MAX', 600, 0, 10_000_000),
      rateWindowMs: int(env, 'RATE_LIMIT_WINDOW_MS', 60_000, 1_000, 3_600_000),
      maxQueryDepth: int(env, 'GRAPHQL_MAX_DEPTH', 10, 2, 100),
      maxQueryCost: int(env, 'GRAPHQL_MAX_COST', 25_000, 10, 10_000_000),
      trustProxyHops: int(env, 'TRUST_PROXY_HOPS', 0, 0, 10),
    },
    projectorPort: env.PROJECTOR_PORT ? int(env, 'PROJECTOR_PORT', 0, 1, 65535) : undefined,
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 20_000, 1_000, 600_000),
  };
}
