import { assertNever, streamId, type Decider } from '@app/core';
import type { ApprovedResult } from '../union/union.commands';
import { checkDate, checkNotBefore } from '../union/union.rules';
import type {
  ApproveElectionResult,
  CallElection,
  ElectionCommand,
  RecordElectionResult,
} from './election.commands';
import { electionErrors as errors } from './election.errors';
import type { ElectionEvent, ElectionResultApproved } from './election.events';
import { checkBallot, checkCandidates, checkKind, checkUnionCanElect } from './election.rules';
import type { ElectionState } from './election.state';
import { judgeElection } from './election-tally.rules';

function call({ data }: CallElection, state: ElectionState): ElectionEvent[] {
  if (state.status !== 'NONE') throw errors.alreadyCalled();
  checkDate(data.calledOn, 'calledOn');
  const union = checkUnionCanElect(data.union);
  checkBallot(data, union);
  checkCandidates(data.candidates, data.seats);
  const termYears = checkKind(data, union, data.settings);
  const { electionId, unionId, kind, seats, expectedVoters, calledOn } = data;
  return [
    {
      type: 'ElectionCalled',
      data: {
        electionId,
        unionId,
        unionLevel: union.level,
        kind,
        seats,
        expectedVoters,
        candidateMemberIds: data.candidates.map((c) => c.memberId),
        termYears,
        calledOn,
      },
    },
  ];
}

function record({ data }: RecordElectionResult, state: ElectionState): ElectionEvent[] {
  if (state.status === 'NONE') throw errors.notFound();
  if (state.status !== 'CALLED') throw errors.notOpen();
  checkDate(data.heldOn, 'heldOn');
  checkNotBefore(data.heldOn, 'heldOn', state.calledOn);
  return [judgeElection(state, data, data.settings)];
}

function approve({ data }: ApproveElectionResult, state: ElectionState): ElectionEvent[] {
  switch (state.status) {
    case 'NONE':
      throw errors.notFound();
    case 'CALLED':
    case 'FAILED':
      throw errors.notConcluded();
    case 'APPROVED':
      throw errors.alreadyApproved();
    case 'CONCLUDED':
      break;
    default:
      return assertNever(state, 'election state');
  }
  checkDate(data.approvedOn, 'approvedOn');
  checkNotBefore(data.approvedOn, 'approvedOn', state.heldOn);
  let approvalRef: string | null = null;
  if (state.unionLevel === 'COMPANY') {
    // The company union's parent is outside the tenant: its approval arrives as a reference.
    approvalRef = data.externalApprovalRef?.trim() || null;
    if (approvalRef === null) throw errors.externalApprovalRequired();
  } else if (!data.actorIsParentOfficer) {
    throw errors.approvalNotByParent();
  }
  const { electionId, unionId, kind, seats, termYears } = state;
  return [
    {
      type: 'ElectionResultApproved',
      data: {
        electionId,
        unionId,
        kind,
        seats,
        winners: [...state.winners],
        termYears,
        approvedOn: data.approvedOn,
        approvalRef,
      },
    },
  ];
}

function decide(command: ElectionCommand, state: ElectionState): ElectionEvent[] {
  switch (command.type) {
    case 'CallElection':
      return call(command, state);
    case 'RecordElectionResult':
      return record(command, state);
    case 'ApproveElectionResult':
      return approve(command, state);
    default:
      return assertNever(command, 'election command');
  }
}

function evolve(state: ElectionState, event: ElectionEvent): ElectionState {
  switch (event.type) {
    case 'ElectionCalled':
      return { status: 'CALLED', ...event.data };
    case 'ElectionConcluded': {
      if (state.status !== 'CALLED') return state;
      const { heldOn, votersPresent, tallies, winners, unfilledSeats } = event.data;
      return {
        ...state,
        status: 'CONCLUDED',
        heldOn,
        votersPresent,
        tallies,
        winners,
        unfilledSeats,
      };
    }
    case 'ElectionFailed': {
      if (state.status !== 'CALLED') return state;
      const { heldOn, votersPresent, tallies, reason, tiedMemberIds } = event.data;
      return { ...state, status: 'FAILED', heldOn, votersPresent, tallies, reason, tiedMemberIds };
    }
    case 'ElectionResultApproved': {
      if (state.status !== 'CONCLUDED') return state;
      const { approvedOn, approvalRef } = event.data;
      return { ...state, status: 'APPROVED', approvedOn, approvalRef };
    }
    default:
      return assertNever(event, 'election event');
  }
}

export const electionDecider: Decider<ElectionState, ElectionCommand, ElectionEvent> = {
  decide,
  evolve,
  initialState: () => ({ status: 'NONE' }),
};

/** What the union installs once the parent approved the result (Art. 29). */
export function approvedResultOf({ data }: ElectionResultApproved): ApprovedResult {
  const { kind, seats, winners, termYears } = data;
  switch (kind) {
    case 'COMMITTEE':
      if (termYears === null) throw new Error(`Committee election ${data.electionId} has no term`);
      return { kind, seats, memberIds: winners, termYears };
    case 'CHAIR':
    case 'GROUP_LEADER': {
      const memberId = winners[0];
      if (memberId === undefined) throw new Error(`Election ${data.electionId} has no winner`);
      return { kind, memberId };
    }
    case 'BY_ELECTION':
    case 'WOMEN_COMMITTEE':
      return { kind, memberIds: winners };
    default:
      return assertNever(kind, 'election kind');
  }
}

export const electionStreamId = (electionId: string): string => streamId('election', electionId);
