import { deciderSpec } from '@app/testing';
import type { EstablishUnion, UnionLookup } from './union.commands';
import { unionDecider } from './union.decider';
import type { UnionEvent } from './union.events';
import { COMPANY_ID, established, metadata, PARENT_ID, UNION_ID } from './union.fixtures';
import type { UnionLevel } from './union.state';

const spec = deciderSpec(unionDecider);

const parent = (
  level: UnionLevel = 'BRIGADE',
  status: 'ACTIVE' | 'PENDING_APPROVAL' = 'ACTIVE',
): UnionLookup => ({
  unionId: PARENT_ID,
  level,
  status,
});

const establish = (data: Partial<EstablishUnion['data']> = {}): EstablishUnion => ({
  type: 'EstablishUnion',
  metadata,
  data: {
    unionId: UNION_ID,
    name: 'Drilling Team 1',
    level: 'TEAM',
    parent: parent(),
    siblingNames: ['Drilling Team 2'],
    establishedOn: '2024-01-10',
    actorIsParentOfficer: true,
    ...data,
  },
});

const requested: UnionEvent = {
  type: 'UnionEstablishmentRequested',
  data: {
    unionId: UNION_ID,
    name: '采油一队',
    level: 'TEAM',
    parentId: PARENT_ID,
    requestedOn: '2024-01-05',
  },
};

describe('union: the company union (Art. 2)', () => {
  const provision = (companyUnionExists: boolean) =>
    ({
      type: 'ProvisionCompanyUnion',
      metadata,
      data: {
        unionId: COMPANY_ID,
        name: ' Company Union ',
        establishedOn: '2024-01-01',
        companyUnionExists,
      },
    }) as const;

  it('is created with the tenant, without a parent', () => {
    spec
      .given([])
      .when(provision(false))
      .then([
        {
          type: 'UnionEstablished',
          data: {
            unionId: COMPANY_ID,
            name: 'Company Union',
            level: 'COMPANY',
            parentId: null,
            establishedOn: '2024-01-01',
          },
        },
      ]);
  });

  it('exists once per tenant', () => {
    spec.given([]).when(provision(true)).thenThrows('COMPANY_UNION_ALREADY_EXISTS', 'Art. 2');
    spec
      .given([established('COMPANY', COMPANY_ID, null)])
      .when(provision(false))
      .thenThrows('UNION_ALREADY_EXISTS');
  });

  it('cannot be established under another union', () => {
    spec
      .given([])
      .when(establish({ level: 'COMPANY' }))
      .thenThrows('COMPANY_UNION_ONLY_AT_PROVISIONING', 'Art. 2');
  });
});

describe('union: levels and parents (Art. 2, 5)', () => {
  // Written out independently of the implementation's table.
  const allowed = new Set([
    'SECONDARY_UNIT<COMPANY',
    'BRIGADE<SECONDARY_UNIT',
    'BRIGADE<COMPANY',
    'TEAM<BRIGADE',
    'TEAM<SECONDARY_UNIT',
    'TEAM<COMPANY',
    'GROUP<BRIGADE',
    'GROUP<TEAM',
  ]);
  const children: UnionLevel[] = ['SECONDARY_UNIT', 'BRIGADE', 'TEAM', 'GROUP'];
  const parents: UnionLevel[] = ['COMPANY', 'SECONDARY_UNIT', 'BRIGADE', 'TEAM', 'GROUP'];
  const pairs = children.flatMap((child) => parents.map((p) => [child, p] as const));

  it.each(pairs)('%s under %s', (level, parentLevel) => {
    const when = spec.given([]).when(establish({ level, parent: parent(parentLevel) }));
    if (allowed.has(`${level}<${parentLevel}`)) {
      when.thenMatches([{ type: 'UnionEstablished', data: { level, parentId: PARENT_ID } }]);
    } else {
      when.thenThrows('INVALID_PARENT_LEVEL', 'Art. 5');
    }
  });

  it('needs an existing, active parent', () => {
    spec
      .given([])
      .when(establish({ parent: { unionId: PARENT_ID, status: 'NOT_FOUND' } }))
      .thenThrows('PARENT_UNION_NOT_FOUND', 'Art. 5');
    spec
      .given([])
      .when(establish({ parent: parent('BRIGADE', 'PENDING_APPROVAL') }))
      .thenThrows('PARENT_UNION_NOT_ACTIVE', 'Art. 5');
  });
});

describe('union: establishment (Art. 5)', () => {
  it('is established directly by an officer of the parent', () => {
    spec.given([]).when(establish()).then([established()]);
  });

  it('cannot be established directly by anyone else', () => {
    const error = spec
      .given([])
      .when(establish({ actorIsParentOfficer: false }))
      .thenThrows('NOT_PARENT_UNION_OFFICER', 'Art. 5');
    expect(error.kind).toBe('FORBIDDEN');
  });

  it.each(['Drilling Team 2', ' drilling  team 2 ', 'Ｄｒｉｌｌｉｎｇ Team 2'])(
    'keeps names unique among siblings (%s)',
    (name) => {
      spec.given([]).when(establish({ name })).thenThrows('UNION_NAME_TAKEN', 'Art. 5');
    },
  );

  it('needs a name and a valid date', () => {
    spec
      .given([])
      .when(establish({ name: '  ' }))
      .thenThrows('UNION_NAME_REQUIRED');
    spec
      .given([])
      .when(establish({ establishedOn: '2024-02-30' }))
      .thenThrows('INVALID_DATE');
  });

  it('is requested, then approved by an officer of the parent', () => {
    spec
      .given([])
      .when({
        type: 'RequestUnionEstablishment',
        metadata,
        data: {
          unionId: UNION_ID,
          name: '采油一队',
          level: 'TEAM',
          parent: parent(),
          siblingNames: [],
          requestedOn: '2024-01-05',
        },
      })
      .then([requested]);
    const approve = (actorIsParentOfficer: boolean, siblingNames: string[] = []) =>
      ({
        type: 'ApproveUnionEstablishment',
        metadata,
        data: { approvedOn: '2024-01-10', parent: parent(), siblingNames, actorIsParentOfficer },
      }) as const;
    spec
      .given([requested])
      .when(approve(true))
      .then([
        {
          type: 'UnionEstablishmentApproved',
          data: { unionId: UNION_ID, parentId: PARENT_ID, approvedOn: '2024-01-10' },
        },
      ]);
    spec.given([requested]).when(approve(false)).thenThrows('NOT_PARENT_UNION_OFFICER', 'Art. 5');
    // A sibling took the name while the request waited.
    spec
      .given([requested])
      .when(approve(true, ['采油一队']))
      .thenThrows('UNION_NAME_TAKEN');
    spec
      .given([
        requested,
        {
          type: 'UnionEstablishmentApproved',
          data: { unionId: UNION_ID, parentId: PARENT_ID, approvedOn: '2024-01-10' },
        },
      ])
      .when(approve(true))
      .thenThrows('UNION_NOT_PENDING_APPROVAL');
  });

  it('can be rejected with a reason', () => {
    const reject = (reason: string) =>
      ({
        type: 'RejectUnionEstablishment',
        metadata,
        data: { rejectedOn: '2024-01-06', reason, actorIsParentOfficer: true },
      }) as const;
    spec
      .given([requested])
      .when(reject('No such team'))
      .thenMatches([{ type: 'UnionEstablishmentRejected', data: { reason: 'No such team' } }]);
    spec.given([requested]).when(reject(' ')).thenThrows('REJECTION_REASON_REQUIRED');
  });

  it('holds nothing while pending', () => {
    spec
      .given([requested])
      .when({
        type: 'VacateCommitteeSeat',
        metadata,
        data: { memberId: 'm1', cause: 'RESIGNED', decidedOn: '2024-02-01' },
      })
      .thenThrows('UNION_NOT_ACTIVE', 'Art. 5');
  });
});
