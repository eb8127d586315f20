import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLModule } from '@nestjs/graphql';
import { developmentSecret, JwtVerifier } from '@app/auth';
import { APP_POOL, DatabaseModule, type AppConfig } from '@app/database';
import { EventStoreModule } from '@app/event-store';
import {
  CommandsModule,
  developmentKek,
  LivePublisher,
  ProjectionRunner,
  ReadModelsModule,
} from '@app/read-models';
import type { Request } from 'express';
import type { Pool } from 'pg';
import type { DestinationStream } from 'pino';
import { ApiContext } from './context/api-context';
import {
  DEFAULT_LIVE_LIMITS,
  liveSocketOptions,
  type LiveExtra,
  type LiveLimits,
} from './live/live-connection';
import { LiveHub } from './live/live-hub';
import { LiveReadCache } from './live/live-read-cache';
import { LiveReadFailures } from './live/live-read-failures';
import { LiveResolver } from './live/live.resolver';
import { SharedExecution } from './live/shared-execution';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { requestSessionPlugin } from './context/request-session.plugin';
import { ResponseCache } from './cache/response-cache';
import { invalidateResponses, ResponseCacheModule } from './cache/response-cache.module';
import { responseCachePlugin } from './cache/response-cache.plugin';
import { GraphqlErrorFilter, publicError } from './errors/graphql-error.filter';
import { depthLimit } from './graphql/depth-limit.rule';
import { DateScalar, JsonScalar } from './graphql/scalars';
import { HealthModule } from './health/health.module';
import { HealthResolver } from './health/health.resolver';
import { queryCostPlugin } from './limits/query-cost.plugin';
import { rateLimitStatusPlugin } from './limits/rate-limit-status.plugin';
import { LimitsModule } from './limits/limits.module';
import { accessLog } from './logging/access-log';
import { RequestLoggingModule } from './logging/request-logging.module';
import { graphqlMetricsPlugin } from './metrics/graphql-metrics.plugin';
import { MetricsModule } from './metrics/metrics.module';
import { OperationsMetrics } from './metrics/operations.metrics';
import { AuditResolver } from './resolvers/audit.resolver';
import { DuesResolver } from './resolvers/dues.resolver';
import { GovernanceResolver } from './resolvers/governance.resolver';
import { MemberResolver } from './resolvers/member.resolver';
import { MemberPersonalDataResolver } from './resolvers/personal-data.resolver';
import { MUTATION_PROVIDERS } from './resolvers/mutations';
import { TenantResolver } from './resolvers/tenant.resolver';
import { UnionDuesResolver } from './resolvers/union-dues.resolver';
import { UnionResolver, UnionStatsResolver } from './resolvers/union.resolver';
import './graphql/enums';

const RESPONSE_CACHE_INVALIDATION = Symbol('RESPONSE_CACHE_INVALIDATION');

export interface ApiRuntime {
  config: AppConfig;
  appUrl: string;
  /** Where the JSON log goes (tests capture it); stdout when absent. */
  logDestination?: DestinationStream;
  /** subscription limits (tests lower them) */
  live?: Partial<LiveLimits>;
}

export function jwtVerifierFor(config: AppConfig): JwtVerifier {
  if (config.auth.jwksUrl || config.auth.jwtSecret) return new JwtVerifier(config.auth);
  // development only (loadConfig refuses production without a secret or JWKS)
  return new JwtVerifier({ jwtSecret: developmentSecret(config.dataDir), jwksUrl: undefined });
}

/**
 * The key-encryption key of personal data: PII_MASTER_KEY (required in production); in
 * development a key kept under the data directory; in tests one per process (their databases are
 * throwaway, and parallel workers must not race on one key file).
 */
export function piiMasterKeyFor(config: AppConfig): Buffer {
  if (config.piiMasterKey) return config.piiMasterKey;
  if (config.nodeEnv === 'test') return randomBytes(32);
  return developmentKek(config.dataDir);
}

@Module({})
export class AppModule {
  static register({ config, appUrl, logDestination, live }: ApiRuntime): DynamicModule {
    const production = config.nodeEnv === 'production';
    const { maxQueryDepth, maxQueryCost } = config.operations.limits;
    const verifier = jwtVerifierFor(config);
    const liveLimits = { ...DEFAULT_LIVE_LIMITS, ...live };
    const sharedExecution = new SharedExecution();
    // one access log for requests through Express and answers sent in front of it
    const access = accessLog(config, logDestination);
    const responses = new ResponseCache(
      config.responseCache.maxAgeMs,
      config.responseCache.maxBytes,
    );
    return {
      module: AppModule,
      imports: [
        RequestLoggingModule.forRoot(config, logDestination, access),
        DatabaseModule.forRoot(config, appUrl, 'union-api'),
        EventStoreModule.forRoot({
          appUrl,
          runFollowers: config.projector === 'in-process',
          eventStore: config.eventStore,
        }),
        ReadModelsModule.forRoot({ appUrl, runFollowers: config.projector === 'in-process' }),
        CqrsModule.forRoot(),
        CommandsModule.forRoot({ piiMasterKey: piiMasterKeyFor(config) }),
        HealthModule,
        MetricsModule,
        LimitsModule.forRoot(config.operations.limits),
        // in front of Express: cached answers of read-only queries
        ResponseCacheModule.forRoot({
          cache: responses,
          verifier,
          limits: config.operations.limits,
          log: access,
        }),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [MetricsModule],
          inject: [APP_POOL, ProjectionRunner, OperationsMetrics],
          useFactory: (pool: Pool, runner: ProjectionRunner, metrics: OperationsMetrics) => ({
            // the generated schema is committed at the repo root; production serves it from memory
            // (tests build it in memory and compare it with the committed file instead)
            autoSchemaFile:
              config.nodeEnv === 'development' ? join(process.cwd(), 'schema.graphql') : true,
            sortSchema: true,
            buildSchemaOptions: { dateScalarMode: 'isoDate' },
            // Apollo Sandbox landing page in development only
            playground: false,
            introspection: !production,
            includeStacktraceInErrorResponses: false,
            validationRules: [depthLimit(maxQueryDepth)],
            formatError: publicError,
            // Nest's default plugin sets every answer with `data` back to 200, which would undo the
            // 429 of a rate-limited request (rate-limit-status.plugin.ts); no other execution
            // error carries an HTTP status
            preserveHttpStatusForExecutionErrors: false,
            plugins: [
              graphqlMetricsPlugin(metrics),
              queryCostPlugin(maxQueryCost),
              rateLimitStatusPlugin(),
              requestSessionPlugin,
              responseCachePlugin(),
              // no cache hints are used: without the plugin Apollo does not wrap every field resolver
              ApolloServerPluginCacheControlDisabled(),
            ],
            // live dashboards: graphql-ws on the same path, token in connection_init
            subscriptions: {
              'graphql-ws': liveSocketOptions(verifier, liveLimits, sharedExecution),
            },
            context: (arg: { req?: Request; extra?: LiveExtra }) =>
              arg.extra
                ? new ApiContext(
                    // the upgrade request: its headers (language, request ids), no express extras
                    arg.extra.request as Request,
                    verifier,
                    pool,
                    runner,
                    arg.extra.live?.authorization ?? '',
                    arg.extra.live,
                  )
                : new ApiContext(arg.req, verifier, pool, runner),
          }),
        }),
      ],
      providers: [
        { provide: JwtVerifier, useValue: verifier },
        {
          provide: LiveHub,
          inject: [APP_POOL, LivePublisher, OperationsMetrics],
          useFactory: (pool: Pool, publisher: LivePublisher, metrics: OperationsMetrics) => {
            const failures = new LiveReadFailures({
              retried: (subscription) => metrics.liveReadRetries.inc({ subscription }),
              ended: (subscription) => metrics.liveSubscriptionErrors.inc({ subscription }),
            });
            const reads = new LiveReadCache(pool);
            const hub = new LiveHub(appUrl, reads, liveLimits.coalesceMs, failures);
            // what the followers of this process publish wakes its subscribers directly
            hub.hearDirectly(publisher);
            return hub;
          },
        },
        { provide: SharedExecution, useValue: sharedExecution },
        { provide: ResponseCache, useValue: responses },
        {
          provide: RESPONSE_CACHE_INVALIDATION,
          inject: [ProjectionRunner, LiveHub],
          useFactory: (runner: ProjectionRunner, hub: LiveHub) =>
            invalidateResponses(responses, runner, hub),
        },
        LiveResolver,
        UnionDuesResolver,
        { provide: APP_FILTER, useClass: GraphqlErrorFilter },
        DateScalar,
        JsonScalar,
        HealthResolver,
        UnionResolver,
        TenantResolver,
        UnionStatsResolver,
        MemberResolver,
        MemberPersonalDataResolver,
        AuditResolver,
        GovernanceResolver,
        DuesResolver,
        ...MUTATION_PROVIDERS,
      ],
    };
  }
}
