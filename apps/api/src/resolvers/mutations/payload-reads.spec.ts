import { PERSONAL_DATA_PROJECTION, REGISTRY_PROJECTION } from '@app/read-models';
import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import { memberPayloadReads } from './payload-reads';

const schema = buildSchema(`
  type Member { id: ID! name: String! lastPaidPeriod: String version: Int!
    nationalId: String phone: String personalDataErased: Boolean! duesReport: String }
  type MemberPayload { member: Member! position: String! }
  type Query { ok: Boolean }
  type Mutation { pay: MemberPayload }
`);

/** What memberPayloadReads answers for the `pay` field of a real execution of `source`. */
async function readsOf(source: string): Promise<string[] | undefined> {
  let seen: GraphQLResolveInfo | undefined;
  const result = await graphql({
    schema,
    source,
    fieldResolver: (_parent, _args, _ctx, info) => {
      if (info.fieldName === 'pay') seen = info;
      return null;
    },
  });
  expect(result.errors).toBeUndefined();
  return memberPayloadReads(seen!);
}

describe('memberPayloadReads: the read models a mutation payload selection reads', () => {
  it('none for the position alone', async () => {
    expect(await readsOf('mutation { pay { position __typename } }')).toEqual([]);
  });

  it('the registry for the member row, personal data only for its PII fields', async () => {
    expect(
      await readsOf('mutation { pay { position member { id lastPaidPeriod version } } }'),
    ).toEqual([REGISTRY_PROJECTION]);
    expect(await readsOf('mutation { pay { member { id phone } } }')).toEqual([
      REGISTRY_PROJECTION,
      PERSONAL_DATA_PROJECTION,
    ]);
  });

  it('follows fragments, named and inline', async () => {
    expect(
      await readsOf(`mutation { pay { ...P } }
        fragment P on MemberPayload { position member { ... on Member { name nationalId } } }`),
    ).toEqual([REGISTRY_PROJECTION, PERSONAL_DATA_PROJECTION]);
  });

  it('every projection (undefined) for a field it does not know', async () => {
    expect(await readsOf('mutation { pay { member { id duesReport } } }')).toBeUndefined();
  });
});
