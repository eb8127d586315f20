import type { ApolloServerPlugin } from '@apollo/server';
import { OperationTypeNode } from 'graphql';
import type { ApiContext } from '../context/api-context';
import type { ResponseCache } from './response-cache';
import { pendingAnswerOf } from './response-cache.middleware';

/**
 * Stores the answer of a query the middleware marked cacheable, if it is clean: a query that
 * resolved without errors, extensions or a status of its own. The body is what Apollo sends for
 * such a result (`{"data":…}`), serialised once here and sent as is by later hits.
 */
export function responseCachePlugin(cache: ResponseCache): ApolloServerPlugin<ApiContext> {
  return {
    requestDidStart: ({ contextValue }) => {
      const answer = pendingAnswerOf(contextValue.req);
      if (!answer) return Promise.resolve();
      return Promise.resolve({
        willSendResponse: ({ response, operation }) => {
          if (operation?.operation !== OperationTypeNode.QUERY) return Promise.resolve();
          if (response.body.kind !== 'single') return Promise.resolve();
          const { data, errors, extensions } = response.body.singleResult;
          const status = response.http.status;
          if (errors?.length || extensions || !data || (status !== undefined && status !== 200))
            return Promise.resolve();
          cache.set(answer.key, answer.stamp, JSON.stringify({ data }));
          return Promise.resolve();
        },
      });
    },
  };
}
