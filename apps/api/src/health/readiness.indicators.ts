import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { APP_CONFIG, APP_POOL, migrationStatus, type AppConfig } from '@app/database';
import { AUDIT_SEALER, followerLag } from '@app/event-store';
import { ProjectionRunner } from '@app/read-models';
import type { Pool } from 'pg';

/** A failure as the probe shows it: the error class and code, never a message that may quote data. */
function describe(error: unknown): { message: string; code?: string } {
  const { name, code } = error as { name?: string; code?: unknown };
  return {
    message: `${name ?? 'Error'}: the check could not run`,
    ...(typeof code === 'string' ? { code } : {}),
  };
}

/**
 * What `/health/ready` checks: the database answers through the application's own pool, the
 * migrations this build ships are applied unchanged, and every follower of the log (projections,
 * audit sealer) is within the configured lag in events and in seconds.
 */
@Injectable()
export class ReadinessIndicators {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(APP_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runner: ProjectionRunner,
  ) {}

  followers(): string[] {
    return [AUDIT_SEALER, ...this.runner.projections.map((p) => p.name)];
  }

  async database() {
    const check = this.health.check('database');
    try {
      await this.pool.query('SELECT 1');
      const { totalCount, idleCount, waitingCount } = this.pool;
      return check.up({ pool: { total: totalCount, idle: idleCount, waiting: waitingCount } });
    } catch (error) {
      return check.down(describe(error));
    }
  }

  async migrations() {
    const check = this.health.check('migrations');
    try {
      const status = await migrationStatus(this.pool);
      const details = {
        applied: status.applied,
        pending: status.pending,
        changed: status.changed,
        // a newer release migrated first (rolling deploy): reported, not a failure
        unknown: status.unknown,
      };
      return status.current ? check.up(details) : check.down(details);
    } catch (error) {
      return check.down(describe(error));
    }
  }

  async projections() {
    const check = this.health.check('projections');
    const { maxLagEvents, maxLagSeconds } = this.config.operations.health;
    try {
      // counting stops past the threshold (at least 10,000): a probe during a rebuild stays cheap
      const cap = Math.max(maxLagEvents + 1, 10_000);
      const lags = await followerLag(this.pool, this.followers(), cap);
      const behind = lags.filter(
        (l) => l.failed || l.events > maxLagEvents || l.seconds > maxLagSeconds,
      );
      const details = {
        maxLagEvents,
        maxLagSeconds,
        followers: Object.fromEntries(
          lags.map((l) => [
            l.name,
            { lagEvents: l.events, lagSeconds: Math.round(l.seconds), failed: l.failed },
          ]),
        ),
        ...(behind.length > 0 ? { behind: behind.map((l) => l.name) } : {}),
      };
      return behind.length === 0 ? check.up(details) : check.down(details);
    } catch (error) {
      return check.down(describe(error));
    }
  }
}
