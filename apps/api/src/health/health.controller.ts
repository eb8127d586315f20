import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { ReadinessIndicators } from './readiness.indicators';

/**
 * Probes for orchestrators and load balancers. `live`: the process serves HTTP (restart it if
 * not). `ready`: it can do useful work (route traffic to it only then); 503 names the failing
 * check under `error`. No tenant data in either.
 */
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: ReadinessIndicators,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.indicators.database(),
      () => this.indicators.migrations(),
      () => this.indicators.projections(),
    ]);
  }
}
