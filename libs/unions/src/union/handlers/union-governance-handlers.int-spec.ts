import { unionStreamId } from '../union.decider';
import type { CommitteeRole } from '../union.state';
import { AssignCommitteeRolesCommand } from './assign-committee-roles.handler';
import { ExtendTermCommand } from './extend-term.handler';
import { SetGovernanceFormCommand } from './set-governance-form.handler';
import {
  OrganisationBed,
  domainError,
  eventCount,
  imported,
  roll,
  seatedBrigade,
  tree,
  writtenAfter,
  type OrganisationWorld,
} from './testing/organisation-fixtures';

describe('governance form, committee roles and term handlers (real store, read-model facts)', () => {
  let bed: OrganisationBed;

  beforeAll(async () => {
    bed = await OrganisationBed.start();
  });
  afterAll(() => bed.close());

  describe('SetGovernanceForm', () => {
    const organiser = (w: OrganisationWorld, commandId?: string) =>
      w.h.governance.execute(
        new SetGovernanceFormCommand(
          { unionId: 'b1', form: 'ORGANIZER', organizerMemberId: 'm01', effectiveOn: '2024-03-01' },
          w.meta('officer-s1', commandId),
        ),
      );

    it('Art. 6: below 25 active members an organiser or a joint committee may govern', async () => {
      const w = bed.world();
      await tree(w);
      await imported(w, 'b1', roll(24, 0));
      const outcome = await organiser(w, 'form-1');
      const written = await writtenAfter(w, unionStreamId('b1'), 1);
      expect(written.heads).toEqual([
        ['GovernanceFormSet', 2, { actor: 'officer-s1', commandId: 'form-1' }],
      ]);
      expect(written.data).toEqual([
        {
          unionId: 'b1',
          form: 'ORGANIZER',
          jointWithUnionIds: [],
          organizerMemberId: 'm01',
          activeMembers: 24,
          effectiveOn: '2024-03-01',
        },
      ]);
      expect(outcome).toMatchObject({
        version: 2,
        duplicate: false,
        state: { governance: { form: 'ORGANIZER', organizerMemberId: 'm01' } },
      });

      const joint = await w.h.governance.execute(
        new SetGovernanceFormCommand(
          { unionId: 'b2', form: 'JOINT_COMMITTEE', jointWithUnionIds: ['b1'] },
          w.meta('officer-s1'),
        ),
      );
      expect(joint.state).toMatchObject({
        governance: { form: 'JOINT_COMMITTEE', jointWithUnionIds: ['b1'] },
      });
    });

    it('a repeated command id returns the first result and appends nothing', async () => {
      const w = bed.world();
      await tree(w);
      await imported(w, 'b1', roll(3, 0));
      const first = await organiser(w, 'form-x');
      const before = await eventCount(w);
      expect(await organiser(w, 'form-x')).toMatchObject({
        version: 2,
        position: first.position,
        duplicate: true,
      });
      expect(await eventCount(w)).toBe(before);
    });

    it('Art. 6: at 25 active members only a committee is allowed', async () => {
      const w = bed.world();
      await tree(w);
      await imported(w, 'b1', roll(25, 0));
      const before = await eventCount(w);
      const error = await domainError(organiser(w));
      expect([error.code, error.article?.en, error.details]).toEqual([
        'COMMITTEE_REQUIRED',
        'Art. 6',
        { members: 25, threshold: 25 },
      ]);
      expect(await eventCount(w)).toBe(before);
    });
  });

  describe('AssignCommitteeRoles', () => {
    const portfolios = (women: string | null): { memberId: string; roles: CommitteeRole[] }[] => [
      {
        memberId: 'm01',
        roles: women === 'm01' ? ['WOMEN_WORKERS', 'ORGANIZATION'] : ['ORGANIZATION'],
      },
      { memberId: 'm02', roles: ['DEMOCRATIC_MANAGEMENT', 'VICE_CHAIR'] },
      {
        memberId: 'm11',
        roles:
          women === 'm11' ? ['PROPAGANDA_EDUCATION', 'WOMEN_WORKERS'] : ['PROPAGANDA_EDUCATION'],
      },
      { memberId: 'm12', roles: ['LABOR'] },
      { memberId: 'm13', roles: ['LIVELIHOOD'] },
    ];
    const assign = (w: OrganisationWorld, women: string | null, commandId?: string) =>
      w.h.roles.execute(
        new AssignCommitteeRolesCommand(
          { unionId: 'b1', assignments: portfolios(women), decidedOn: '2024-04-01' },
          w.meta('officer-b1', commandId),
        ),
      );

    it('Art. 8, 9: every portfolio held, a woman on the committee as women workers’ member', async () => {
      const w = bed.world();
      await seatedBrigade(w);
      const outcome = await assign(w, 'm01', 'roles-1');
      const written = await writtenAfter(w, unionStreamId('b1'), 3);
      expect(written.heads).toEqual([
        ['CommitteeRolesAssigned', 4, { actor: 'officer-b1', commandId: 'roles-1' }],
      ]);
      expect(written.data).toEqual([
        {
          unionId: 'b1',
          assignments: [
            { memberId: 'm01', roles: ['ORGANIZATION', 'WOMEN_WORKERS'] },
            { memberId: 'm02', roles: ['VICE_CHAIR', 'DEMOCRATIC_MANAGEMENT'] },
            { memberId: 'm11', roles: ['PROPAGANDA_EDUCATION'] },
            { memberId: 'm12', roles: ['LABOR'] },
            { memberId: 'm13', roles: ['LIVELIHOOD'] },
          ],
          decidedOn: '2024-04-01',
        },
      ]);
      expect(outcome).toMatchObject({ version: 4, position: written.events[0]?.globalPosition });
    });

    it('a repeated command id returns the first result and appends nothing', async () => {
      const w = bed.world();
      await seatedBrigade(w);
      const first = await assign(w, 'm01', 'roles-x');
      const before = await eventCount(w);
      expect(await assign(w, 'm01', 'roles-x')).toMatchObject({
        version: 4,
        position: first.position,
        duplicate: true,
      });
      expect(await eventCount(w)).toBe(before);
    });

    it('Art. 9: with 10 female members a women workers’ member is required, and she is a woman', async () => {
      const w = bed.world();
      await seatedBrigade(w);
      const before = await eventCount(w);
      const missing = await domainError(assign(w, null));
      expect([missing.code, missing.article?.en, missing.details]).toEqual([
        'WOMEN_WORKERS_MEMBER_REQUIRED',
        'Art. 9',
        { femaleMembers: 10, threshold: 25 },
      ]);
      const male = await domainError(assign(w, 'm11'));
      expect([male.code, male.article?.en]).toEqual(['WOMEN_WORKERS_MEMBER_NOT_FEMALE', 'Art. 9']);
      expect(await eventCount(w)).toBe(before);
    });
  });

  describe('ExtendTerm', () => {
    const extend = (w: OrganisationWorld, months: number, commandId?: string, special = false) =>
      w.h.extend.execute(
        new ExtendTermCommand(
          { unionId: 'b1', months, special, approvalRef: ' S1-2025-7 ', decidedOn: '2025-07-01' },
          w.meta('officer-b1', commandId),
        ),
      );

    it('Art. 7: the parent approves an extension of up to six months', async () => {
      const w = bed.world();
      await seatedBrigade(w);
      const outcome = await extend(w, 6, 'extend-1');
      const written = await writtenAfter(w, unionStreamId('b1'), 3);
      expect(written.heads).toEqual([
        ['TermExtended', 4, { actor: 'officer-b1', commandId: 'extend-1' }],
      ]);
      expect(written.data).toEqual([
        {
          unionId: 'b1',
          months: 6,
          special: false,
          approvalRef: 'S1-2025-7',
          previousEnd: '2027-03-25',
          newEnd: '2027-09-25',
          decidedOn: '2025-07-01',
        },
      ]);
      expect(outcome).toMatchObject({
        version: 4,
        state: { term: { start: '2024-03-25', end: '2027-09-25' } },
      });
    });

    it('a repeated command id returns the first result and appends nothing', async () => {
      const w = bed.world();
      await seatedBrigade(w);
      const first = await extend(w, 6, 'extend-x');
      const before = await eventCount(w);
      // Re-deciding would say TERM_ALREADY_EXTENDED; the command id returns the first result.
      expect(await extend(w, 6, 'extend-x')).toMatchObject({
        position: first.position,
        duplicate: true,
      });
      expect(await eventCount(w)).toBe(before);
    });

    it('Art. 7: seven months only in a special case, and one extension per term', async () => {
      const w = bed.world();
      await seatedBrigade(w);
      const before = await eventCount(w);
      const long = await domainError(extend(w, 7));
      expect([long.code, long.article?.en, long.details]).toEqual([
        'TERM_EXTENSION_TOO_LONG',
        'Art. 7',
        { months: 7, max: 6, special: false },
      ]);
      expect(await eventCount(w)).toBe(before);
      await extend(w, 7, undefined, true);
      const twice = await domainError(extend(w, 1));
      expect([twice.code, twice.article?.en]).toEqual(['TERM_ALREADY_EXTENDED', 'Art. 7']);
      expect(await eventCount(w)).toBe(before + 1);
    });
  });
});
