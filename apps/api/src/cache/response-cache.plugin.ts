import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { OperationTypeNode } from 'graphql';
import type { ApiContext } from '../context/api-context';
import { pendingAnswerOf } from './response-cache.fast-path';

/**
 * Settles the answer of a query the middleware marked cacheable. It is kept (and handed to the
 * requests waiting for it) only if clean: a query that resolved without errors, extensions or a
 * status of its own. The body is what Apollo sends for
 * such a result (`{"data":…}` and a newline), serialised once here and sent as is by later hits.
 */
export function responseCachePlugin(): ApolloServerPlugin<ApiContext> {
  return {
    requestDidStart: ({ contextValue }) => {
      const answer = pendingAnswerOf(contextValue.req);
      if (!answer) return Promise.resolve();
      return Promise.resolve({
        willSendResponse: ({ response, operation }) => {
          answer.settle(cleanBody(response, operation?.operation));
          return Promise.resolve();
        },
      });
    },
  };
}

function cleanBody(
  response: GraphQLResponse,
  type: OperationTypeNode | undefined,
): string | undefined {
  if (type !== OperationTypeNode.QUERY || response.body.kind !== 'single') return undefined;
  const { data, errors, extensions } = response.body.singleResult;
  const status = response.http.status;
  if (errors?.length || extensions || !data || (status !== undefined && status !== 200))
    return undefined;
  return `${JSON.stringify({ data })}\n`; // byte for byte what Apollo sends (prettyJSONStringify)
}
