import { registerEnumType } from '@nestjs/graphql';

const values = <T extends string>(...names: T[]) =>
  Object.fromEntries(names.map((n) => [n, n])) as { [K in T]: K };

export const UnionLevel = values('COMPANY', 'SECONDARY_UNIT', 'BRIGADE', 'TEAM', 'GROUP');
export const UnionStatus = values('PENDING_APPROVAL', 'ACTIVE', 'DISSOLVED');
export const GovernanceForm = values('NONE', 'COMMITTEE', 'JOINT_COMMITTEE', 'ORGANIZER');
export const Gender = values('FEMALE', 'MALE');
export const MemberStatus = values(
  'APPLIED',
  'ACTIVE',
  'RETAINED',
  'WITHDRAWN',
  'EXPELLED',
  'REJECTED',
  'TRANSFERRED_OUT',
);
export const CommitteeRole = values(
  'CHAIR',
  'VICE_CHAIR',
  'ORGANIZATION',
  'DEMOCRATIC_MANAGEMENT',
  'PROPAGANDA_EDUCATION',
  'LABOR',
  'LIVELIHOOD',
  'WOMEN_WORKERS',
);
export const ElectionKind = values(
  'COMMITTEE',
  'CHAIR',
  'WOMEN_COMMITTEE',
  'GROUP_LEADER',
  'BY_ELECTION',
);
export const ElectionStatus = values('CALLED', 'CONCLUDED', 'FAILED', 'APPROVED');
export const TransferStatus = values('REQUESTED', 'RELEASED', 'COMPLETED', 'REJECTED');
export const RulePreset = values('ENTERPRISE_REGULATION', 'NATIONAL');

for (const [name, value] of Object.entries({
  UnionLevel,
  UnionStatus,
  GovernanceForm,
  Gender,
  MemberStatus,
  CommitteeRole,
  ElectionKind,
  ElectionStatus,
  TransferStatus,
  RulePreset,
})) {
  registerEnumType(value, { name });
}
