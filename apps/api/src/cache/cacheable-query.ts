import { Kind, OperationTypeNode, parse, type ValueNode } from 'graphql';

/**
 * Root fields whose answers come from the read models alone and depend only on the tenant's
 * data, the viewer's scope, the language, the variables and today's date. Not here: `health`
 * (process state), `me` (the user id), the audit queries (they read the log and the seal chain,
 * which no projection commit announces) and `tenant` (platform administrators have no tenant).
 */
const CACHEABLE_FIELDS = new Set([
  'union',
  'members',
  'member',
  'subordinateUnions',
  'complianceAlerts',
  'duesReport',
  'arrears',
  'election',
  'transfer',
  '__typename',
]);

/** What a query document allows: not cacheable, or cacheable unless consistentAfter is set. */
export type CacheableQuery =
  | { readonly cacheable: false }
  | {
      readonly cacheable: true;
      readonly operationName: string | undefined;
      /** Variables that feed a `consistentAfter` argument, with their defaults. */
      readonly consistencyVariables: readonly { name: string; hasDefault: boolean }[];
    };

const NOT_CACHEABLE: CacheableQuery = { cacheable: false };

/**
 * Whether answers to this document may be kept: one query operation whose root selections are
 * plain fields from CACHEABLE_FIELDS, none of them with a literal `consistentAfter` (a read
 * after a write waits for the projections and reads afresh). Anything else (mutations,
 * subscriptions, several operations, root fragments, syntax errors) is executed as usual.
 */
export function analyseQuery(text: string): CacheableQuery {
  let document;
  try {
    document = parse(text, { noLocation: true });
  } catch {
    return NOT_CACHEABLE; // Apollo answers the syntax error
  }
  if (document.definitions.length === 0) return NOT_CACHEABLE;
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operations[0];
  if (operations.length !== 1 || !operation || operation.operation !== OperationTypeNode.QUERY)
    return NOT_CACHEABLE;
  const defaults = new Set(
    (operation.variableDefinitions ?? [])
      .filter((v) => v.defaultValue && v.defaultValue.kind !== Kind.NULL)
      .map((v) => v.variable.name.value),
  );
  const consistencyVariables: { name: string; hasDefault: boolean }[] = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || !CACHEABLE_FIELDS.has(selection.name.value))
      return NOT_CACHEABLE;
    const consistency = selection.arguments?.find((a) => a.name.value === 'consistentAfter');
    if (!consistency) continue;
    const value: ValueNode = consistency.value;
    if (value.kind === Kind.NULL) continue;
    if (value.kind !== Kind.VARIABLE) return NOT_CACHEABLE;
    const name = value.name.value;
    consistencyVariables.push({ name, hasDefault: defaults.has(name) });
  }
  return { cacheable: true, operationName: operation.name?.value, consistencyVariables };
}

/** Longer documents are executed as usual, neither analysed nor kept (memory stays bounded). */
const MAX_DOCUMENT_CHARS = 16_384;

/** Documents seen, analysed once each (clients send the same few texts again and again). */
export class QueryAnalyses {
  private readonly known = new Map<string, CacheableQuery>();

  constructor(private readonly maxDocuments = 500) {}

  of(text: string): CacheableQuery {
    if (text.length > MAX_DOCUMENT_CHARS) return NOT_CACHEABLE;
    let found = this.known.get(text);
    if (!found) {
      found = analyseQuery(text);
      if (this.known.size >= this.maxDocuments) {
        const oldest = this.known.keys().next();
        if (!oldest.done) this.known.delete(oldest.value);
      }
      this.known.set(text, found);
    }
    return found;
  }
}

/** Whether this request's variables ask for read-your-writes (then it bypasses the cache). */
export function asksForConsistency(
  query: Extract<CacheableQuery, { cacheable: true }>,
  variables: Record<string, unknown>,
): boolean {
  return query.consistencyVariables.some(({ name, hasDefault }) => {
    const value = variables[name];
    return value === undefined ? hasDefault : value !== null;
  });
}
