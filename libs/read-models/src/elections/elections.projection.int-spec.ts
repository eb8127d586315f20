import type { Event, IsoDate } from '@app/core';
import { withTenant } from '@app/database';
import { electionById, ElectionsProjection, electionsOfUnion } from '@app/read-models';
import type { MajorityRule } from '@app/unions';
import { GovernanceHarness } from '../compliance/governance.fixtures';

const MAJORITY: MajorityRule = { base: 'VOTERS_PRESENT', comparison: 'AT_LEAST_HALF' };

const called = (electionId: string, unionId: string, calledOn: IsoDate = '2026-03-01'): Event => ({
  type: 'ElectionCalled',
  data: {
    electionId,
    unionId,
    unionLevel: 'TEAM',
    kind: 'COMMITTEE',
    seats: 3,
    expectedVoters: 30,
    candidateMemberIds: ['c1', 'c2', 'c3', 'c4'],
    termYears: 3,
    calledOn,
  },
});
const tallies = [
  { memberId: 'c1', votes: 20 },
  { memberId: 'c2', votes: 18 },
  { memberId: 'c3', votes: 13 },
  { memberId: 'c4', votes: 5 },
];
const concluded = (electionId: string): Event => ({
  type: 'ElectionConcluded',
  data: {
    electionId,
    heldOn: '2026-03-10',
    votersPresent: 24,
    tallies,
    quorum: 20,
    majority: MAJORITY,
    votesNeeded: 12,
    winners: ['c1', 'c2', 'c3'],
    unfilledSeats: 0,
  },
});
const failed = (electionId: string): Event => ({
  type: 'ElectionFailed',
  data: {
    electionId,
    heldOn: '2026-03-10',
    votersPresent: 19,
    tallies: [],
    quorum: 20,
    majority: MAJORITY,
    votesNeeded: 10,
    reason: 'QUORUM_NOT_REACHED',
    tiedMemberIds: [],
  },
});
const approved = (electionId: string, unionId: string): Event => ({
  type: 'ElectionResultApproved',
  data: {
    electionId,
    unionId,
    kind: 'COMMITTEE',
    seats: 3,
    winners: ['c1', 'c2', 'c3'],
    termYears: 3,
    approvedOn: '2026-03-15',
    approvalRef: null,
  },
});

describe('elections projection', () => {
  let h: GovernanceHarness;
  beforeAll(async () => {
    h = await GovernanceHarness.start();
  });
  afterAll(() => h.close());

  const election = (t: string, id: string) => h.read(t, (c) => electionById(c, t, id));

  it('follows an election from call to approval, with turnout and winners', async () => {
    const t = await h.tenant();
    await h.tree(t);
    await h.append(t, 'election-e1', [called('e1', 't1')]);
    expect(await election(t, 'e1')).toEqual({
      id: 'e1',
      unionId: 't1',
      kind: 'COMMITTEE',
      status: 'CALLED',
      seats: 3,
      expectedVoters: 30,
      votersPresent: null,
      turnout: null,
      quorum: null,
      votesNeeded: null,
      candidateMemberIds: ['c1', 'c2', 'c3', 'c4'],
      tallies: [],
      winners: [],
      unfilledSeats: null,
      failureReason: null,
      tiedMemberIds: [],
      termYears: 3,
      calledOn: '2026-03-01',
      heldOn: null,
      approvedOn: null,
    });
    await h.append(t, 'election-e1', [concluded('e1')]);
    expect(await election(t, 'e1')).toMatchObject({
      status: 'CONCLUDED',
      votersPresent: 24,
      turnout: 0.8,
      quorum: 20,
      votesNeeded: 12,
      tallies,
      winners: ['c1', 'c2', 'c3'],
      unfilledSeats: 0,
      heldOn: '2026-03-10',
    });
    await h.append(t, 'election-e1', [approved('e1', 't1')]);
    expect(await election(t, 'e1')).toMatchObject({
      status: 'APPROVED',
      approvedOn: '2026-03-15',
      winners: ['c1', 'c2', 'c3'],
    });
    const path = await h.read(t, async (c) => {
      const { rows } = await c.query<{ union_path: string }>(
        "SELECT union_path FROM rm_elections WHERE election_id = 'e1'",
      );
      return rows[0]?.union_path;
    });
    expect(path).toBe('/co/s1/b1/t1/');
  });

  it('keeps the failure reason of a failed election and never approves it', async () => {
    const t = await h.tenant();
    await h.tree(t);
    await h.append(t, 'election-e2', [called('e2', 't2'), failed('e2'), approved('e2', 't2')]);
    expect(await election(t, 'e2')).toMatchObject({
      status: 'FAILED',
      failureReason: 'QUORUM_NOT_REACHED',
      votersPresent: 19,
      turnout: 0.6333,
      winners: [],
      approvedOn: null,
    });
    expect(await election(t, 'unknown')).toBeNull();
  });

  it('lists a union’s elections, latest call first, optionally by status', async () => {
    const t = await h.tenant();
    await h.tree(t);
    await h.append(t, 'election-a', [called('a', 't1', '2025-01-01'), concluded('a')]);
    await h.append(t, 'election-b', [called('b', 't1', '2026-01-01')]);
    await h.append(t, 'election-c', [called('c', 't2', '2026-02-01')]);
    const ids = (status?: 'CALLED' | 'CONCLUDED') =>
      h.read(t, async (c) =>
        (await electionsOfUnion(c, t, 't1', status ? { status } : {})).map((e) => e.id),
      );
    expect(await ids()).toEqual(['b', 'a']);
    expect(await ids('CONCLUDED')).toEqual(['a']);
  });

  it('changes nothing when the same batch is applied twice', async () => {
    const t = await h.tenant();
    await h.tree(t);
    await h.append(t, 'election-e3', [called('e3', 't1'), concluded('e3'), approved('e3', 't1')]);
    const snapshot = () =>
      h.read(
        t,
        async (c) =>
          (
            await c.query<Record<string, unknown>>(
              'SELECT * FROM rm_elections ORDER BY election_id',
            )
          ).rows,
      );
    const before = await snapshot();
    expect(before).toHaveLength(1);
    const { events } = await h.store.readAll({ tenantId: t, limit: 1000 });
    const projection = new ElectionsProjection();
    const twice = () =>
      withTenant(h.db.appPool, t, async (c) => {
        await projection.apply(c, { tenantId: t, events });
        await projection.apply(c, { tenantId: t, events });
      });
    await twice();
    expect(await snapshot()).toEqual(before);
    await withTenant(h.db.appPool, t, (c) => c.query('DELETE FROM rm_elections'));
    await twice();
    expect(await snapshot()).toEqual(before);
  });
});
