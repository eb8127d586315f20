import { addMonthsToDate, assertNever, streamId, type Decider } from '@app/core';
import { committeeErrors } from './committee.errors';
import { checkRecall, checkRoleAssignment, checkTermExtension } from './committee.rules';
import type {
  DissolveUnion,
  InstallElectionResult,
  SetGovernanceForm,
  UnionCommand,
} from './union.commands';
import { approve, establish, provisionCompany, reject, request } from './union-establishment.rules';
import { unionErrors as errors } from './union.errors';
import { DISSOLUTION_REASONS, type UnionEvent } from './union.events';
import { evolveUnion } from './union.evolve.rules';
import { activeOn, checkDate, checkGovernanceForm, seated } from './union.rules';
import { committeeVacancies, hasCommitteeForm, type UnionState } from './union.state';

function setGovernanceForm({ data }: SetGovernanceForm, state: UnionState): UnionEvent[] {
  const union = activeOn(state, data.effectiveOn, 'effectiveOn');
  const { unionId, level } = union;
  checkGovernanceForm({ ...data, unionId, level });
  const jointWithUnionIds =
    data.form === 'JOINT_COMMITTEE' ? data.jointWith.map((u) => u.unionId) : [];
  const organizerMemberId = data.form === 'ORGANIZER' ? (data.organizer?.memberId ?? null) : null;
  return [
    {
      type: 'GovernanceFormSet',
      data: {
        unionId,
        form: data.form,
        jointWithUnionIds,
        organizerMemberId,
        activeMembers: data.activeMembers,
        effectiveOn: data.effectiveOn,
      },
    },
  ];
}

function install({ data }: InstallElectionResult, state: UnionState): UnionEvent[] {
  const union = activeOn(state, data.approvedOn, 'approvedOn');
  const { electionId, approvedOn: electedOn, result } = data;
  if (union.installedElectionIds.includes(electionId)) return [];
  const { unionId } = union;
  const isGroup = union.level === 'GROUP';
  switch (result.kind) {
    case 'COMMITTEE': {
      if (isGroup) throw errors.groupHasNoCommittee();
      if (!hasCommitteeForm(union.governance)) throw committeeErrors.noCommitteeForm();
      const memberIds = [...new Set(result.memberIds)];
      const { seats, termYears } = result;
      const termEnd = addMonthsToDate(electedOn, termYears * 12);
      return [
        {
          type: 'CommitteeElected',
          data: { unionId, electionId, seats, memberIds, termYears, termStart: electedOn, termEnd },
        },
      ];
    }
    case 'CHAIR': {
      const committee = seated(union);
      if (!committee.members.some((s) => s.memberId === result.memberId)) {
        throw committeeErrors.notCommitteeMember();
      }
      const { memberId } = result;
      return [{ type: 'ChairElected', data: { unionId, electionId, memberId, electedOn } }];
    }
    case 'BY_ELECTION': {
      const committee = seated(union);
      const memberIds = [...new Set(result.memberIds)];
      if (memberIds.some((id) => committee.members.some((s) => s.memberId === id))) {
        throw committeeErrors.alreadyCommitteeMember();
      }
      const vacancies = committeeVacancies(committee);
      if (memberIds.length > vacancies) {
        throw committeeErrors.byElectionExceedsVacancies(memberIds.length, vacancies);
      }
      return [
        { type: 'CommitteeVacancyFilled', data: { unionId, electionId, memberIds, electedOn } },
      ];
    }
    case 'WOMEN_COMMITTEE': {
      if (isGroup) throw committeeErrors.groupLeaderOnlyInGroups();
      const memberIds = [...new Set(result.memberIds)];
      return [
        { type: 'WomenCommitteeElected', data: { unionId, electionId, memberIds, electedOn } },
      ];
    }
    case 'GROUP_LEADER': {
      if (!isGroup) throw committeeErrors.groupLeaderOnlyInGroups();
      const { memberId } = result;
      return [{ type: 'GroupLeaderElected', data: { unionId, electionId, memberId, electedOn } }];
    }
    default:
      return assertNever(result, 'election result');
  }
}

function dissolve({ data }: DissolveUnion, state: UnionState): UnionEvent[] {
  if (state.status === 'DISSOLVED') throw errors.alreadyDissolved();
  const union = activeOn(state, data.dissolvedOn, 'dissolvedOn');
  if (union.parentId === null) throw errors.rootCannotBeDissolved();
  const reason = DISSOLUTION_REASONS.find((r) => r === data.reason);
  if (!reason) throw errors.dissolutionReasonNotAllowed();
  const adminDecisionRef = data.adminDecisionRef.trim();
  if (adminDecisionRef === '') throw errors.adminDecisionRequired();
  if (data.activeMembers > 0) throw errors.hasActiveMembers(data.activeMembers);
  if (data.activeChildUnions > 0) throw errors.hasActiveChildren(data.activeChildUnions);
  return [
    {
      type: 'UnionDissolved',
      data: {
        unionId: union.unionId,
        reason,
        adminDecisionRef,
        filedWithUnionId: union.parentId,
        dissolvedOn: data.dissolvedOn,
      },
    },
  ];
}

function decide(command: UnionCommand, state: UnionState): UnionEvent[] {
  switch (command.type) {
    case 'ProvisionCompanyUnion':
      return provisionCompany(command, state);
    case 'EstablishUnion':
      return establish(command, state);
    case 'RequestUnionEstablishment':
      return request(command, state);
    case 'ApproveUnionEstablishment':
      return approve(command, state);
    case 'RejectUnionEstablishment':
      return reject(command, state);
    case 'SetGovernanceForm':
      return setGovernanceForm(command, state);
    case 'InstallElectionResult':
      return install(command, state);
    case 'AssignCommitteeRoles': {
      const { data } = command;
      const union = activeOn(state, data.decidedOn, 'decidedOn');
      const assignments = checkRoleAssignment(seated(union), data);
      const { unionId } = union;
      return [
        {
          type: 'CommitteeRolesAssigned',
          data: { unionId, assignments, decidedOn: data.decidedOn },
        },
      ];
    }
    case 'ExtendTerm': {
      const { data } = command;
      const union = activeOn(state, data.decidedOn, 'decidedOn');
      const extended = checkTermExtension(union.term, data);
      const { months, special, decidedOn } = data;
      return [
        {
          type: 'TermExtended',
          data: {
            unionId: union.unionId,
            months,
            special,
            approvalRef: data.approvalRef.trim(),
            previousEnd: union.term?.end ?? extended.end,
            newEnd: extended.end,
            decidedOn,
          },
        },
      ];
    }
    case 'RecallCommitteeMember': {
      const { data } = command;
      const union = activeOn(state, data.decidedOn, 'decidedOn');
      checkRecall(seated(union), data);
      const { memberId, decidedBy, votesFor, votersPresent, expectedVoters, decidedOn } = data;
      const resolutionRef = data.resolutionRef.trim();
      return [
        {
          type: 'CommitteeMemberRecalled',
          data: {
            unionId: union.unionId,
            ...{ memberId, decidedBy, resolutionRef, votesFor, votersPresent, expectedVoters },
            decidedOn,
          },
        },
      ];
    }
    case 'VacateCommitteeSeat': {
      const { memberId, cause, decidedOn } = command.data;
      const union = activeOn(state, decidedOn, 'decidedOn');
      if (!seated(union).members.some((s) => s.memberId === memberId)) {
        throw committeeErrors.notCommitteeMember();
      }
      return [
        {
          type: 'CommitteeSeatVacated',
          data: { unionId: union.unionId, memberId, cause, decidedOn },
        },
      ];
    }
    case 'RecordCommitteeMeeting': {
      const { heldOn, recordedOn, minutesRef } = command.data;
      const union = activeOn(state, heldOn, 'heldOn');
      checkDate(recordedOn, 'recordedOn');
      if (heldOn > recordedOn) throw committeeErrors.meetingInFuture();
      seated(union);
      const minutes = minutesRef?.trim() || null;
      return [
        {
          type: 'CommitteeMeetingHeld',
          data: { unionId: union.unionId, heldOn, minutesRef: minutes },
        },
      ];
    }
    case 'DissolveUnion':
      return dissolve(command, state);
    default:
      return assertNever(command, 'union command');
  }
}

export const unionDecider: Decider<UnionState, UnionCommand, UnionEvent> = {
  decide,
  evolve: evolveUnion,
  initialState: () => ({ status: 'NONE' }),
};

export const unionStreamId = (unionId: string): string => streamId('union', unionId);
