import { unionStreamId } from '../union.decider';
import { DissolveUnionCommand } from './dissolve-union.handler';
import {
  OrganisationBed,
  domainError,
  eventCount,
  imported,
  tree,
  writtenAfter,
  type OrganisationWorld,
} from './testing/organisation-fixtures';

describe('DissolveUnion handler (real store, read-model facts)', () => {
  let bed: OrganisationBed;

  beforeAll(async () => {
    bed = await OrganisationBed.start();
  });
  afterAll(() => bed.close());

  const dissolve = (w: OrganisationWorld, unionId: string, on: string, commandId?: string) =>
    w.h.dissolve.execute(
      new DissolveUnionCommand(
        { unionId, reason: 'UNIT_REVOKED', adminDecisionRef: ' ADM-2025-3 ', dissolvedOn: on },
        w.meta('officer-s1', commandId),
      ),
    );

  it('Art. 11: an empty union is dissolved and filed with its parent', async () => {
    const w = bed.world();
    await tree(w);
    const outcome = await dissolve(w, 'b2', '2025-07-01', 'dissolve-1');
    const written = await writtenAfter(w, unionStreamId('b2'), 1);
    expect(written.heads).toEqual([
      ['UnionDissolved', 2, { actor: 'officer-s1', commandId: 'dissolve-1' }],
    ]);
    expect(written.data).toEqual([
      {
        unionId: 'b2',
        reason: 'UNIT_REVOKED',
        adminDecisionRef: 'ADM-2025-3',
        filedWithUnionId: 's1',
        dissolvedOn: '2025-07-01',
      },
    ]);
    expect(outcome).toMatchObject({
      version: 2,
      duplicate: false,
      state: { status: 'DISSOLVED' },
    });
  });

  it('a repeated command id returns the first result and appends nothing', async () => {
    const w = bed.world();
    await tree(w);
    const first = await dissolve(w, 'b2', '2025-07-01', 'dissolve-x');
    const before = await eventCount(w);
    // Re-deciding would say UNION_ALREADY_DISSOLVED; the command id returns the first result.
    expect(await dissolve(w, 'b2', '2025-07-01', 'dissolve-x')).toMatchObject({
      version: 2,
      position: first.position,
      duplicate: true,
    });
    expect(await eventCount(w)).toBe(before);
  });

  it('Art. 11: not while an active child union or one active member remains, on that date', async () => {
    const w = bed.world();
    await tree(w);
    await dissolve(w, 'b2', '2025-07-01');
    await w.project();
    const before = await eventCount(w);
    const child = await domainError(dissolve(w, 's1', '2025-07-02'));
    expect([child.code, child.article?.en, child.details]).toEqual([
      'UNION_HAS_ACTIVE_CHILD_UNIONS',
      'Art. 11',
      { children: 1 },
    ]);
    const earlier = await domainError(dissolve(w, 's1', '2025-06-30'));
    expect(earlier.details).toEqual({ children: 2 });

    await imported(w, 'b1', { last: {} });
    const member = await domainError(dissolve(w, 'b1', '2025-07-01'));
    expect([member.code, member.article?.en, member.details]).toEqual([
      'UNION_HAS_ACTIVE_MEMBERS',
      'Art. 11',
      { members: 1 },
    ]);
    expect(await eventCount(w)).toBe(before + 1); // the import only
  });
});
