import { Controller, Get, Header, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import { OperationsMetrics } from './operations.metrics';

/** Prometheus text format. Scrape it from inside the network; it carries no tenant data. */
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: OperationsMetrics) {}

  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Res() res: Response): Promise<void> {
    res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
