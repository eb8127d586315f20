import {
  Inject,
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { OperationsConfig } from '@app/database';
import { bodyLimitMiddleware } from './body-limit.middleware';
import { RequestThrottlerGuard } from './request-throttler.guard';

const LIMITS = Symbol('LIMITS');

/**
 * Request limits of the API: the body size (413) and the rate limit per token (429,
 * TOO_MANY_REQUESTS). Depth and cost limits of GraphQL operations are set in the GraphQL module
 * (depth-limit.rule.ts, query-cost.plugin.ts). The app must be created with `bodyParser: false`
 * (createApiApp does), so that this is the only body parser.
 */
@Module({})
export class LimitsModule implements NestModule {
  constructor(@Inject(LIMITS) private readonly limits: OperationsConfig['limits']) {}

  static forRoot(limits: OperationsConfig['limits']): DynamicModule {
    return {
      module: LimitsModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', limit: limits.rateLimit, ttl: limits.rateWindowMs }],
          skipIf: () => limits.rateLimit === 0,
        }),
      ],
      providers: [
        { provide: LIMITS, useValue: limits },
        { provide: APP_GUARD, useClass: RequestThrottlerGuard },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(bodyLimitMiddleware(this.limits.bodyBytes)).forRoutes('*');
  }
}
