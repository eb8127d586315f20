import { foldEvents } from '@app/core';
import { deciderSpec } from '@app/testing';
import type { RecordAbsence, StartMemberTransfer } from './member.commands';
import { memberDecider } from './member.decider';
import type { MemberEvent } from './member.events';
import { memberRights } from './member.state';
import {
  MEMBER_ID,
  RULES,
  TEAM,
  activeMember,
  meta,
  officer,
  transferStarted,
} from './member.fixtures';

const spec = deciderSpec(memberDecider);

const start = (over: Partial<StartMemberTransfer['data']> = {}): StartMemberTransfer => ({
  type: 'StartMemberTransfer',
  data: {
    rules: RULES,
    transferId: 'transfer-1',
    toUnionId: 'team-2',
    toExternal: null,
    requestedOn: '2025-07-01',
    ...over,
  },
  metadata: meta(),
});
const complete = (transferId = 'transfer-1') => ({
  type: 'CompleteMemberTransfer' as const,
  data: { rules: RULES, transferId, completedOn: '2025-07-10' },
  metadata: meta(),
});
const cancel = (transferId = 'transfer-1') => ({
  type: 'CancelMemberTransfer' as const,
  data: { rules: RULES, transferId, cancelledOn: '2025-07-05' },
  metadata: meta(),
});

const after = (given: MemberEvent[], ...commands: Parameters<typeof memberDecider.decide>[0][]) =>
  commands.reduce<MemberEvent[]>(
    (events, command) => [
      ...events,
      ...memberDecider.decide(command, foldEvents(memberDecider, events)),
    ],
    given,
  );

describe('Art. 19(3): the member side of a transfer', () => {
  it('opens a transfer; the member still counts on the sending union', () => {
    spec.given(activeMember()).when(start()).then([transferStarted()]);
    const state = foldEvents(memberDecider, [...activeMember(), transferStarted()]);
    expect(state.status === 'ACTIVE' && state.unionId).toBe(TEAM);
  });

  it('refuses a second transfer while one is open', () => {
    spec
      .given([...activeMember(), transferStarted('transfer-1')])
      .when(start({ transferId: 'transfer-2' }))
      .thenThrows('TRANSFER_IN_PROGRESS', 'Art. 19(3)');
  });

  it('moves the member to the receiving union when the transfer completes', () => {
    const events = after(activeMember(), start(), complete());
    expect(events.at(-1)).toEqual({
      type: 'MemberTransferCompleted',
      data: {
        memberId: MEMBER_ID,
        transferId: 'transfer-1',
        fromUnionId: TEAM,
        toUnionId: 'team-2',
        toExternal: null,
        completedOn: '2025-07-10',
      },
    });
    const state = foldEvents(memberDecider, events);
    expect(state.status === 'ACTIVE' && [state.unionId, state.openTransfer]).toEqual([
      'team-2',
      null,
    ]);
    // Dues history travels with the member; a new transfer can be opened.
    spec
      .given(events)
      .when(start({ transferId: 'transfer-2', toUnionId: 'team-3' }))
      .thenMatches([{ type: 'MemberTransferStarted', data: { fromUnionId: 'team-2' } }]);
  });

  it('leaves the member at home when the transfer is rejected', () => {
    const events = after(activeMember(), start(), cancel());
    const state = foldEvents(memberDecider, events);
    expect(state.status === 'ACTIVE' && [state.unionId, state.openTransfer]).toEqual([TEAM, null]);
  });

  it('ends the membership in the enterprise on a transfer to outside it', () => {
    const events = after(
      activeMember(),
      start({ toUnionId: null, toExternal: '某市总工会' }),
      complete(),
    );
    expect(foldEvents(memberDecider, events).status).toBe('TRANSFERRED_OUT');
  });

  it('refuses to complete or cancel a transfer that is not the open one', () => {
    spec
      .given([...activeMember(), transferStarted('transfer-1')])
      .when(complete('transfer-9'))
      .thenThrows('TRANSFER_NOT_OPEN');
    spec.given(activeMember()).when(cancel()).thenThrows('TRANSFER_NOT_OPEN');
  });

  it('needs exactly one destination, other than the current union', () => {
    spec
      .given(activeMember())
      .when(start({ toUnionId: null }))
      .thenThrows('INVALID_MEMBER_INPUT');
    spec
      .given(activeMember())
      .when(start({ toExternal: 'x' }))
      .thenThrows('INVALID_MEMBER_INPUT');
    spec
      .given(activeMember())
      .when(start({ toUnionId: TEAM }))
      .thenThrows('INVALID_MEMBER_INPUT');
  });
});

describe('Art. 19(3): long absence is not a transfer', () => {
  const absence = (over: Partial<RecordAbsence['data']> = {}): RecordAbsence => ({
    type: 'RecordAbsence',
    data: {
      ...officer,
      reason: 'STUDY',
      from: '2025-08-01',
      until: '2026-01-31',
      note: '党校学习',
      ...over,
    },
    metadata: meta(),
  });

  it('records AbsenceRecorded; the member keeps union, vote and dues at home', () => {
    spec
      .given(activeMember())
      .when(absence())
      .then([
        {
          type: 'AbsenceRecorded',
          data: {
            memberId: MEMBER_ID,
            unionId: TEAM,
            reason: 'STUDY',
            from: '2025-08-01',
            until: '2026-01-31',
            note: '党校学习',
          },
        },
      ]);
    const state = foldEvents(memberDecider, after(activeMember(), absence()));
    expect(state.status === 'ACTIVE' && state.unionId).toBe(TEAM);
    expect(memberRights(state)).toMatchObject({ canVote: true, owesDues: true });
  });

  it('refuses an end before the start and an unknown reason', () => {
    spec
      .given(activeMember())
      .when(absence({ until: '2025-07-31' }))
      .thenThrows('DATE_OUT_OF_ORDER');
    spec
      .given(activeMember())
      .when(absence({ reason: 'HOLIDAY' as RecordAbsence['data']['reason'] }))
      .thenThrows('INVALID_MEMBER_INPUT');
  });
});
