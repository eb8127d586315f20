import type { RecordedEvent } from '@app/core';
import type { CommitteeRole, UnionEvent } from '@app/unions';

export interface CommitteeSeat {
  memberId: string;
  roles: CommitteeRole[];
}

/** One rm_unions row, as the projection folds it (counters are moved separately, by deltas). */
export interface UnionRow {
  union_id: string;
  parent_id: string | null;
  level: string;
  status: 'PENDING_APPROVAL' | 'ACTIVE' | 'DISSOLVED' | 'REJECTED';
  name: string;
  path: string;
  ancestors: string[];
  depth: number;
  governance_form: string;
  joint_with: string[];
  organizer_member_id: string | null;
  committee: CommitteeSeat[];
  committee_seats: number;
  chair_member_id: string | null;
  women_committee: string[];
  group_leader_id: string | null;
  term_start: string | null;
  term_end: string | null;
  term_extended_months: number;
  last_meeting_on: string | null;
  requested_on: string | null;
  established_on: string | null;
  dissolved_on: string | null;
  /** version of the union's stream after the last event applied */
  version: number;
  last_position: number;
}

/** A change worth a history row: effective (business) date and the state from then on. */
export interface UnionChange {
  row: UnionRow;
  effectiveOn: string;
  position: number;
}

function created(
  data: { unionId: string; name: string; level: string; parentId: string | null },
  parent: UnionRow | undefined,
  status: UnionRow['status'],
): UnionRow {
  if (data.parentId !== null && !parent) {
    throw new Error(
      `union ${data.unionId} names parent ${data.parentId}, which the read model does not know`,
    );
  }
  const ancestors = [...(parent?.ancestors ?? []), data.unionId];
  return {
    union_id: data.unionId,
    parent_id: data.parentId,
    level: data.level,
    status,
    name: data.name,
    path: `/${ancestors.join('/')}/`,
    ancestors,
    depth: ancestors.length - 1,
    governance_form: 'NONE',
    joint_with: [],
    organizer_member_id: null,
    committee: [],
    committee_seats: 0,
    chair_member_id: null,
    women_committee: [],
    group_leader_id: null,
    term_start: null,
    term_end: null,
    term_extended_months: 0,
    last_meeting_on: null,
    requested_on: null,
    established_on: null,
    dissolved_on: null,
    version: 0,
    last_position: 0,
  };
}

function withoutMember(row: UnionRow, memberId: string): UnionRow {
  return {
    ...row,
    committee: row.committee.filter((seat) => seat.memberId !== memberId),
    chair_member_id: row.chair_member_id === memberId ? null : row.chair_member_id,
  };
}

/**
 * Applies one union event. Returns the new row and whether the change deserves a history row
 * (status, name, governance form) with its effective date.
 */
export function foldUnion(
  row: UnionRow | undefined,
  recorded: RecordedEvent,
  parentOf: (id: string) => UnionRow | undefined,
): { row: UnionRow | undefined; effectiveOn?: string } {
  const event = recorded as unknown as UnionEvent;
  const next = (r: UnionRow, effectiveOn?: string) => ({
    row: { ...r, version: recorded.streamVersion, last_position: recorded.globalPosition },
    ...(effectiveOn ? { effectiveOn } : {}),
  });
  if (event.type === 'UnionEstablished') {
    const d = event.data;
    const r = created(d, d.parentId ? parentOf(d.parentId) : undefined, 'ACTIVE');
    return next({ ...r, established_on: d.establishedOn }, d.establishedOn);
  }
  if (event.type === 'UnionEstablishmentRequested') {
    const d = event.data;
    const r = created(d, parentOf(d.parentId), 'PENDING_APPROVAL');
    return next({ ...r, requested_on: d.requestedOn }, d.requestedOn);
  }
  if (!row) return { row }; // an event for a union this model never saw created: nothing to change
  switch (event.type) {
    case 'UnionEstablishmentApproved':
      return next(
        { ...row, status: 'ACTIVE', established_on: event.data.approvedOn },
        event.data.approvedOn,
      );
    case 'UnionEstablishmentRejected':
      return next({ ...row, status: 'REJECTED' }, event.data.rejectedOn);
    case 'GovernanceFormSet':
      return next(
        {
          ...row,
          governance_form: event.data.form,
          joint_with: [...event.data.jointWithUnionIds],
          organizer_member_id: event.data.organizerMemberId,
        },
        event.data.effectiveOn,
      );
    case 'CommitteeElected':
      return next({
        ...row,
        governance_form: row.governance_form === 'NONE' ? 'COMMITTEE' : row.governance_form,
        committee: event.data.memberIds.map((memberId) => ({ memberId, roles: [] })),
        committee_seats: event.data.seats,
        chair_member_id: null,
        term_start: event.data.termStart,
        term_end: event.data.termEnd,
        term_extended_months: 0,
      });
    case 'ChairElected': {
      const chair = event.data.memberId;
      const seats = row.committee.some((s) => s.memberId === chair)
        ? row.committee
        : [...row.committee, { memberId: chair, roles: [] }];
      return next({
        ...row,
        chair_member_id: chair,
        committee: seats.map((s) => ({
          memberId: s.memberId,
          roles:
            s.memberId === chair
              ? [...new Set<CommitteeRole>(['CHAIR', ...s.roles])]
              : s.roles.filter((r) => r !== 'CHAIR'),
        })),
      });
    }
    case 'CommitteeVacancyFilled':
      return next({
        ...row,
        committee: [
          ...row.committee,
          ...event.data.memberIds
            .filter((id) => !row.committee.some((s) => s.memberId === id))
            .map((memberId) => ({ memberId, roles: [] as CommitteeRole[] })),
        ],
      });
    case 'WomenCommitteeElected':
      return next({ ...row, women_committee: [...event.data.memberIds] });
    case 'GroupLeaderElected':
      return next({ ...row, group_leader_id: event.data.memberId });
    case 'CommitteeRolesAssigned': {
      const assigned = new Map(event.data.assignments.map((a) => [a.memberId, [...a.roles]]));
      const committee = row.committee.map((s) => ({
        memberId: s.memberId,
        roles: assigned.get(s.memberId) ?? s.roles,
      }));
      const chair =
        committee.find((s) => s.roles.includes('CHAIR'))?.memberId ?? row.chair_member_id;
      return next({ ...row, committee, chair_member_id: chair });
    }
    case 'TermExtended':
      return next({
        ...row,
        term_end: event.data.newEnd,
        term_extended_months: row.term_extended_months + event.data.months,
      });
    case 'CommitteeMemberRecalled':
    case 'CommitteeSeatVacated':
      return next(withoutMember(row, event.data.memberId));
    case 'CommitteeMeetingHeld':
      return next({
        ...row,
        last_meeting_on:
          row.last_meeting_on && row.last_meeting_on > event.data.heldOn
            ? row.last_meeting_on
            : event.data.heldOn,
      });
    case 'UnionDissolved':
      return next(
        { ...row, status: 'DISSOLVED', dissolved_on: event.data.dissolvedOn },
        event.data.dissolvedOn,
      );
    default: {
      // every union event is handled above; a type added later fails to compile here
      const unhandled: never = event;
      void unhandled;
      return { row };
    }
  }
}

export const UNION_EVENT_TYPES: ReadonlySet<string> = new Set<UnionEvent['type']>([
  'UnionEstablished',
  'UnionEstablishmentRequested',
  'UnionEstablishmentApproved',
  'UnionEstablishmentRejected',
  'GovernanceFormSet',
  'CommitteeElected',
  'ChairElected',
  'CommitteeVacancyFilled',
  'WomenCommitteeElected',
  'GroupLeaderElected',
  'CommitteeRolesAssigned',
  'TermExtended',
  'CommitteeMemberRecalled',
  'CommitteeSeatVacated',
  'CommitteeMeetingHeld',
  'UnionDissolved',
]);
