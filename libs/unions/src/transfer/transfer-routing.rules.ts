import type { UnionLevelName } from '../member/member.commands';
import { transferError } from './transfer.errors';

export interface UnionPathEntry {
  readonly unionId: string;
  readonly level: UnionLevelName;
}

/** A union's ancestry, the COMPANY union first and the union itself last. */
export type UnionPath = readonly UnionPathEntry[];

export type TransferEndpoint =
  | { readonly kind: 'UNION'; readonly path: UnionPath }
  | { readonly kind: 'EXTERNAL'; readonly name: string };

export type TransferRoute =
  'WITHIN_SECONDARY_UNIT' | 'BETWEEN_SECONDARY_UNITS' | 'OUTSIDE_ENTERPRISE';

export interface TransferHandlers {
  readonly route: TransferRoute;
  /** The union that releases the member; null when the member comes from outside. */
  readonly sendingHandlerUnionId: string | null;
  /** The union that registers the member; null when the member leaves the enterprise. */
  readonly receivingHandlerUnionId: string | null;
  readonly handledByUnionIds: readonly string[];
}

type Side = 'sending' | 'receiving';

function grassrootsPath(path: UnionPath, side: Side): UnionPath {
  const root = path[0];
  const self = path[path.length - 1];
  const ids = new Set(path.map((entry) => entry.unionId));
  const valid =
    root !== undefined &&
    self !== undefined &&
    root.level === 'COMPANY' &&
    (self.level === 'BRIGADE' || self.level === 'TEAM') &&
    ids.size === path.length &&
    path.filter((entry) => entry.level === 'COMPANY').length === 1 &&
    path.filter((entry) => entry.level === 'SECONDARY_UNIT').length <= 1;
  if (!valid) throw transferError('INVALID_UNION_PATH', { side });
  return path;
}

/**
 * The union that handles transfers for a grassroots union at the secondary level: its
 * SECONDARY_UNIT (厂/分公司), or the COMPANY union where the enterprise has no such level above it.
 */
function secondaryScope(path: UnionPath): string {
  const secondary = path.find((entry) => entry.level === 'SECONDARY_UNIT') ?? path[0];
  return secondary?.unionId ?? '';
}

const last = (path: UnionPath): string => path[path.length - 1]?.unionId ?? '';

/**
 * Art. 19(3): who handles a transfer is computed from the two unions' places in the tree, never
 * chosen by the caller.
 * - both under the same SECONDARY_UNIT (teams and brigades within it): the two grassroots unions;
 * - under different SECONDARY_UNITs: the two secondary-unit unions;
 * - to or from outside the enterprise: the COMPANY union.
 * A grassroots union directly under the COMPANY has the COMPANY as its secondary-level handler.
 */
export function computeTransferHandlers(
  from: TransferEndpoint,
  to: TransferEndpoint,
): TransferHandlers {
  if (from.kind === 'EXTERNAL' && to.kind === 'EXTERNAL') {
    throw transferError('TRANSFER_DESTINATION_REQUIRED');
  }
  if (from.kind === 'EXTERNAL' || to.kind === 'EXTERNAL') {
    const inside = from.kind === 'UNION' ? from : to;
    if (inside.kind !== 'UNION') throw transferError('TRANSFER_DESTINATION_REQUIRED');
    const side: Side = from.kind === 'UNION' ? 'sending' : 'receiving';
    const company = grassrootsPath(inside.path, side)[0]?.unionId ?? '';
    return {
      route: 'OUTSIDE_ENTERPRISE',
      sendingHandlerUnionId: from.kind === 'UNION' ? company : null,
      receivingHandlerUnionId: to.kind === 'UNION' ? company : null,
      handledByUnionIds: [company],
    };
  }
  const fromPath = grassrootsPath(from.path, 'sending');
  const toPath = grassrootsPath(to.path, 'receiving');
  if (fromPath[0]?.unionId !== toPath[0]?.unionId) {
    throw transferError('TRANSFER_ACROSS_ENTERPRISES');
  }
  if (last(fromPath) === last(toPath)) throw transferError('TRANSFER_TO_SAME_UNION');
  const fromScope = secondaryScope(fromPath);
  const toScope = secondaryScope(toPath);
  const [sending, receiving, route]: [string, string, TransferRoute] =
    fromScope === toScope
      ? [last(fromPath), last(toPath), 'WITHIN_SECONDARY_UNIT']
      : [fromScope, toScope, 'BETWEEN_SECONDARY_UNITS'];
  return {
    route,
    sendingHandlerUnionId: sending,
    receivingHandlerUnionId: receiving,
    handledByUnionIds: [sending, receiving],
  };
}
