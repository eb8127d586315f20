/**
 * "column starts with $n" as an index range: `col ~>=~ p AND col ~<~ successor(p)`.
 *
 * Under row-level security PostgreSQL uses only leakproof operators as index conditions, and
 * LIKE (textlike) is not leakproof: `path LIKE '/a/b/%'` became a filter over every row of the
 * tenant. The text_pattern_ops comparison operators are leakproof and use the (tenant_id, path
 * text_pattern_ops) indexes. The successor of the prefix (its last character + 1) is computed in
 * SQL from the parameter, so it is a constant for the planner. The prefix must not be empty.
 */
export function startsWith(column: string, param: string): string {
  return `(${column} ~>=~ ${param} AND ${column} ~<~ (left(${param}, -1) || chr(ascii(right(${param}, 1)) + 1)))`;
}
