import { foldEvents } from '@app/core';
import { deciderSpec } from '@app/testing';
import { tenantSettingsDecider } from '../tenant-settings/tenant-settings.decider';
import { settingsInForce } from '../tenant-settings/tenant-settings.state';
import { unionDecider } from '../union/union.decider';
import {
  committeeElected,
  committeeForm,
  established,
  metadata,
  UNION_ID,
} from '../union/union.fixtures';
import { approvedResultOf, electionDecider } from './election.decider';
import type { ElectionEvent, ElectionResultApproved } from './election.events';
import { called, result } from './election.fixtures';

const spec = deciderSpec(electionDecider);

const CHAIR = called('CHAIR', 1, ['c1', 'c2'], 30);

const approve = (
  actorIsParentOfficer = true,
  externalApprovalRef?: string,
  approvedOn = '2025-03-25',
) =>
  ({
    type: 'ApproveElectionResult',
    metadata,
    data: {
      approvedOn,
      actorIsParentOfficer,
      ...(externalApprovalRef ? { externalApprovalRef } : {}),
    },
  }) as const;

const decided = (
  events: ElectionEvent[],
  command: Parameters<typeof electionDecider.decide>[0],
) => [...events, ...electionDecider.decide(command, foldEvents(electionDecider, events))];

describe('election: approval by the parent union (Art. 29)', () => {
  const concluded = decided(
    [CHAIR],
    result(20, [
      ['c1', 15],
      ['c2', 5],
    ]),
  );

  it('is given by an officer of the parent', () => {
    spec
      .given(concluded)
      .when(approve())
      .then([
        {
          type: 'ElectionResultApproved',
          data: {
            electionId: 'e-1',
            unionId: UNION_ID,
            kind: 'CHAIR',
            seats: 1,
            winners: ['c1'],
            termYears: null,
            approvedOn: '2025-03-25',
            approvalRef: null,
          },
        },
      ]);
    const error = spec
      .given(concluded)
      .when(approve(false))
      .thenThrows('APPROVAL_NOT_BY_PARENT', 'Art. 29');
    expect(error.kind).toBe('FORBIDDEN');
  });

  it('for the company union, comes from its own higher union by reference', () => {
    const company = called('CHAIR', 1, ['c1', 'c2'], 30, 'COMPANY');
    const companyConcluded = decided(
      [company],
      result(20, [
        ['c1', 15],
        ['c2', 5],
      ]),
    );
    spec
      .given(companyConcluded)
      .when(approve(false, 'Provincial federation 2025-9'))
      .thenMatches([
        { type: 'ElectionResultApproved', data: { approvalRef: 'Provincial federation 2025-9' } },
      ]);
    spec
      .given(companyConcluded)
      .when(approve(true))
      .thenThrows('EXTERNAL_APPROVAL_REQUIRED', 'Art. 29');
  });

  it('needs a concluded election, and happens once', () => {
    spec.given([CHAIR]).when(approve()).thenThrows('ELECTION_NOT_CONCLUDED');
    spec
      .given(decided([CHAIR], result(10, [['c1', 10]])))
      .when(approve())
      .thenThrows('ELECTION_NOT_CONCLUDED');
    spec
      .given(decided(concluded, approve()))
      .when(approve())
      .thenThrows('ELECTION_ALREADY_APPROVED');
  });
});

describe('election: judged by the settings in force on its date', () => {
  // The tenant moves to the NATIONAL preset from 2025-06-01.
  const tenant = foldEvents(tenantSettingsDecider, [
    {
      type: 'TenantSettingsProvisioned',
      data: { tenantId: 'tenant-1', preset: 'ENTERPRISE_REGULATION', provisionedOn: '2024-01-01' },
    },
    {
      type: 'RuleSettingsChanged',
      data: {
        effectiveOn: '2025-06-01',
        preset: 'NATIONAL',
        overrides: {},
        reason: 'r',
        decidedOn: '2025-05-01',
      },
    },
  ]);
  const held = (heldOn: string) =>
    result(
      20,
      [
        ['c1', 10],
        ['c2', 9],
      ],
      settingsInForce(tenant, heldOn),
      heldOn,
    );

  it('exactly half elects the day before the change and fails from the change on', () => {
    spec
      .given([CHAIR])
      .when(held('2025-05-31'))
      .thenMatches([{ type: 'ElectionConcluded', data: { winners: ['c1'] } }]);
    spec
      .given([CHAIR])
      .when(held('2025-06-01'))
      .thenMatches([
        { type: 'ElectionFailed', data: { reason: 'NO_CANDIDATE_REACHED_THRESHOLD' } },
      ]);
  });

  it('does not re-judge an earlier result after the change: it is still approved and installed', () => {
    const history = decided(
      decided([CHAIR], held('2025-05-31')),
      approve(true, undefined, '2025-06-15'),
    );
    const approved = history.at(-1) as ElectionResultApproved;
    expect(foldEvents(electionDecider, history)).toMatchObject({
      status: 'APPROVED',
      winners: ['c1'],
    });

    const union = [established(), committeeForm(), committeeElected(['c1', 'c2', 'c3'])];
    deciderSpec(unionDecider)
      .given(union)
      .when({
        type: 'InstallElectionResult',
        metadata,
        data: {
          electionId: 'e-1',
          approvedOn: approved.data.approvedOn,
          result: approvedResultOf(approved),
        },
      })
      .then([
        {
          type: 'ChairElected',
          data: { unionId: UNION_ID, electionId: 'e-1', memberId: 'c1', electedOn: '2025-06-15' },
        },
      ]);
  });
});
