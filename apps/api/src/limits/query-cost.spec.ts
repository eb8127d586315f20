import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { ASSUMED_LIST_SIZE, estimateCost } from './query-cost';

const schema = buildSchema(`
  type Query { union(id: ID!): Union members(first: Int): MemberConnection! }
  type Union { id: ID! name: String! ancestorIds: [ID!]! children: [Union!]! }
  type MemberConnection { nodes: [Member!]! totalCount: Int! }
  type Member { id: ID! name: String! }
`);

const cost = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  return estimateCost(schema, operation, fragments, variables);
};

describe('estimateCost', () => {
  it('counts one per field and object, a list of scalars as one value', () => {
    expect(cost('{ union(id: "u") { id name ancestorIds } }')).toBe(4);
  });

  it('multiplies nested lists without `first` by the assumed size', () => {
    const n = ASSUMED_LIST_SIZE;
    expect(cost('{ union(id: "u") { children { children { id } } } }')).toBe(1 + n + n * n + n * n);
  });

  it('takes the page size from `first`, literal or variable, capped at 500', () => {
    expect(cost('{ members(first: 20) { totalCount nodes { id name } } }')).toBe(1 + 1 + 20 + 40);
    expect(cost('query($n: Int) { members(first: $n) { nodes { id } } }', { n: 7 })).toBe(
      1 + 7 + 7,
    );
    expect(cost('{ members(first: 100000) { nodes { id } } }')).toBe(1 + 500 + 500);
    // no value for the variable: the resolvers' default page of 50
    expect(cost('query($n: Int) { members(first: $n) { nodes { id } } }')).toBe(1 + 50 + 50);
  });

  it('follows fragments and inline fragments, once per fragment on a path', () => {
    const viaFragment = cost(
      'query { union(id: "u") { ...F } } fragment F on Union { children { id ... on Union { name } } }',
    );
    expect(viaFragment).toBe(1 + 10 + 10 + 10);
    expect(
      cost('query { union(id: "u") { ...F } } fragment F on Union { id children { ...F } }'),
    ).toBe(1 + 1 + 10); // a cycle (invalid anyway) stops at the repeated fragment
  });
});
