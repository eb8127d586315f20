export interface GqlReply {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

export async function gql(
  base: string,
  query: string,
  options: {
    token?: string;
    variables?: Record<string, unknown>;
    operationName?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<GqlReply> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'accept-language': 'en',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({
      query,
      variables: options.variables ?? {},
      ...(options.operationName ? { operationName: options.operationName } : {}),
    }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GqlReply['body'],
  };
}
