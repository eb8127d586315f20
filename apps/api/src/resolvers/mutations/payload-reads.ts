import { PERSONAL_DATA_PROJECTION, REGISTRY_PROJECTION } from '@app/read-models';
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/** Member fields and the projection each is read from (a field not listed: wait for all). */
const MEMBER_FIELDS = new Map<string, string | null>([
  ['__typename', null],
  ...[
    'id',
    'unionId',
    'status',
    'name',
    'gender',
    'employeeNo',
    'cardNumber',
    'joinedOn',
    'duesExempt',
    'consecutiveUnpaidMonths',
    'lastPaidPeriod',
    'version',
  ].map((field) => [field, REGISTRY_PROJECTION] as const),
  ...['nationalId', 'phone', 'personalDataErased'].map(
    (field) => [field, PERSONAL_DATA_PROJECTION] as const,
  ),
]);

/** The fields selected directly in a selection set, through inline fragments and spreads. */
function selectedFields(set: SelectionSetNode | undefined, info: GraphQLResolveInfo): FieldNode[] {
  if (!set) return [];
  return set.selections.flatMap((selection): FieldNode[] => {
    switch (selection.kind) {
      case Kind.FIELD:
        return [selection];
      case Kind.INLINE_FRAGMENT:
        return selectedFields(selection.selectionSet, info);
      case Kind.FRAGMENT_SPREAD:
        return selectedFields(info.fragments[selection.name.value]?.selectionSet, info);
    }
  });
}

/**
 * The read models a `MemberPayload` selection reads, for read-your-writes on exactly those:
 * none for `position` alone, the registry for `member` (and personal data for its PII fields).
 * Undefined (wait for every projection) for anything not listed, so a field added later is safe.
 */
export function memberPayloadReads(info: GraphQLResolveInfo): string[] | undefined {
  const reads = new Set<string>();
  for (const node of info.fieldNodes) {
    for (const field of selectedFields(node.selectionSet, info)) {
      switch (field.name.value) {
        case 'position':
        case '__typename':
          break;
        case 'member':
          reads.add(REGISTRY_PROJECTION); // the row itself
          for (const inner of selectedFields(field.selectionSet, info)) {
            const read = MEMBER_FIELDS.get(inner.name.value);
            if (read === undefined) return undefined;
            if (read !== null) reads.add(read);
          }
          break;
        default:
          return undefined;
      }
    }
  }
  return [...reads];
}
