import type { RecordedEvent } from '@app/core';

/** The PostgreSQL channel live subscriptions listen on (payloads carry ids only). */
export const LIVE_CHANNEL = 'live_changes';

/**
 * A change worth telling subscribers about. `unions`: the roll-ups of these unions changed (every
 * ancestor of a touched union is listed); `allUnions`: something every union shows changed (the
 * tenant's rules); `audit`: events were sealed or indexed. Receivers re-read what they show.
 */
export type LiveChange = (
  | { readonly kind: 'unions'; readonly tenantId: string; readonly unionIds: readonly string[] }
  | { readonly kind: 'allUnions'; readonly tenantId: string }
  | { readonly kind: 'audit'; readonly tenantId: string }
) & {
  /** the publisher that sent it (a process that was told directly skips its own NOTIFY) */
  readonly origin?: string;
};

/** NOTIFY payloads must stay under 8,000 bytes; ids are split over several messages. */
const MAX_PAYLOAD = 7_000;

export function encodeLiveChanges(change: LiveChange): string[] {
  const o = change.origin;
  switch (change.kind) {
    case 'allUnions':
      return [JSON.stringify({ t: change.tenantId, all: 1, o })];
    case 'audit':
      return [JSON.stringify({ t: change.tenantId, a: 1, o })];
    case 'unions': {
      const out: string[] = [];
      let chunk: string[] = [];
      let size = change.tenantId.length + 20;
      for (const id of change.unionIds) {
        if (size + id.length + 3 > MAX_PAYLOAD && chunk.length > 0) {
          out.push(JSON.stringify({ t: change.tenantId, u: chunk, o }));
          chunk = [];
          size = change.tenantId.length + 20;
        }
        chunk.push(id);
        size += id.length + 3;
      }
      if (chunk.length > 0) out.push(JSON.stringify({ t: change.tenantId, u: chunk, o }));
      return out;
    }
  }
}

/** The other side of `encodeLiveChanges`; anything malformed is ignored (null). */
export function decodeLiveChange(payload: string | undefined): LiveChange | null {
  if (!payload) return null;
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { t, u, all, a, o } = value as Record<string, unknown>;
  if (typeof t !== 'string' || t === '') return null;
  const from = typeof o === 'string' ? { origin: o } : {};
  if (Array.isArray(u) && u.every((id) => typeof id === 'string'))
    return { kind: 'unions', tenantId: t, unionIds: u, ...from };
  if (all === 1) return { kind: 'allUnions', tenantId: t, ...from };
  if (a === 1) return { kind: 'audit', tenantId: t, ...from };
  return null;
}

const UNION_FIELDS = ['unionId', 'fromUnionId', 'toUnionId', 'parentId', 'filedWithUnionId'];

/**
 * The unions an event concerns directly: its own union stream and the union ids it names (a
 * member's union, both ends of a transfer, a joint committee's partners). Their ancestors are
 * added by the publisher from the registry.
 */
export function unionsTouchedBy(events: readonly RecordedEvent[]): Set<string> {
  const ids = new Set<string>();
  for (const event of events) {
    if (event.streamId.startsWith('union-')) ids.add(event.streamId.slice('union-'.length));
    const data = event.data as Record<string, unknown>;
    for (const field of UNION_FIELDS) {
      const value = data[field];
      if (typeof value === 'string' && value !== '') ids.add(value);
    }
    const joint = data.jointWithUnionIds;
    if (Array.isArray(joint))
      for (const id of joint) if (typeof id === 'string' && id !== '') ids.add(id);
  }
  return ids;
}
