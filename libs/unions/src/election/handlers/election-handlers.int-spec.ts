import { unionStreamId } from '../../union/union.decider';
import {
  OrganisationBed,
  committeeForm,
  domainError,
  eventCount,
  imported,
  roll,
  tree,
  writtenAfter,
  type OrganisationWorld,
} from '../../union/handlers/testing/organisation-fixtures';
import { electionStreamId } from '../election.decider';
import { ApproveElectionResultCommand } from './approve-election-result.handler';
import { CallElectionCommand } from './call-election.handler';
import { RecordElectionResultCommand } from './record-election-result.handler';

const CANDIDATES = ['m01', 'm02', 'm03', 'm04', 'm05', 'm06'];
const TALLIES = [
  { memberId: 'm01', votes: 18 },
  { memberId: 'm02', votes: 15 },
  { memberId: 'm03', votes: 12 },
  { memberId: 'm04', votes: 11 },
  { memberId: 'm05', votes: 10 },
  { memberId: 'm06', votes: 4 },
];
const WINNERS = ['m01', 'm02', 'm03', 'm04', 'm05'];

describe('election handlers (real store, read-model facts)', () => {
  let bed: OrganisationBed;

  beforeAll(async () => {
    bed = await OrganisationBed.start();
  });
  afterAll(() => bed.close());

  /** b1 governed by a committee: 30 active members (m01-m10 women) and r01, retained. */
  async function electable(w: OrganisationWorld): Promise<void> {
    await tree(w);
    await imported(w, 'b1', { ...roll(30, 10), r01: { status: 'RETAINED' } });
    await committeeForm(w, 'b1');
  }

  const call = (
    w: OrganisationWorld,
    commandId?: string,
    over: Partial<CallElectionCommand['input']> = {},
  ) =>
    w.h.callElection.execute(
      new CallElectionCommand(
        {
          electionId: 'e-1',
          unionId: 'b1',
          kind: 'COMMITTEE',
          seats: 5,
          expectedVoters: 30,
          candidateMemberIds: CANDIDATES,
          termYears: 3,
          calledOn: '2024-03-05',
          ...over,
        },
        w.meta('officer-b1', commandId),
      ),
    );
  const record = (w: OrganisationWorld, commandId?: string, tallies = TALLIES) =>
    w.h.recordResult.execute(
      new RecordElectionResultCommand(
        { electionId: 'e-1', votersPresent: 20, tallies, heldOn: '2024-03-20' },
        w.meta('officer-b1', commandId),
      ),
    );
  const approve = (w: OrganisationWorld, actor: string, commandId?: string) =>
    w.h.approveResult.execute(
      new ApproveElectionResultCommand(
        { electionId: 'e-1', approvedOn: '2024-03-25' },
        w.meta(actor, commandId),
      ),
    );

  describe('CallElection', () => {
    it('calls a committee election among active members of the union', async () => {
      const w = bed.world();
      await electable(w);
      const outcome = await call(w, 'call-1');
      const written = await writtenAfter(w, electionStreamId('e-1'), 0);
      expect(written.heads).toEqual([
        ['ElectionCalled', 1, { actor: 'officer-b1', commandId: 'call-1' }],
      ]);
      expect(written.data).toEqual([
        {
          electionId: 'e-1',
          unionId: 'b1',
          unionLevel: 'BRIGADE',
          kind: 'COMMITTEE',
          seats: 5,
          expectedVoters: 30,
          candidateMemberIds: CANDIDATES,
          termYears: 3,
          calledOn: '2024-03-05',
        },
      ]);
      expect(outcome).toMatchObject({ version: 1, duplicate: false, state: { status: 'CALLED' } });
    });

    it('a repeated command id returns the first result and appends nothing', async () => {
      const w = bed.world();
      await electable(w);
      const first = await call(w, 'call-x');
      const before = await eventCount(w);
      // Re-deciding would say ELECTION_ALREADY_CALLED; the command id returns the first result.
      expect(await call(w, 'call-x')).toMatchObject({
        version: 1,
        position: first.position,
        duplicate: true,
      });
      expect(await eventCount(w)).toBe(before);
    });

    it('Art. 15, 19: retained members neither vote nor stand', async () => {
      const w = bed.world();
      await electable(w);
      const before = await eventCount(w);
      const voters = await domainError(call(w, undefined, { expectedVoters: 31 }));
      expect([voters.code, voters.article?.en, voters.details]).toEqual([
        'EXPECTED_VOTERS_EXCEED_ELIGIBLE',
        'Art. 15',
        { expected: 31, eligible: 30 },
      ]);
      const retained = await domainError(
        call(w, undefined, { candidateMemberIds: [...CANDIDATES, 'r01'] }),
      );
      expect([retained.code, retained.article?.en]).toEqual(['CANDIDATE_NOT_ELIGIBLE', 'Art. 19']);
      expect(await eventCount(w)).toBe(before);
    });
  });

  describe('RecordElectionResult', () => {
    it('judges the result: turnout exactly 2/3, winners at half of those present', async () => {
      const w = bed.world();
      await electable(w);
      await call(w);
      const outcome = await record(w, 'record-1');
      const written = await writtenAfter(w, electionStreamId('e-1'), 1);
      expect(written.heads).toEqual([
        ['ElectionConcluded', 2, { actor: 'officer-b1', commandId: 'record-1' }],
      ]);
      expect(written.data).toEqual([
        {
          electionId: 'e-1',
          heldOn: '2024-03-20',
          votersPresent: 20,
          tallies: TALLIES,
          quorum: 20,
          majority: { base: 'VOTERS_PRESENT', comparison: 'AT_LEAST_HALF' },
          votesNeeded: 10,
          winners: WINNERS,
          unfilledSeats: 0,
        },
      ]);
      expect(outcome).toMatchObject({ version: 2, state: { status: 'CONCLUDED' } });
    });

    it('a repeated command id returns the first result and appends nothing', async () => {
      const w = bed.world();
      await electable(w);
      await call(w);
      const first = await record(w, 'record-x');
      const before = await eventCount(w);
      expect(await record(w, 'record-x')).toMatchObject({
        version: 2,
        position: first.position,
        duplicate: true,
      });
      expect(await eventCount(w)).toBe(before);
    });

    it('Art. 15: no candidate gets more votes than voters present', async () => {
      const w = bed.world();
      await electable(w);
      await call(w);
      const before = await eventCount(w);
      const error = await domainError(
        record(w, undefined, [{ memberId: 'm01', votes: 21 }, ...TALLIES.slice(1)]),
      );
      expect([error.code, error.article?.en, error.details]).toEqual([
        'TALLY_EXCEEDS_VOTERS_PRESENT',
        'Art. 15',
        { votes: 21, present: 20 },
      ]);
      expect(await eventCount(w)).toBe(before);
    });
  });

  describe('ApproveElectionResult', () => {
    async function concluded(w: OrganisationWorld): Promise<void> {
      await electable(w);
      await call(w);
      await record(w);
    }

    it('Art. 29: the parent approves and the union installs the committee, atomically', async () => {
      const w = bed.world();
      await concluded(w);
      w.store.reset();
      const outcome = await approve(w, 'officer-s1', 'approve-1');
      const meta = { actor: 'officer-s1', commandId: 'approve-1' };
      const election = await writtenAfter(w, electionStreamId('e-1'), 2);
      expect(election.heads).toEqual([['ElectionResultApproved', 3, meta]]);
      expect(election.data).toEqual([
        {
          electionId: 'e-1',
          unionId: 'b1',
          kind: 'COMMITTEE',
          seats: 5,
          winners: WINNERS,
          termYears: 3,
          approvedOn: '2024-03-25',
          approvalRef: null,
        },
      ]);
      const union = await writtenAfter(w, unionStreamId('b1'), 2);
      expect(union.heads).toEqual([['CommitteeElected', 3, meta]]);
      expect(union.data).toEqual([
        {
          unionId: 'b1',
          electionId: 'e-1',
          seats: 5,
          memberIds: WINNERS,
          termYears: 3,
          termStart: '2024-03-25',
          termEnd: '2027-03-25',
        },
      ]);
      expect(union.events[0]?.transactionId).toBe(election.events[0]?.transactionId);
      expect(w.store.appendToStreamsCalls).toBe(1);
      expect(outcome).toMatchObject({
        position: union.events[0]?.globalPosition,
        duplicate: false,
        election: { status: 'APPROVED' },
        union: { term: { years: 3, start: '2024-03-25', end: '2027-03-25' } },
      });
    });

    it('a repeated command id returns the first result and appends nothing', async () => {
      const w = bed.world();
      await concluded(w);
      const first = await approve(w, 'officer-s1', 'approve-x');
      const before = await eventCount(w);
      const again = await approve(w, 'officer-s1', 'approve-x');
      expect(again).toMatchObject({ position: first.position, duplicate: true });
      expect(again.union).toEqual(first.union);
      expect(await eventCount(w)).toBe(before);
    });

    it('Art. 29: the union’s own officer cannot approve its election', async () => {
      const w = bed.world();
      await concluded(w);
      const before = await eventCount(w);
      const error = await domainError(approve(w, 'officer-b1'));
      expect([error.code, error.article?.en]).toEqual(['APPROVAL_NOT_BY_PARENT', 'Art. 29']);
      expect(await eventCount(w)).toBe(before);
    });
  });
});
