import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { ReadinessIndicators } from './readiness.indicators';

/**
 * `/health/live` and `/health/ready` (Terminus). Needs the global DatabaseModule and
 * ReadModelsModule; the projector imports it too. Failed checks are answered, not logged (the
 * probe asks every few seconds).
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [ReadinessIndicators],
  exports: [ReadinessIndicators],
})
export class HealthModule {}
