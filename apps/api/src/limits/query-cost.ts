import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  valueFromASTUntyped,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { MAX_PAGE_SIZE } from '@app/read-models';

/** A list field without `first` (children, committee, tallies…) is assumed to hold this many. */
export const ASSUMED_LIST_SIZE = 10;
/** The page size the resolvers use when `first` is not given. */
const DEFAULT_PAGE = 50;

/**
 * Estimated field resolutions of an operation, before it runs: every field costs one per object
 * it is resolved on; a field with `first` makes the lists directly inside its result that long
 * (capped like the resolvers cap it), any other list field multiplies by ASSUMED_LIST_SIZE.
 * `first` may come from a variable: the request's values are used.
 */
export function estimateCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Readonly<Record<string, unknown>> = {},
): number {
  const pageOf = (field: FieldNode): number | undefined => {
    const arg = field.arguments?.find((a) => a.name.value === 'first');
    if (!arg) return undefined;
    const value = valueFromASTUntyped(arg.value, variables);
    const first = typeof value === 'number' && Number.isFinite(value) ? value : DEFAULT_PAGE;
    return Math.max(0, Math.min(first, MAX_PAGE_SIZE));
  };

  const costOf = (
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
    count: number,
    page: number | undefined,
    seen: ReadonlySet<string>,
  ): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        const field = 'getFields' in parent ? parent.getFields()[name] : undefined;
        if (!field) continue; // validation reports unknown fields
        const type = getNamedType(field.type);
        // a list of objects multiplies what is selected inside it; a list of scalars is one value
        const list = isListType(getNullableType(field.type)) && isCompositeType(type);
        const instances = list ? count * (page ?? ASSUMED_LIST_SIZE) : count;
        total += instances;
        if (selection.selectionSet && isCompositeType(type)) {
          total += costOf(selection.selectionSet, type, instances, pageOf(selection), seen);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        if (condition && isCompositeType(condition))
          total += costOf(selection.selectionSet, condition, count, page, seen);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        const condition = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && !seen.has(name) && condition && isCompositeType(condition))
          total += costOf(fragment.selectionSet, condition, count, page, new Set([...seen, name]));
      }
    }
    return total;
  };

  const root = schema.getRootType(operation.operation);
  return root ? costOf(operation.selectionSet, root, 1, undefined, new Set()) : 0;
}
