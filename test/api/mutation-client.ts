/** A small GraphQL client for the mutation e2e tests: every response body is kept in `seen`. */
export type Json = Record<string, unknown>;

interface Reply {
  data?: Json | null;
  errors?: { message: string; extensions: Json }[];
}

/** What each payload type is asked for. */
const SELECTION: Record<string, string> = {
  ProvisionTenantPayload: 'tenantId rootUnion { id name level status }',
  UnionPayload:
    'union { id name level status parentId governanceForm termEnd version committee { memberId roles } }',
  MemberPayload:
    'member { id unionId status gender cardNumber joinedOn duesExempt lastPaidPeriod version }',
  DuesImportPayload: 'accepted rejected errors',
  TransferPayload: 'transfer { id memberId fromUnionId toUnionId status handledByUnionIds }',
  ElectionPayload: 'election { id unionId status seats votersPresent winners }',
};

interface TypeRef {
  name: string | null;
  ofType: TypeRef | null;
}
const named = (t: TypeRef): string => t.name ?? (t.ofType ? named(t.ofType) : '');

export function mutationClient(url: () => string) {
  const seen: string[] = [];
  let signatures: Map<string, { input: string; payload: string }> | undefined;

  async function gql(query: string, auth: string, variables: Json = {}): Promise<Reply> {
    const response = await fetch(url(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${auth}`,
        'accept-language': 'en',
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    seen.push(text);
    return JSON.parse(text) as Reply;
  }

  /** Input and payload type of every mutation, from introspection. */
  async function signature(name: string, auth: string) {
    if (!signatures) {
      const r = await gql(
        `{ __schema { mutationType { fields { name type { name ofType { name ofType { name } } }
           args { type { name ofType { name ofType { name } } } } } } } }`,
        auth,
      );
      const schema = r.data?.__schema as {
        mutationType: { fields: { name: string; type: TypeRef; args: { type: TypeRef }[] }[] };
      };
      signatures = new Map(
        schema.mutationType.fields.map((f) => [
          f.name,
          { input: f.args[0] ? named(f.args[0].type) : '', payload: named(f.type) },
        ]),
      );
    }
    const found = signatures.get(name);
    if (!found) throw new Error(`no mutation ${name}`);
    return found;
  }

  /** Runs a mutation: its payload, or the first error's extensions (and message) as `error`. */
  async function mutate(name: string, auth: string, input: Json) {
    const { input: type, payload: payloadType } = await signature(name, auth);
    const r = await gql(
      `mutation M($input: ${type}!) { ${name}(input: $input) { position ${SELECTION[payloadType] ?? ''} } }`,
      auth,
      { input },
    );
    const payload = (r.data?.[name] ?? null) as Json | null;
    const first = r.errors?.[0];
    const error: Json | null = first ? { ...first.extensions, message: first.message } : null;
    return { payload, error };
  }

  /** A mutation that must succeed; its payload. */
  async function ok(name: string, auth: string, input: Json): Promise<Json> {
    const { payload, error } = await mutate(name, auth, input);
    expect(error).toBeNull();
    expect(payload?.position).toMatch(/^[1-9][0-9]*$/);
    return payload ?? {};
  }

  const codeOf = async (name: string, auth: string, input: Json): Promise<unknown> =>
    (await mutate(name, auth, input)).error?.code;

  return { seen, gql, mutate, ok, codeOf };
}
