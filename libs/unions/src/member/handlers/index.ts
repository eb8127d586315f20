export * from './member-facts.port';
export * from './personal-data.port';
export {
  decisionDate,
  derivedId,
  idForCommand,
  membershipRulesOn,
  type MemberOutcome,
} from './member-handler.base';
export {
  cardNumberStreamId,
  formatGeneratedCardNumber,
  generatedCardSequence,
  type CardNumberReserved,
} from './card-numbers';
export * from './apply-for-membership.handler';
export * from './approve-membership.handler';
export * from './reject-membership.handler';
export * from './import-member.handler';
export * from './import-members.handler';
export * from './record-dues-payment.handler';
export * from './correct-dues-payment.handler';
export * from './record-absence.handler';
export * from './withdraw-member.handler';
export * from './record-arrears-education.handler';
export * from './declare-automatic-withdrawal.handler';
export * from './expel-member.handler';
export * from './start-internal-retirement.handler';
export * from './retain-membership.handler';
export * from './erase-personal-data.handler';
export * from './membership.module';
