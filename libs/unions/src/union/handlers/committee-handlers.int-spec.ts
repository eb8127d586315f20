import { unionStreamId } from '../union.decider';
import type { UnionState } from '../union.state';
import { RecallCommitteeMemberCommand } from './recall-committee-member.handler';
import { RecordCommitteeMeetingCommand } from './record-committee-meeting.handler';
import { VacateCommitteeSeatCommand } from './vacate-committee-seat.handler';
import {
  OrganisationBed,
  domainError,
  eventCount,
  seatedBrigade,
  writtenAfter,
  type OrganisationWorld,
} from './testing/organisation-fixtures';

/** The seated brigade's stream: established, governance form, committee elected. */
const SEATED_VERSION = 3;

describe('committee recall, vacancy and meeting handlers (real store, read-model facts)', () => {
  let bed: OrganisationBed;

  beforeAll(async () => {
    bed = await OrganisationBed.start();
  });
  afterAll(() => bed.close());

  const seatsOf = (state: UnionState) => (state.status === 'ACTIVE' ? state.committee : null);

  describe('RecallCommitteeMember', () => {
    const recall = (
      w: OrganisationWorld,
      vote: { votesFor: number; decidedBy?: 'MEMBERS_CONGRESS' | 'GROUP_MEMBERS' },
      commandId?: string,
    ) =>
      w.h.recall.execute(
        new RecallCommitteeMemberCommand(
          {
            unionId: 'b1',
            memberId: 'm13',
            decidedBy: vote.decidedBy ?? 'MEMBERS_CONGRESS',
            resolutionRef: ' MC-2025-2 ',
            votesFor: vote.votesFor,
            votersPresent: 20,
            expectedVoters: 30,
            decidedOn: '2025-06-01',
          },
          w.meta('officer-b1', commandId),
        ),
      );

    it('Art. 15: the congress that elected a member recalls them by half of those present', async () => {
      const w = bed.world();
      await seatedBrigade(w);
      const outcome = await recall(w, { votesFor: 10 }, 'recall-1');
      const written = await writtenAfter(w, unionStreamId('b1'), SEATED_VERSION);
      expect(written.heads).toEqual([
        ['CommitteeMemberRecalled', 4, { actor: 'officer-b1', commandId: 'recall-1' }],
      ]);
      expect(written.data).toEqual([
        {
          unionId: 'b1',
          memberId: 'm13',
          decidedBy: 'MEMBERS_CONGRESS',
          resolutionRef: 'MC-2025-2',
          votesFor: 10,
          votersPresent: 20,
          expectedVoters: 30,
          decidedOn: '2025-06-01',
        },
      ]);
      expect(outcome).toMatchObject({ version: 4, duplicate: false });
      expect(seatsOf(outcome.state)?.seats).toBe(5);
      expect(seatsOf(outcome.state)?.members.map((s) => s.memberId)).toEqual([
        'm01',
        'm02',
        'm11',
        'm12',
      ]);
    });

    it('a repeated command id returns the first result and appends nothing', async () => {
      const w = bed.world();
      await seatedBrigade(w);
      const first = await recall(w, { votesFor: 12 }, 'recall-x');
      const before = await eventCount(w);
      // Re-deciding would say NOT_COMMITTEE_MEMBER; the command id returns the first result.
      expect(await recall(w, { votesFor: 12 }, 'recall-x')).toMatchObject({
        version: 4,
        position: first.position,
        duplicate: true,
      });
      expect(await eventCount(w)).toBe(before);
    });

    it('Art. 15: not by another body, and not one vote under half of those present', async () => {
      const w = bed.world();
      await seatedBrigade(w);
      const before = await eventCount(w);
      const body = await domainError(recall(w, { votesFor: 12, decidedBy: 'GROUP_MEMBERS' }));
      expect([body.code, body.article?.en]).toEqual(['RECALL_NOT_BY_ELECTING_BODY', 'Art. 15(2)']);
      const short = await domainError(recall(w, { votesFor: 9 }));
      expect([short.code, short.article?.en, short.details]).toEqual([
        'RECALL_MAJORITY_NOT_REACHED',
        'Art. 15(1)',
        { votes: 9, required: 10 },
      ]);
      expect(await eventCount(w)).toBe(before);
    });
  });

  describe('VacateCommitteeSeat', () => {
    const vacate = (w: OrganisationWorld, memberId: string, commandId?: string) =>
      w.h.vacate.execute(
        new VacateCommitteeSeatCommand(
          { unionId: 'b1', memberId, cause: 'RESIGNED', decidedOn: '2025-05-01' },
          w.meta('officer-b1', commandId),
        ),
      );

    it('Art. 8: a seat falls vacant and stays open for a by-election', async () => {
      const w = bed.world();
      await seatedBrigade(w);
      const outcome = await vacate(w, 'm12', 'vacate-1');
      const written = await writtenAfter(w, unionStreamId('b1'), SEATED_VERSION);
      expect(written.heads).toEqual([
        ['CommitteeSeatVacated', 4, { actor: 'officer-b1', commandId: 'vacate-1' }],
      ]);
      expect(written.data).toEqual([
        { unionId: 'b1', memberId: 'm12', cause: 'RESIGNED', decidedOn: '2025-05-01' },
      ]);
      expect(outcome).toMatchObject({ version: 4, position: written.events[0]?.globalPosition });
      expect(seatsOf(outcome.state)).toMatchObject({ seats: 5 });
      expect(seatsOf(outcome.state)?.members).toHaveLength(4);
    });

    it('a repeated command id returns the first result and appends nothing', async () => {
      const w = bed.world();
      await seatedBrigade(w);
      const first = await vacate(w, 'm12', 'vacate-x');
      const before = await eventCount(w);
      expect(await vacate(w, 'm12', 'vacate-x')).toMatchObject({
        version: 4,
        position: first.position,
        duplicate: true,
      });
      expect(await eventCount(w)).toBe(before);
    });

    it('Art. 8: only a committee member’s seat can fall vacant', async () => {
      const w = bed.world();
      await seatedBrigade(w);
      const before = await eventCount(w);
      const error = await domainError(vacate(w, 'm20'));
      expect([error.code, error.article?.en]).toEqual(['NOT_COMMITTEE_MEMBER', 'Art. 8']);
      expect(await eventCount(w)).toBe(before);
    });
  });

  describe('RecordCommitteeMeeting', () => {
    const meeting = (w: OrganisationWorld, heldOn: string, commandId?: string, unionId = 'b1') =>
      w.h.meeting.execute(
        new RecordCommitteeMeetingCommand(
          { unionId, heldOn, minutesRef: ' MIN-2025-7 ' },
          w.meta('officer-b1', commandId),
        ),
      );

    it('Art. 16: a held meeting is recorded, so an overdue one can be flagged', async () => {
      const w = bed.world();
      await seatedBrigade(w);
      const outcome = await meeting(w, '2025-07-15', 'meeting-1');
      const written = await writtenAfter(w, unionStreamId('b1'), SEATED_VERSION);
      expect(written.heads).toEqual([
        ['CommitteeMeetingHeld', 4, { actor: 'officer-b1', commandId: 'meeting-1' }],
      ]);
      expect(written.data).toEqual([
        { unionId: 'b1', heldOn: '2025-07-15', minutesRef: 'MIN-2025-7' },
      ]);
      expect(outcome).toMatchObject({ version: 4, state: { lastMeetingOn: '2025-07-15' } });
    });

    it('a repeated command id returns the first result and appends nothing', async () => {
      const w = bed.world();
      await seatedBrigade(w);
      const first = await meeting(w, '2025-07-01', 'meeting-x');
      const before = await eventCount(w);
      expect(await meeting(w, '2025-07-01', 'meeting-x')).toMatchObject({
        version: 4,
        position: first.position,
        duplicate: true,
      });
      expect(await eventCount(w)).toBe(before);
    });

    it('Art. 16: not before it is held (today is 2025-07-15); Art. 8: only a seated committee', async () => {
      const w = bed.world();
      await seatedBrigade(w);
      const before = await eventCount(w);
      const future = await domainError(meeting(w, '2025-07-16'));
      expect([future.code, future.article?.en]).toEqual(['MEETING_DATE_IN_FUTURE', 'Art. 16']);
      const none = await domainError(meeting(w, '2025-07-01', undefined, 'b2'));
      expect([none.code, none.article?.en]).toEqual(['NO_COMMITTEE', 'Art. 8']);
      expect(await eventCount(w)).toBe(before);
    });
  });
});
