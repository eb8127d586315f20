/* Test data shared by the union and election specs (not exported from the library). */
import type { CommandMetadata } from '@app/core';
import { presetSettings, type RuleSettings } from '../tenant-settings/rule-settings';
import type { UnionEvent } from './union.events';
import type { UnionLevel } from './union.state';

export const metadata: CommandMetadata = {
  tenantId: 'tenant-1',
  actor: 'user-officer',
  now: new Date('2025-03-01T02:00:00Z'),
  commandId: 'cmd-1',
};

export const ENTERPRISE: RuleSettings = presetSettings('ENTERPRISE_REGULATION');
export const NATIONAL: RuleSettings = presetSettings('NATIONAL');

export const COMPANY_ID = 'u-company';
export const PARENT_ID = 'u-brigade';
export const UNION_ID = 'u-team';

export function established(
  level: UnionLevel = 'TEAM',
  unionId = UNION_ID,
  parentId: string | null = PARENT_ID,
): UnionEvent {
  return {
    type: 'UnionEstablished',
    data: { unionId, name: 'Drilling Team 1', level, parentId, establishedOn: '2024-01-10' },
  };
}

export function committeeForm(activeMembers = 30): UnionEvent {
  return {
    type: 'GovernanceFormSet',
    data: {
      unionId: UNION_ID,
      form: 'COMMITTEE',
      jointWithUnionIds: [],
      organizerMemberId: null,
      activeMembers,
      effectiveOn: '2024-01-10',
    },
  };
}

export const COMMITTEE = ['m1', 'm2', 'm3', 'm4', 'm5'];

export function committeeElected(memberIds = COMMITTEE, seats = memberIds.length): UnionEvent {
  return {
    type: 'CommitteeElected',
    data: {
      unionId: UNION_ID,
      electionId: 'e-committee',
      seats,
      memberIds,
      termYears: 3,
      termStart: '2024-03-01',
      termEnd: '2027-03-01',
    },
  };
}

export function chairElected(memberId = 'm1'): UnionEvent {
  return {
    type: 'ChairElected',
    data: { unionId: UNION_ID, electionId: 'e-chair', memberId, electedOn: '2024-03-05' },
  };
}

/** An active TEAM union with a committee of five, m1 in the chair. */
export const SEATED: UnionEvent[] = [
  established(),
  committeeForm(),
  committeeElected(),
  chairElected(),
];
