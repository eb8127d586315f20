import { assertNever } from '@app/core';
import type { UnionEvent } from './union.events';
import type { ActiveUnion, CommitteeSeat, UnionBody, UnionState } from './union.state';

const EMPTY_BODY: Omit<UnionBody, 'establishedOn'> = {
  governance: { form: 'NONE' },
  committee: null,
  term: null,
  womenCommittee: null,
  groupLeader: null,
  lastMeetingOn: null,
  installedElectionIds: [],
};

/** Applies an event to an active union; other states are left as they are. */
function onActive(state: UnionState, change: (u: ActiveUnion) => ActiveUnion): UnionState {
  return state.status === 'ACTIVE' ? change(state) : state;
}

function onSeats(
  state: UnionState,
  change: (seats: readonly CommitteeSeat[]) => readonly CommitteeSeat[],
): UnionState {
  return onActive(state, (u) =>
    u.committee ? { ...u, committee: { ...u.committee, members: change(u.committee.members) } } : u,
  );
}

const installed = (u: ActiveUnion, electionId: string): readonly string[] => [
  ...u.installedElectionIds,
  electionId,
];

/** evolve never judges: it records what was decided, so replay never re-applies newer rules. */
export function evolveUnion(state: UnionState, event: UnionEvent): UnionState {
  switch (event.type) {
    case 'UnionEstablished': {
      const { unionId, name, level, parentId, establishedOn } = event.data;
      return { status: 'ACTIVE', unionId, name, level, parentId, establishedOn, ...EMPTY_BODY };
    }
    case 'UnionEstablishmentRequested': {
      const { unionId, name, level, parentId, requestedOn } = event.data;
      return { status: 'PENDING_APPROVAL', unionId, name, level, parentId, requestedOn };
    }
    case 'UnionEstablishmentApproved': {
      if (state.status !== 'PENDING_APPROVAL') return state;
      const { unionId, name, level, parentId } = state;
      const establishedOn = event.data.approvedOn;
      return { status: 'ACTIVE', unionId, name, level, parentId, establishedOn, ...EMPTY_BODY };
    }
    case 'UnionEstablishmentRejected': {
      if (state.status !== 'PENDING_APPROVAL') return state;
      const { unionId, name, level, parentId } = state;
      return {
        status: 'REJECTED',
        unionId,
        name,
        level,
        parentId,
        rejectedOn: event.data.rejectedOn,
      };
    }
    case 'GovernanceFormSet': {
      const { form, jointWithUnionIds, organizerMemberId } = event.data;
      return onActive(state, (u) => {
        switch (form) {
          case 'NONE':
          case 'COMMITTEE':
            return { ...u, governance: { form } };
          case 'JOINT_COMMITTEE':
            return { ...u, governance: { form, jointWithUnionIds } };
          case 'ORGANIZER':
            // An organiser replaces the committee and its term.
            return {
              ...u,
              governance: { form, organizerMemberId: organizerMemberId ?? '' },
              committee: null,
              term: null,
            };
          default:
            return assertNever(form, 'governance form');
        }
      });
    }
    case 'CommitteeElected': {
      const { electionId, seats, memberIds, termYears, termStart, termEnd } = event.data;
      return onActive(state, (u) => ({
        ...u,
        committee: {
          electionId,
          seats,
          members: memberIds.map((memberId) => ({
            memberId,
            roles: [],
            electionId,
            electedBy: 'MEMBERS_CONGRESS',
          })),
        },
        term: { years: termYears, start: termStart, end: termEnd, extensions: [] },
        installedElectionIds: installed(u, electionId),
      }));
    }
    case 'ChairElected': {
      const { electionId, memberId } = event.data;
      const withChair = onSeats(state, (seats) =>
        seats.map((s) => ({
          ...s,
          roles:
            s.memberId === memberId
              ? ['CHAIR', ...s.roles.filter((r) => r !== 'CHAIR' && r !== 'VICE_CHAIR')]
              : s.roles.filter((r) => r !== 'CHAIR'),
        })),
      );
      return onActive(withChair, (u) => ({ ...u, installedElectionIds: installed(u, electionId) }));
    }
    case 'CommitteeVacancyFilled': {
      const { electionId, memberIds } = event.data;
      const filled = onSeats(state, (seats) => [
        ...seats,
        ...memberIds.map((memberId): CommitteeSeat => ({
          memberId,
          roles: [],
          electionId,
          electedBy: 'MEMBERS_CONGRESS',
        })),
      ]);
      return onActive(filled, (u) => ({ ...u, installedElectionIds: installed(u, electionId) }));
    }
    case 'WomenCommitteeElected': {
      const { electionId, memberIds } = event.data;
      return onActive(state, (u) => ({
        ...u,
        womenCommittee: { electionId, memberIds },
        installedElectionIds: installed(u, electionId),
      }));
    }
    case 'GroupLeaderElected': {
      const { electionId, memberId } = event.data;
      return onActive(state, (u) => ({
        ...u,
        groupLeader: { electionId, memberId },
        installedElectionIds: installed(u, electionId),
      }));
    }
    case 'CommitteeRolesAssigned': {
      const { assignments } = event.data;
      return onSeats(state, (seats) =>
        seats.map((s) => ({
          ...s,
          roles: assignments.find((a) => a.memberId === s.memberId)?.roles ?? [],
        })),
      );
    }
    case 'TermExtended': {
      const { months, special, approvalRef, newEnd } = event.data;
      return onActive(state, (u) =>
        u.term
          ? {
              ...u,
              term: {
                ...u.term,
                end: newEnd,
                extensions: [...u.term.extensions, { months, special, approvalRef }],
              },
            }
          : u,
      );
    }
    case 'CommitteeMemberRecalled':
    case 'CommitteeSeatVacated': {
      const { memberId } = event.data;
      return onSeats(state, (seats) => seats.filter((s) => s.memberId !== memberId));
    }
    case 'CommitteeMeetingHeld': {
      const { heldOn } = event.data;
      return onActive(state, (u) => ({
        ...u,
        lastMeetingOn:
          u.lastMeetingOn !== null && u.lastMeetingOn > heldOn ? u.lastMeetingOn : heldOn,
      }));
    }
    case 'UnionDissolved': {
      if (state.status !== 'ACTIVE') return state;
      const { dissolvedOn, adminDecisionRef } = event.data;
      return { ...state, status: 'DISSOLVED', dissolvedOn, adminDecisionRef };
    }
    default:
      return assertNever(event, 'union event');
  }
}
