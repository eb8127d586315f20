import { DomainError } from '@app/core';
import type { RulePreset } from '../../tenant-settings/rule-settings';
import { SetGovernanceFormCommand } from '../../union/handlers/set-governance-form.handler';
import { unionStreamId } from '../../union/union.decider';
import { committeeVacancies } from '../../union/union.state';
import {
  OrganisationBed,
  committeeForm,
  domainError,
  imported,
  roll,
  tree,
  writtenAfter,
  type OrganisationWorld,
} from '../../union/handlers/testing/organisation-fixtures';
import { electionStreamId } from '../election.decider';
import {
  ApproveElectionResultCommand,
  type ApproveElectionOutcome,
} from './approve-election-result.handler';
import { CallElectionCommand } from './call-election.handler';
import { RecordElectionResultCommand } from './record-election-result.handler';

/** Full turnout of 30: m03 has exactly half the votes. */
const TALLIES = [
  { memberId: 'm01', votes: 20 },
  { memberId: 'm02', votes: 18 },
  { memberId: 'm03', votes: 15 },
  { memberId: 'm04', votes: 10 },
];

describe('election flow end to end, and racing approvals (real store, read-model facts)', () => {
  let bed: OrganisationBed;

  beforeAll(async () => {
    bed = await OrganisationBed.start();
  });
  afterAll(() => bed.close());

  /** b1 under the preset, 30 active members, governed by a committee. */
  async function electable(w: OrganisationWorld, preset: RulePreset): Promise<void> {
    await tree(w, preset);
    await imported(w, 'b1', roll(30, 10));
    await committeeForm(w, 'b1');
  }

  /** A committee election for three seats, four candidates, a five-year term. */
  async function held(w: OrganisationWorld, votersPresent = 30, tallies = TALLIES): Promise<void> {
    await w.h.callElection.execute(
      new CallElectionCommand(
        {
          electionId: 'e-1',
          unionId: 'b1',
          kind: 'COMMITTEE',
          seats: 3,
          expectedVoters: 30,
          candidateMemberIds: TALLIES.map((t) => t.memberId),
          termYears: 5,
          calledOn: '2024-03-05',
        },
        w.meta('officer-b1'),
      ),
    );
    await w.h.recordResult.execute(
      new RecordElectionResultCommand(
        { electionId: 'e-1', votersPresent, tallies, heldOn: '2024-03-20' },
        w.meta('officer-b1'),
      ),
    );
  }

  const approve = (w: OrganisationWorld, actor: string, commandId?: string) =>
    w.h.approveResult.execute(
      new ApproveElectionResultCommand(
        { electionId: 'e-1', approvedOn: '2024-03-25' },
        w.meta(actor, commandId),
      ),
    );

  /** What the union stream says after the committee's events, and how often it was elected. */
  async function installs(w: OrganisationWorld): Promise<string[]> {
    const { heads } = await writtenAfter(w, unionStreamId('b1'), 2);
    return heads.map(([type]) => type);
  }

  it.each([
    ['ENTERPRISE_REGULATION', 15, ['m01', 'm02', 'm03'], 0],
    ['NATIONAL', 16, ['m01', 'm02'], 1],
  ] as const)(
    'call → record → approve under %s: %i votes needed, exactly half elected only under the enterprise rule',
    async (preset, needed, winners, vacancies) => {
      const w = bed.world();
      await electable(w, preset);
      await held(w);
      const judged = await writtenAfter(w, electionStreamId('e-1'), 1);
      expect(judged.heads.map(([type]) => type)).toEqual(['ElectionConcluded']);
      expect(judged.data[0]).toMatchObject({ quorum: 20, votesNeeded: needed, winners });

      const approved = await approve(w, 'officer-s1');
      expect(approved.election.status).toBe('APPROVED');
      const union = await writtenAfter(w, unionStreamId('b1'), 2);
      expect(union.heads.map(([type]) => type)).toEqual(['CommitteeElected']);
      expect(union.data[0]).toEqual({
        unionId: 'b1',
        electionId: 'e-1',
        seats: 3,
        memberIds: winners,
        termYears: 5,
        termStart: '2024-03-25',
        termEnd: '2029-03-25',
      });
      if (approved.union.status !== 'ACTIVE') throw new Error('expected an active union');
      expect(approved.union.term).toEqual({
        years: 5,
        start: '2024-03-25',
        end: '2029-03-25',
        extensions: [],
      });
      expect(approved.union.committee?.members.map((s) => s.memberId)).toEqual(winners);
      expect(committeeVacancies(approved.union.committee)).toBe(vacancies);
    },
  );

  it('one voter under 2/3 fails the election; a failed result is not approved and installs nothing', async () => {
    const w = bed.world();
    await electable(w, 'ENTERPRISE_REGULATION');
    await held(w, 19, [
      { memberId: 'm01', votes: 19 },
      { memberId: 'm02', votes: 15 },
    ]);
    const judged = await writtenAfter(w, electionStreamId('e-1'), 1);
    expect(judged.heads.map(([type]) => type)).toEqual(['ElectionFailed']);
    expect(judged.data[0]).toMatchObject({ reason: 'QUORUM_NOT_REACHED', quorum: 20 });
    const error = await domainError(approve(w, 'officer-s1'));
    expect([error.code, error.article?.en]).toEqual(['ELECTION_NOT_CONCLUDED', 'Art. 29']);
    expect(await installs(w)).toEqual([]);
  });

  it('an approval that lands between another’s read and append: one wins, the other is told why', async () => {
    const w = bed.world();
    await electable(w, 'ENTERPRISE_REGULATION');
    await held(w);
    let second: ApproveElectionOutcome | null = null;
    let injected = 0;
    w.store.beforeAppend = async () => {
      if (injected++ > 0) return;
      second = await approve(w, 'hq', 'approve-hq');
    };
    const first = await domainError(approve(w, 'officer-s1', 'approve-s1'));
    w.store.beforeAppend = null;
    expect([first.code, first.article?.en, first.kind]).toEqual([
      'ELECTION_ALREADY_APPROVED',
      'Art. 29',
      'CONFLICT',
    ]);
    expect(second).toMatchObject({ duplicate: false, election: { status: 'APPROVED' } });
    const election = await writtenAfter(w, electionStreamId('e-1'), 2);
    expect(election.heads).toEqual([
      ['ElectionResultApproved', 3, { actor: 'hq', commandId: 'approve-hq' }],
    ]);
    expect(await installs(w)).toEqual(['CommitteeElected']);
  });

  it('two approvals racing for real: exactly one installs the committee', async () => {
    const w = bed.world();
    await electable(w, 'ENTERPRISE_REGULATION');
    await held(w);
    const settled = await Promise.allSettled([approve(w, 'officer-s1'), approve(w, 'hq')]);
    const won = settled.filter((s) => s.status === 'fulfilled');
    const lost = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(DomainError);
    expect(lost[0]).toMatchObject({ code: 'ELECTION_ALREADY_APPROVED' });
    expect(await installs(w)).toEqual(['CommitteeElected']);
  });

  it('the same approval sent twice at once: one result, the other marked a duplicate of it', async () => {
    const w = bed.world();
    await electable(w, 'ENTERPRISE_REGULATION');
    await held(w);
    const both = await Promise.all([
      approve(w, 'officer-s1', 'approve-once'),
      approve(w, 'officer-s1', 'approve-once'),
    ]);
    expect(both.map((o) => o.duplicate).sort()).toEqual([false, true]);
    expect(both[0].position).toBe(both[1].position);
    expect(await installs(w)).toEqual(['CommitteeElected']);
  });

  it('a write to the union between read and append is re-judged once and then installs', async () => {
    const w = bed.world();
    await electable(w, 'ENTERPRISE_REGULATION');
    await held(w);
    w.store.reset();
    let injected = 0;
    w.store.beforeAppend = async () => {
      if (injected++ > 0) return;
      await w.h.governance.execute(
        new SetGovernanceFormCommand(
          { unionId: 'b1', form: 'COMMITTEE', effectiveOn: '2024-03-22' },
          w.meta('hq', 'form-again'),
        ),
      );
    };
    const outcome = await approve(w, 'officer-s1', 'approve-retry');
    w.store.beforeAppend = null;
    expect(outcome).toMatchObject({ duplicate: false, election: { status: 'APPROVED' } });
    expect(w.store.appendToStreamsCalls).toBe(2);
    const union = await writtenAfter(w, unionStreamId('b1'), 2);
    expect(union.heads).toEqual([
      ['GovernanceFormSet', 3, { actor: 'hq', commandId: 'form-again' }],
      ['CommitteeElected', 4, { actor: 'officer-s1', commandId: 'approve-retry' }],
    ]);
  });
});
