import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind, type FragmentDefinitionNode } from 'graphql';
import { estimateCost } from './query-cost';

/**
 * Refuses an operation whose estimated cost (see estimateCost) is over `maxCost`, after parsing
 * and validation (so `first` from variables counts) and before any resolver runs: HTTP 400,
 * BAD_USER_INPUT with rule QUERY_TOO_COSTLY, the cost and the limit.
 */
export function queryCostPlugin(maxCost: number): ApolloServerPlugin<BaseContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return Promise.resolve();
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION)
              fragments.set(definition.name.value, definition);
          }
          const cost = estimateCost(schema, operation, fragments, request.variables ?? {});
          if (cost <= maxCost) return Promise.resolve();
          return Promise.reject(
            new GraphQLError(
              `The query would resolve about ${cost} fields; at most ${maxCost} are allowed. ` +
                'Ask for smaller pages (first) or fewer nested lists.',
              {
                extensions: {
                  code: 'BAD_USER_INPUT',
                  rule: 'QUERY_TOO_COSTLY',
                  cost,
                  maxCost,
                  http: { status: 400 },
                },
              },
            ),
          );
        },
      });
    },
  };
}
