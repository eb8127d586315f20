import { assertNever, streamId, type Decider, type IsoDate } from '@app/core';
import { periodOf } from '../dues/dues.rules';
import type { MemberCommand } from './member.commands';
import type { MemberEvent } from './member.events';
import { initialMemberState, type ActiveMember, type MemberState } from './member.state';
import { correctDuesPayment, recordDuesPayment } from './member-dues.rules';
import {
  declareAutomaticWithdrawal,
  expelMember,
  recordArrearsEducation,
  retainMembership,
  startInternalRetirement,
  withdrawMember,
} from './member-exit.rules';
import {
  cancelMemberTransfer,
  completeMemberTransfer,
  recordAbsence,
  startMemberTransfer,
} from './member-transfer.rules';
import {
  applyForMembership,
  approveMembership,
  importMember,
  rejectMembership,
} from './membership.rules';

/** One stream per member (`member-<id>`): Art. 19 from application to the end of membership. */
export function decideMember(command: MemberCommand, state: MemberState): MemberEvent[] {
  switch (command.type) {
    case 'ApplyForMembership':
      return applyForMembership(command, state);
    case 'ApproveMembership':
      return approveMembership(command, state);
    case 'RejectMembership':
      return rejectMembership(command, state);
    case 'ImportMember':
      return importMember(command, state);
    case 'RecordDuesPayment':
      return recordDuesPayment(command, state);
    case 'CorrectDuesPayment':
      return correctDuesPayment(command, state);
    case 'StartMemberTransfer':
      return startMemberTransfer(command, state);
    case 'CompleteMemberTransfer':
      return completeMemberTransfer(command, state);
    case 'CancelMemberTransfer':
      return cancelMemberTransfer(command, state);
    case 'RecordAbsence':
      return recordAbsence(command, state);
    case 'WithdrawMember':
      return withdrawMember(command, state);
    case 'RecordArrearsEducation':
      return recordArrearsEducation(command, state);
    case 'DeclareAutomaticWithdrawal':
      return declareAutomaticWithdrawal(command, state);
    case 'ExpelMember':
      return expelMember(command, state);
    case 'StartInternalRetirement':
      return startInternalRetirement(command, state);
    case 'RetainMembership':
      return retainMembership(command, state);
    default:
      return assertNever(command, 'member command');
  }
}

function ended(
  state: MemberState,
  status: 'REJECTED' | 'WITHDRAWN' | 'EXPELLED' | 'TRANSFERRED_OUT',
  endedOn: IsoDate,
): MemberState {
  if (state.status === 'NONE') return state;
  return { status, memberId: state.memberId, unionId: state.unionId, endedOn };
}

/** Applies `change` to an ACTIVE member; other states are left as they are (replay is total). */
function onActive(state: MemberState, change: (member: ActiveMember) => MemberState): MemberState {
  return state.status === 'ACTIVE' ? change(state) : state;
}

function withPaid(state: MemberState, period: string, amountFen: number): MemberState {
  if (state.status !== 'ACTIVE' && state.status !== 'RETAINED') return state;
  return { ...state, dues: { ...state.dues, paid: { ...state.dues.paid, [period]: amountFen } } };
}

export function evolveMember(state: MemberState, event: MemberEvent): MemberState {
  switch (event.type) {
    case 'MembershipApplied':
      return {
        status: 'APPLIED',
        memberId: event.data.memberId,
        unionId: event.data.unionId,
        appliedOn: event.data.appliedOn,
      };
    case 'MembershipApproved':
      if (state.status !== 'APPLIED') return state;
      return {
        status: 'ACTIVE',
        memberId: state.memberId,
        unionId: state.unionId,
        cardNumber: event.data.cardNumber,
        joinedOn: event.data.joinedOn,
        dues: { liableFrom: periodOf(event.data.joinedOn), exemptFrom: null, paid: {} },
        internalRetirementSince: null,
        openTransfer: null,
        arrearsEducation: null,
        absence: null,
      };
    case 'MembershipRejected':
      return ended(state, 'REJECTED', event.data.rejectedOn);
    case 'MemberImported': {
      const { data } = event;
      const dues = {
        liableFrom: data.duesLiableFrom,
        exemptFrom: data.duesExempt ? data.duesLiableFrom : null,
        paid: {},
      };
      const identity = {
        memberId: data.memberId,
        unionId: data.unionId,
        cardNumber: data.cardNumber,
        joinedOn: data.joinedOn,
        dues,
      };
      return data.status === 'RETAINED'
        ? { status: 'RETAINED', ...identity, retainedOn: data.importedOn }
        : {
            status: 'ACTIVE',
            ...identity,
            internalRetirementSince: data.duesExempt ? data.importedOn : null,
            openTransfer: null,
            arrearsEducation: null,
            absence: null,
          };
    }
    case 'DuesPaid': {
      const paid = withPaid(state, event.data.period, event.data.amountFen);
      return onActive(paid, (member) =>
        member.arrearsEducation === null
          ? member
          : { ...member, arrearsEducation: { ...member.arrearsEducation, duesPaidSince: true } },
      );
    }
    case 'DuesPaymentCorrected':
      return withPaid(state, event.data.period, event.data.amountFen);
    case 'MemberTransferStarted':
      return onActive(state, (member) => ({
        ...member,
        openTransfer: {
          transferId: event.data.transferId,
          toUnionId: event.data.toUnionId,
          toExternal: event.data.toExternal,
          requestedOn: event.data.requestedOn,
        },
      }));
    case 'MemberTransferCompleted':
      if (event.data.toUnionId === null) {
        return ended(state, 'TRANSFERRED_OUT', event.data.completedOn);
      }
      return onActive(state, (member) => ({
        ...member,
        unionId: event.data.toUnionId ?? member.unionId,
        openTransfer: null,
        absence: null,
      }));
    case 'MemberTransferCancelled':
      return onActive(state, (member) => ({ ...member, openTransfer: null }));
    case 'AbsenceRecorded':
      return onActive(state, (member) => ({
        ...member,
        absence: { reason: event.data.reason, from: event.data.from, until: event.data.until },
      }));
    case 'MemberWithdrew':
      return ended(state, 'WITHDRAWN', event.data.withdrawnOn);
    case 'ArrearsEducationRecorded':
      return onActive(state, (member) => ({
        ...member,
        arrearsEducation: {
          educatedOn: event.data.educatedOn,
          unpaidMonths: event.data.unpaidMonths,
          unpaidSince: event.data.unpaidSince,
          duesPaidSince: false,
        },
      }));
    case 'AutomaticWithdrawalDeclared':
      return ended(state, 'WITHDRAWN', event.data.decidedOn);
    case 'MemberExpelled':
      return ended(state, 'EXPELLED', event.data.expelledOn);
    case 'InternalRetirementStarted':
      return onActive(state, (member) => ({
        ...member,
        internalRetirementSince: event.data.startedOn,
        arrearsEducation: null,
        dues: { ...member.dues, exemptFrom: event.data.duesExemptFrom },
      }));
    case 'MembershipRetained':
      if (state.status !== 'ACTIVE') return state;
      return {
        status: 'RETAINED',
        memberId: state.memberId,
        unionId: state.unionId,
        cardNumber: state.cardNumber,
        joinedOn: state.joinedOn,
        dues: { ...state.dues, exemptFrom: event.data.duesExemptFrom },
        retainedOn: event.data.retainedOn,
      };
    default:
      return assertNever(event, 'member event');
  }
}

export const memberDecider: Decider<MemberState, MemberCommand, MemberEvent> = {
  decide: decideMember,
  evolve: evolveMember,
  initialState: initialMemberState,
};

export const memberStreamId = (memberId: string): string => streamId('member', memberId);
