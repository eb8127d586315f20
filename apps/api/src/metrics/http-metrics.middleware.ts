import type { NextFunction, Request, Response } from 'express';
import type { OperationsMetrics } from './operations.metrics';

/** Times every HTTP request from arrival to the end of the response (or a dropped connection). */
export function httpMetricsMiddleware(metrics: OperationsMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeHttp(req.method, req.originalUrl, res.statusCode, seconds);
    });
    next();
  };
}
