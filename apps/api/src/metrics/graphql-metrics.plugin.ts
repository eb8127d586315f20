import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { OperationsMetrics } from './operations.metrics';

/**
 * Counts and times every GraphQL operation by its name (the only client-chosen label, kept
 * bounded by OperationLabels), its type and whether it answered with errors. Queries that fail
 * to parse or validate count under type "invalid".
 */
export function graphqlMetricsPlugin(metrics: OperationsMetrics): ApolloServerPlugin<BaseContext> {
  return {
    requestDidStart({ request }) {
      const started = process.hrtime.bigint();
      let operation = metrics.operationLabels.label(request.operationName);
      let type = 'invalid';
      return Promise.resolve({
        didResolveOperation(context) {
          operation = metrics.operationLabels.label(context.operationName);
          type = context.operation?.operation ?? 'invalid';
          return Promise.resolve();
        },
        willSendResponse({ response }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const errors =
            response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const outcome = errors && errors.length > 0 ? 'error' : 'ok';
          metrics.graphqlOperations.inc({ operation, type, outcome });
          metrics.graphqlDuration.observe({ operation, type }, seconds);
          return Promise.resolve();
        },
      });
    },
  };
}
