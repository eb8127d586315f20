import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@app/event-store';
import {
  ActorUnits,
  DuesProjection,
  ProjectionRunner,
  ReadModelMemberFacts,
  ReadModelUnionFacts,
  RegistryProjection,
} from '@app/read-models';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import {
  absent,
  applied,
  established,
  imported,
  paid,
  retired,
  smallTree,
  withdrew,
} from './facts.fixtures';

describe('fact adapters over the read models (UNION_FACTS, MEMBER_FACTS)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let actors: ActorUnits;
  let unions: ReadModelUnionFacts;
  let members: ReadModelMemberFacts;
  const A = `tenant-a-${randomUUID()}`;
  const B = `tenant-b-${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool);
    actors = new ActorUnits();
    unions = new ReadModelUnionFacts(db.appPool, actors);
    members = new ReadModelMemberFacts(db.appPool, actors);
    await smallTree(store, A);
    const m = (id: string, ...events: Parameters<typeof store.appendToStream>[2]) =>
      store.appendToStream(A, `member-${id}`, events);
    await m(
      'w1',
      imported('w1', 'b1', { gender: 'FEMALE', cardNumber: 'M00000007', generated: true }),
    );
    await m('w2', imported('w2', 'b1', { gender: 'FEMALE', joinedOn: '2024-07-01' }));
    await m('h1', imported('h1', 't1', { cardNumber: 'M00000012', generated: true }));
    await m('h2', imported('h2', 't1', { status: 'RETAINED' }));
    await m('h3', imported('h3', 'b1'), withdrew('h3', 'b1', '2024-08-15'));
    await m('ap', applied('ap', 't1'));
    await m(
      'old',
      imported('old', 'b2', { cardNumber: 'M99' }),
      withdrew('old', 'b2', '2024-06-01'),
    );
    await m('pay', imported('pay', 'b1', { joinedOn: '2024-01-05' }), paid('pay', 'b1', '2024-03'));
    await m('ret', imported('ret', 'b1'), retired('ret', 'b1', '2024-09-01'));
    await m('abs', imported('abs', 't1'), absent('abs', 't1'));
    // another tenant with ids of its own and one id that A also uses
    await store.appendToStream(B, 'union-xb', [established('xb', 'COMPANY', null)]);
    await store.appendToStream(B, 'union-b1', [established('b1', 'COMPANY', null)]);
    await store.appendToStream(B, 'member-xm', [
      imported('xm', 'xb', { cardNumber: 'M00000900', generated: true }),
    ]);
    await new ProjectionRunner(store, db.appPool, [
      new RegistryProjection(),
      new DuesProjection(),
    ]).catchUp();
    actors.register(A, 'officer-b1', '/co/s1/b1/');
    actors.register(A, 'officer-co', '/');
    actors.register(B, 'officer-xb', '/');
  });
  afterAll(() => db.close());

  describe('UNION_FACTS', () => {
    it('looks a union up by id; unknown and other-tenant ids are NOT_FOUND', async () => {
      expect(await unions.union(A, 'b1')).toEqual({
        unionId: 'b1',
        status: 'ACTIVE',
        level: 'BRIGADE',
      });
      expect(await unions.union(A, 'p1')).toMatchObject({
        status: 'PENDING_APPROVAL',
        level: 'TEAM',
      });
      expect(await unions.union(A, 'b2')).toMatchObject({ status: 'DISSOLVED' });
      expect(await unions.union(A, 'nope')).toEqual({ unionId: 'nope', status: 'NOT_FOUND' });
      expect(await unions.union(A, 'xb')).toEqual({ unionId: 'xb', status: 'NOT_FOUND' });
      expect(await unions.union(B, 'b1')).toMatchObject({ status: 'ACTIVE', level: 'COMPANY' });
    });

    it('names the pending and active siblings, except the one asked for', async () => {
      expect(await unions.siblingNames(A, 's1', 'new')).toEqual(['name-b1', 'name-p1']);
      expect(await unions.siblingNames(A, 's1', 'b1')).toEqual(['name-p1']);
      expect(await unions.siblingNames(A, 'nope', 'x')).toEqual([]);
      expect(await unions.siblingNames(B, 's1', 'x')).toEqual([]);
    });

    it('knows officers from the registered unit: the unit and everything below it', async () => {
      expect(await unions.isOfficerOf(A, 'officer-b1', 'b1')).toBe(true);
      expect(await unions.isOfficerOf(A, 'officer-b1', 'g1')).toBe(true);
      expect(await unions.isOfficerOf(A, 'officer-b1', 's1')).toBe(false);
      expect(await unions.isOfficerOf(A, 'officer-co', 's1')).toBe(true);
      expect(await unions.isOfficerOf(A, 'officer-co', 'nope')).toBe(false);
      expect(await unions.isOfficerOf(A, 'officer-co', 'xb')).toBe(false);
      expect(await unions.isOfficerOf(A, 'nobody', 'b1')).toBe(false);
      // a registration in one tenant is nothing in another
      expect(await unions.isOfficerOf(B, 'officer-b1', 'xb')).toBe(false);
    });

    it('counts the roll on a date from the history', async () => {
      // b1's own roll: w1 (F), pay, ret, h3 until 2024-08-15; w2 (F) from 2024-07-01
      expect(await unions.counts(A, 'b1', '2024-06-01')).toEqual({
        activeMembers: 4,
        eligibleVoters: 4,
        femaleMembers: 1,
        activeChildUnions: 2,
      });
      // the subtree: b1's roll plus t1's (h1, abs; h2 retained, ap applied)
      expect(await unions.counts(A, 's1', '2024-09-01')).toMatchObject({
        activeMembers: 6,
        femaleMembers: 2,
        activeChildUnions: 1, // b1 (b2 dissolved, p1 pending)
      });
      expect((await unions.counts(A, 's1', '2024-06-01')).activeChildUnions).toBe(2);
      // a group holds no members; its electorate is its grassroots union's own roll
      expect(await unions.counts(A, 'g1', '2024-09-01')).toEqual({
        activeMembers: 0,
        eligibleVoters: 4,
        femaleMembers: 0,
        activeChildUnions: 0,
      });
      expect(await unions.counts(A, 'nope', '2024-09-01')).toMatchObject({ activeMembers: 0 });
      expect(await unions.counts(B, 'b1', '2024-09-01')).toMatchObject({ activeMembers: 0 });
    });

    it('looks members up, and candidates with their electorate and gender', async () => {
      expect(await unions.member(A, 'h2')).toEqual({
        memberId: 'h2',
        status: 'RETAINED',
        unionId: 't1',
      });
      expect(await unions.member(A, 'xm')).toEqual({ memberId: 'xm', status: 'NOT_FOUND' });
      expect(await unions.candidates(A, 'b1', ['w1', 'h1', 'nope', 'xm', 'w1'])).toEqual([
        { memberId: 'w1', status: 'ACTIVE', inElectorate: true, female: true },
        { memberId: 'h1', status: 'ACTIVE', inElectorate: false, female: false }, // t1's roll
        { memberId: 'nope', status: 'NOT_FOUND', inElectorate: false, female: false },
        { memberId: 'xm', status: 'NOT_FOUND', inElectorate: false, female: false },
      ]);
      expect(await unions.candidates(A, 't1', ['w1', 'h1'])).toMatchObject([
        { memberId: 'w1', inElectorate: false },
        { memberId: 'h1', inElectorate: true },
      ]);
      expect(await unions.candidates(A, 'g1', ['w1'])).toMatchObject([{ inElectorate: true }]);
      expect(await unions.candidates(A, 's1', ['h1'])).toMatchObject([{ inElectorate: true }]);
      expect(await unions.candidates(A, 'b1', [])).toEqual([]);
    });
  });

  describe('MEMBER_FACTS', () => {
    it('gives a union with its ancestry; rejected, unknown and foreign ids are NOT_FOUND', async () => {
      expect(await members.union(A, 't1')).toEqual({
        unionId: 't1',
        level: 'TEAM',
        status: 'ACTIVE',
        path: [
          { unionId: 'co', level: 'COMPANY' },
          { unionId: 's1', level: 'SECONDARY_UNIT' },
          { unionId: 'b1', level: 'BRIGADE' },
          { unionId: 't1', level: 'TEAM' },
        ],
      });
      expect(await members.union(A, 'co')).toMatchObject({ path: [{ unionId: 'co' }] });
      expect(await members.union(A, 'r1')).toEqual({ unionId: 'r1', status: 'NOT_FOUND' });
      expect(await unions.union(A, 'r1')).toMatchObject({ status: 'REJECTED' });
      expect(await members.union(A, 'nope')).toEqual({ unionId: 'nope', status: 'NOT_FOUND' });
      expect(await members.union(A, 'xb')).toEqual({ unionId: 'xb', status: 'NOT_FOUND' });
    });

    it('tells which unions the user acts for', async () => {
      const asked = ['b1', 't1', 'g1', 's1', 'co', 'b2', 'nope', 'xb'];
      expect((await members.actsFor(A, 'officer-b1', asked)).sort()).toEqual(['b1', 'g1', 't1']);
      expect((await members.actsFor(A, 'officer-co', asked)).sort()).toEqual(
        ['b1', 'b2', 'co', 'g1', 's1', 't1'].sort(),
      );
      expect(await members.actsFor(A, 'nobody', asked)).toEqual([]);
      expect(await members.actsFor(B, 'officer-xb', ['xb', 'b1', 't1'])).toEqual(['xb', 'b1']);
    });

    it('reads a union path once (paths never change once established)', async () => {
      const fresh = new ReadModelMemberFacts(db.appPool, actors);
      expect(await fresh.actsFor(A, 'officer-b1', ['t1'])).toEqual(['t1']);
      const path = "SELECT path FROM rm_unions WHERE tenant_id = $1 AND union_id = 't1'";
      const { rows } = await db.ownerPool.query<{ path: string }>(path, [A]);
      const move = (to: string) =>
        db.ownerPool.query(
          "UPDATE rm_unions SET path = $2 WHERE tenant_id = $1 AND union_id = 't1'",
          [A, to],
        );
      // were it read again, this path (outside b1's subtree) would refuse the officer
      await move('/elsewhere/t1/');
      try {
        expect(await fresh.actsFor(A, 'officer-b1', ['t1'])).toEqual(['t1']);
        const another = new ReadModelMemberFacts(db.appPool, actors);
        expect(await another.actsFor(A, 'officer-b1', ['t1'])).toEqual([]);
      } finally {
        await move(rows[0]!.path);
      }
    });

    it('finds employee numbers in use among memberships that have not ended', async () => {
      expect(await members.employeeNoInUse(A, 'E-w1', 'someone-else')).toBe(true);
      expect(await members.employeeNoInUse(A, '  E-w1 ', 'someone-else')).toBe(true);
      expect(await members.employeeNoInUse(A, 'E-w1', 'w1')).toBe(false);
      expect(await members.employeeNoInUse(A, 'E-ap', 'x')).toBe(true); // APPLIED
      expect(await members.employeeNoInUse(A, 'E-h2', 'x')).toBe(true); // RETAINED
      expect(await members.employeeNoInUse(A, 'E-h3', 'x')).toBe(false); // withdrawn
      expect(await members.employeeNoInUse(A, 'E-xm', 'x')).toBe(false); // tenant B
      expect(await members.employeeNoInUse(B, 'E-xm', 'x')).toBe(true);
    });

    it('gives the highest generated card sequence of the tenant', async () => {
      expect(await members.lastGeneratedCardSequence(A)).toBe(12);
      expect(await members.lastGeneratedCardSequence(B)).toBe(900);
      expect(await members.lastGeneratedCardSequence(`empty-${randomUUID()}`)).toBe(0);
    });

    it('gives payroll facts set-based; unknown and foreign members are absent', async () => {
      const ids = ['pay', 'ret', 'ap', 'h3', 'abs', 'nope', 'xm'];
      const march = await members.payrollMembers(A, '2024-03', ids);
      expect([...march.keys()].sort()).toEqual(['abs', 'ap', 'h3', 'pay', 'ret']);
      expect(march.get('pay')).toEqual({
        standing: 'MEMBER',
        joinedPeriod: '2024-01',
        exemptFrom: null,
        periodAlreadyPaid: true,
        unionPath: ['co', 's1', 'b1'],
        streamVersion: 2,
      });
      expect(march.get('ret')).toMatchObject({ exemptFrom: '2024-09', streamVersion: 2 });
      expect(march.get('ap')).toMatchObject({ standing: 'NOT_APPROVED', joinedPeriod: '2024-05' });
      expect(march.get('h3')).toMatchObject({ standing: 'ENDED', joinedPeriod: '2024-08' });
      // an absence moves the registry on but not the dues model: the facts are still current
      expect(march.get('abs')).toMatchObject({ standing: 'MEMBER', streamVersion: 2 });
      expect((await members.payrollMembers(A, '2024-04', ['pay'])).get('pay')).toMatchObject({
        periodAlreadyPaid: false,
      });
      expect(await members.payrollMembers(A, '2024-03', [])).toEqual(new Map());
    });
  });
});
