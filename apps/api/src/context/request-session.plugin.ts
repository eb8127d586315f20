import type { ApolloServerPlugin } from '@apollo/server';
import { OperationTypeNode } from 'graphql';
import type { ApiContext } from './api-context';

/**
 * A query's reads share one READ ONLY transaction (ApiContext.reader): switched on once the
 * operation is known to be a query, ended when the response goes out. The COMMIT is not awaited:
 * the response need not wait for it, and the connection goes back to the pool once it is done.
 */
export const requestSessionPlugin: ApolloServerPlugin<ApiContext> = {
  requestDidStart: () =>
    Promise.resolve({
      didResolveOperation: ({ operation, contextValue }) => {
        if (operation?.operation === OperationTypeNode.QUERY) contextValue.shareReads();
        return Promise.resolve();
      },
      willSendResponse: ({ contextValue }) => {
        void contextValue.close();
        return Promise.resolve();
      },
    }),
};
