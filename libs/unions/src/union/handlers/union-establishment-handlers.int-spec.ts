import { CallElectionCommand } from '../../election/handlers/call-election.handler';
import { unionStreamId } from '../union.decider';
import { ApproveUnionEstablishmentCommand } from './approve-union-establishment.handler';
import { EstablishUnionCommand } from './establish-union.handler';
import { RejectUnionEstablishmentCommand } from './reject-union-establishment.handler';
import { RequestUnionEstablishmentCommand } from './request-union-establishment.handler';
import {
  OrganisationBed,
  domainError,
  eventCount,
  provisioned,
  tree,
  writtenAfter,
  type OrganisationWorld,
} from './testing/organisation-fixtures';

describe('union establishment and dissolution handlers (real store, read-model facts)', () => {
  let bed: OrganisationBed;

  beforeAll(async () => {
    bed = await OrganisationBed.start();
  });
  afterAll(() => bed.close());

  const establish = (w: OrganisationWorld, actor: string, commandId?: string, name = 'Unit one') =>
    w.h.establish.execute(
      new EstablishUnionCommand(
        {
          unionId: 's9',
          parentId: 'co',
          name,
          level: 'SECONDARY_UNIT',
          establishedOn: '2024-01-10',
        },
        w.meta(actor, commandId),
      ),
    );
  const request = (w: OrganisationWorld, commandId?: string, name = ' Night team ') =>
    w.h.request.execute(
      new RequestUnionEstablishmentCommand(
        { unionId: 't9', parentId: 'b1', name, level: 'TEAM', requestedOn: '2024-04-01' },
        w.meta('organiser', commandId),
      ),
    );
  const decision = { unionId: 't9', decidedOn: '2024-04-05' };

  /** The tree with a pending team t9 under b1, known to the read models. */
  async function pending(w: OrganisationWorld): Promise<void> {
    await tree(w);
    await request(w);
    await w.project();
  }

  describe('EstablishUnion', () => {
    it('an officer of the parent establishes a union directly', async () => {
      const w = bed.world();
      await provisioned(w);
      const outcome = await establish(w, 'hq', 'establish-1');
      const written = await writtenAfter(w, unionStreamId('s9'), 0);
      expect(written.heads).toEqual([
        ['UnionEstablished', 1, { actor: 'hq', commandId: 'establish-1' }],
      ]);
      expect(written.data).toEqual([
        {
          unionId: 's9',
          name: 'Unit one',
          level: 'SECONDARY_UNIT',
          parentId: 'co',
          establishedOn: '2024-01-10',
        },
      ]);
      expect(outcome).toMatchObject({
        version: 1,
        position: written.events[0]?.globalPosition,
        duplicate: false,
        state: { status: 'ACTIVE', parentId: 'co', governance: { form: 'NONE' } },
      });
    });

    it('a repeated command id returns the first result and appends nothing', async () => {
      const w = bed.world();
      await provisioned(w);
      const first = await establish(w, 'hq', 'establish-x');
      await w.project(); // the read model now names s9 as a sibling
      const before = await eventCount(w);
      const again = await establish(w, 'hq', 'establish-x');
      expect(again).toMatchObject({ version: 1, position: first.position, duplicate: true });
      expect(await eventCount(w)).toBe(before);
    });

    it('Art. 5: only an officer of the parent, and never a sibling name', async () => {
      const w = bed.world();
      await tree(w);
      const before = await eventCount(w);
      const outsider = await domainError(establish(w, 'officer-s1'));
      expect([outsider.code, outsider.article?.en, outsider.kind]).toEqual([
        'NOT_PARENT_UNION_OFFICER',
        'Art. 5',
        'FORBIDDEN',
      ]);
      // s1 is "Union s1" in the read model; names compare folded (full width, case, spaces).
      const taken = await domainError(establish(w, 'hq', undefined, ' ＵＮＩＯＮ  s1 '));
      expect([taken.code, taken.article?.en]).toEqual(['UNION_NAME_TAKEN', 'Art. 5']);
      expect(await eventCount(w)).toBe(before);
    });
  });

  describe('RequestUnionEstablishment', () => {
    it('records a pending union under its parent', async () => {
      const w = bed.world();
      await tree(w);
      const outcome = await request(w, 'request-1');
      const written = await writtenAfter(w, unionStreamId('t9'), 0);
      expect(written.heads).toEqual([
        ['UnionEstablishmentRequested', 1, { actor: 'organiser', commandId: 'request-1' }],
      ]);
      expect(written.data).toEqual([
        {
          unionId: 't9',
          name: 'Night team',
          level: 'TEAM',
          parentId: 'b1',
          requestedOn: '2024-04-01',
        },
      ]);
      expect(outcome).toMatchObject({
        version: 1,
        duplicate: false,
        state: { status: 'PENDING_APPROVAL' },
      });
    });

    it('a repeated command id returns the first result and appends nothing', async () => {
      const w = bed.world();
      await tree(w);
      const first = await request(w, 'request-x');
      const before = await eventCount(w);
      expect(await request(w, 'request-x')).toMatchObject({
        position: first.position,
        duplicate: true,
      });
      expect(await eventCount(w)).toBe(before);
    });

    it('Art. 5: a union sits at an allowed level under its parent', async () => {
      const w = bed.world();
      await tree(w);
      const before = await eventCount(w);
      const error = await domainError(
        w.h.request.execute(
          new RequestUnionEstablishmentCommand(
            { unionId: 'g9', parentId: 's1', name: 'Group', level: 'GROUP' },
            w.meta('organiser'),
          ),
        ),
      );
      expect([error.code, error.article?.en, error.details]).toEqual([
        'INVALID_PARENT_LEVEL',
        'Art. 5',
        { level: 'GROUP', parentLevel: 'SECONDARY_UNIT', allowed: ['BRIGADE', 'TEAM'] },
      ]);
      expect(await eventCount(w)).toBe(before);
    });
  });

  describe('ApproveUnionEstablishment', () => {
    it('an officer of the parent approves; the union becomes active', async () => {
      const w = bed.world();
      await pending(w);
      const outcome = await w.h.approveUnion.execute(
        new ApproveUnionEstablishmentCommand(decision, w.meta('officer-b1', 'approve-1')),
      );
      const written = await writtenAfter(w, unionStreamId('t9'), 1);
      expect(written.heads).toEqual([
        ['UnionEstablishmentApproved', 2, { actor: 'officer-b1', commandId: 'approve-1' }],
      ]);
      expect(written.data).toEqual([{ unionId: 't9', parentId: 'b1', approvedOn: '2024-04-05' }]);
      expect(outcome).toMatchObject({
        version: 2,
        duplicate: false,
        state: { status: 'ACTIVE', establishedOn: '2024-04-05' },
      });
    });

    it('a repeated command id returns the first result and appends nothing', async () => {
      const w = bed.world();
      await pending(w);
      const approve = () =>
        w.h.approveUnion.execute(
          new ApproveUnionEstablishmentCommand(decision, w.meta('officer-b1', 'approve-x')),
        );
      const first = await approve();
      await w.project();
      const before = await eventCount(w);
      expect(await approve()).toMatchObject({
        version: 2,
        position: first.position,
        duplicate: true,
      });
      expect(await eventCount(w)).toBe(before);
    });

    it('Art. 5: only an officer of the parent approves; a pending union holds no elections', async () => {
      const w = bed.world();
      await pending(w);
      const before = await eventCount(w);
      const outsider = await domainError(
        w.h.approveUnion.execute(
          new ApproveUnionEstablishmentCommand(decision, w.meta('officer-b2')),
        ),
      );
      expect([outsider.code, outsider.article?.en]).toEqual(['NOT_PARENT_UNION_OFFICER', 'Art. 5']);
      const election = await domainError(
        w.h.callElection.execute(
          new CallElectionCommand(
            {
              electionId: 'e-1',
              unionId: 't9',
              kind: 'COMMITTEE',
              seats: 3,
              expectedVoters: 1,
              candidateMemberIds: [],
              termYears: 3,
            },
            w.meta('officer-b1'),
          ),
        ),
      );
      expect([election.code, election.article?.en]).toEqual(['UNION_NOT_ACTIVE', 'Art. 5']);
      expect(await eventCount(w)).toBe(before);
    });
  });

  describe('RejectUnionEstablishment', () => {
    const reject = (w: OrganisationWorld, reason: string, commandId?: string) =>
      w.h.rejectUnion.execute(
        new RejectUnionEstablishmentCommand(
          { ...decision, reason },
          w.meta('officer-b1', commandId),
        ),
      );

    it('the parent turns the request down with its reason; the name is free again', async () => {
      const w = bed.world();
      await pending(w);
      const outcome = await reject(w, ' Too few workers ', 'reject-1');
      const written = await writtenAfter(w, unionStreamId('t9'), 1);
      expect(written.heads).toEqual([
        ['UnionEstablishmentRejected', 2, { actor: 'officer-b1', commandId: 'reject-1' }],
      ]);
      expect(written.data).toEqual([
        { unionId: 't9', parentId: 'b1', rejectedOn: '2024-04-05', reason: 'Too few workers' },
      ]);
      expect(outcome).toMatchObject({ version: 2, state: { status: 'REJECTED' } });
      await w.project();
      const again = await w.h.request.execute(
        new RequestUnionEstablishmentCommand(
          { unionId: 't10', parentId: 'b1', name: 'Night team', level: 'TEAM' },
          w.meta('organiser'),
        ),
      );
      expect(again.state.status).toBe('PENDING_APPROVAL');
    });

    it('a repeated command id returns the first result and appends nothing', async () => {
      const w = bed.world();
      await pending(w);
      const first = await reject(w, 'No', 'reject-x');
      const before = await eventCount(w);
      expect(await reject(w, 'No', 'reject-x')).toMatchObject({
        position: first.position,
        duplicate: true,
      });
      expect(await eventCount(w)).toBe(before);
    });

    it('Art. 5: a rejection gives its reason', async () => {
      const w = bed.world();
      await pending(w);
      const before = await eventCount(w);
      const error = await domainError(reject(w, '   '));
      expect([error.code, error.article?.en, error.kind]).toEqual([
        'REJECTION_REASON_REQUIRED',
        'Art. 5',
        'INVALID_INPUT',
      ]);
      expect(await eventCount(w)).toBe(before);
    });
  });
});
