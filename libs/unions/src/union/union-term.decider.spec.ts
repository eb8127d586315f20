import { foldEvents } from '@app/core';
import { deciderSpec } from '@app/testing';
import type { ExtendTerm, RecallCommitteeMember } from './union.commands';
import { unionDecider } from './union.decider';
import type { UnionEvent } from './union.events';
import {
  committeeElected,
  committeeForm,
  ENTERPRISE,
  established,
  metadata,
  NATIONAL,
  SEATED,
  UNION_ID,
} from './union.fixtures';
import { committeeVacancies, type ActiveUnion } from './union.state';

const spec = deciderSpec(unionDecider);

describe('committee: term extension (Art. 7)', () => {
  const extend = (
    months: number,
    special = false,
    data: Partial<ExtendTerm['data']> = {},
  ): ExtendTerm => ({
    type: 'ExtendTerm',
    metadata,
    data: {
      months,
      special,
      approvalRef: 'Parent approval 2027-4',
      decidedOn: '2027-02-01',
      settings: ENTERPRISE,
      ...data,
    },
  });
  const extended: UnionEvent = {
    type: 'TermExtended',
    data: {
      unionId: UNION_ID,
      months: 3,
      special: false,
      approvalRef: 'a',
      previousEnd: '2027-03-01',
      newEnd: '2027-06-01',
      decidedOn: '2027-02-01',
    },
  };

  it('extends by up to 6 months with the parent’s approval', () => {
    spec
      .given(SEATED)
      .when(extend(6))
      .then([
        {
          type: 'TermExtended',
          data: {
            unionId: UNION_ID,
            months: 6,
            special: false,
            approvalRef: 'Parent approval 2027-4',
            previousEnd: '2027-03-01',
            newEnd: '2027-09-01',
            decidedOn: '2027-02-01',
          },
        },
      ]);
    spec.given(SEATED).when(extend(7)).thenThrows('TERM_EXTENSION_TOO_LONG', 'Art. 7');
  });

  it('extends by up to 12 months in special cases', () => {
    spec
      .given(SEATED)
      .when(extend(7, true))
      .thenMatches([{ type: 'TermExtended', data: { newEnd: '2027-10-01' } }]);
    spec
      .given(SEATED)
      .when(extend(12, true))
      .thenMatches([{ type: 'TermExtended', data: { newEnd: '2028-03-01' } }]);
    spec.given(SEATED).when(extend(13, true)).thenThrows('TERM_EXTENSION_TOO_LONG', 'Art. 7');
  });

  it('extends a term once', () => {
    spec
      .given([...SEATED, extended])
      .when(extend(1))
      .thenThrows('TERM_ALREADY_EXTENDED', 'Art. 7');
    // A new term may be extended again.
    spec
      .given([...SEATED, extended, committeeElected()])
      .when(extend(1))
      .thenMatches([{ type: 'TermExtended' }]);
  });

  it('needs the approval, a whole number of months and a term', () => {
    spec
      .given(SEATED)
      .when(extend(3, false, { approvalRef: ' ' }))
      .thenThrows('TERM_EXTENSION_APPROVAL_REQUIRED', 'Art. 7');
    spec.given(SEATED).when(extend(0)).thenThrows('INVALID_TERM_EXTENSION');
    spec.given(SEATED).when(extend(1.5)).thenThrows('INVALID_TERM_EXTENSION');
    spec
      .given([established(), committeeForm()])
      .when(extend(3))
      .thenThrows('NO_TERM_TO_EXTEND', 'Art. 7');
  });
});

describe('committee: recall by the electing body (Art. 15)', () => {
  const recall = (data: Partial<RecallCommitteeMember['data']> = {}): RecallCommitteeMember => ({
    type: 'RecallCommitteeMember',
    metadata,
    data: {
      memberId: 'm3',
      decidedBy: 'MEMBERS_CONGRESS',
      resolutionRef: 'Congress 2025-1',
      votesFor: 10,
      votersPresent: 20,
      expectedVoters: 30,
      decidedOn: '2025-03-01',
      settings: ENTERPRISE,
      ...data,
    },
  });

  it('recalls by the congress and leaves a vacancy for a by-election', () => {
    spec
      .given(SEATED)
      .when(recall())
      .thenMatches([{ type: 'CommitteeMemberRecalled', data: { memberId: 'm3', votesFor: 10 } }]);
    const after = foldEvents(unionDecider, [
      ...SEATED,
      ...unionDecider.decide(recall(), foldEvents(unionDecider, SEATED)),
    ]) as ActiveUnion;
    expect(committeeVacancies(after.committee)).toBe(1);
  });

  it('is decided only by the body that elected the member', () => {
    spec
      .given(SEATED)
      .when(recall({ decidedBy: 'GROUP_MEMBERS' }))
      .thenThrows('RECALL_NOT_BY_ELECTING_BODY', 'Art. 15(2)');
    spec
      .given(SEATED)
      .when(recall({ memberId: 'outsider' }))
      .thenThrows('NOT_COMMITTEE_MEMBER');
    spec
      .given(SEATED)
      .when(recall({ resolutionRef: '' }))
      .thenThrows('RECALL_RESOLUTION_REQUIRED');
  });

  it('needs two thirds present (20 of 30) and the majority in force', () => {
    spec
      .given(SEATED)
      .when(recall({ votersPresent: 19, votesFor: 15 }))
      .thenThrows('RECALL_QUORUM_NOT_REACHED', 'Art. 15');
    spec
      .given(SEATED)
      .when(recall({ votesFor: 9 }))
      .thenThrows('RECALL_MAJORITY_NOT_REACHED', 'Art. 15(1)');
    spec
      .given(SEATED)
      .when(recall({ settings: NATIONAL, votersPresent: 30, votesFor: 15 }))
      .thenThrows('RECALL_MAJORITY_NOT_REACHED');
    spec
      .given(SEATED)
      .when(recall({ settings: NATIONAL, votersPresent: 30, votesFor: 16 }))
      .thenMatches([{ type: 'CommitteeMemberRecalled' }]);
    spec
      .given(SEATED)
      .when(recall({ votesFor: 21 }))
      .thenThrows('INVALID_VOTE_COUNTS');
  });
});

describe('committee: seats and meetings (Art. 8, 16)', () => {
  it('vacates a seat', () => {
    spec
      .given(SEATED)
      .when({
        type: 'VacateCommitteeSeat',
        metadata,
        data: { memberId: 'm5', cause: 'LEFT_UNION', decidedOn: '2025-01-01' },
      })
      .then([
        {
          type: 'CommitteeSeatVacated',
          data: { unionId: UNION_ID, memberId: 'm5', cause: 'LEFT_UNION', decidedOn: '2025-01-01' },
        },
      ]);
    spec
      .given(SEATED)
      .when({
        type: 'VacateCommitteeSeat',
        metadata,
        data: { memberId: 'x', cause: 'RESIGNED', decidedOn: '2025-01-01' },
      })
      .thenThrows('NOT_COMMITTEE_MEMBER');
  });

  const meeting = (heldOn: string, recordedOn = '2025-03-01') =>
    ({
      type: 'RecordCommitteeMeeting',
      metadata,
      data: { heldOn, recordedOn, minutesRef: ' ' },
    }) as const;

  it('records meetings that were held, keeping the latest', () => {
    spec
      .given(SEATED)
      .when(meeting('2025-03-01'))
      .then([
        {
          type: 'CommitteeMeetingHeld',
          data: { unionId: UNION_ID, heldOn: '2025-03-01', minutesRef: null },
        },
      ]);
    spec.given(SEATED).when(meeting('2025-03-02')).thenThrows('MEETING_DATE_IN_FUTURE', 'Art. 16');
    spec
      .given([established(), committeeForm()])
      .when(meeting('2025-03-01'))
      .thenThrows('NO_COMMITTEE');
    const held = (heldOn: string): UnionEvent => ({
      type: 'CommitteeMeetingHeld',
      data: { unionId: UNION_ID, heldOn, minutesRef: null },
    });
    const state = foldEvents(unionDecider, [
      ...SEATED,
      held('2025-02-01'),
      held('2025-01-01'),
    ]) as ActiveUnion;
    expect(state.lastMeetingOn).toBe('2025-02-01');
  });
});
