// The organisation, governance, election and tenant-settings command side, for the application:
// the UNION_FACTS port, the commands the API dispatches and the handlers a module registers.
export * from './union/handlers/union-facts.port';
export { ORGANISATION_COMMAND_HANDLERS } from './union/handlers/command-handlers';
export type { UnionOutcome } from './union/handlers/union-handler.base';
export type { CommandOutcome } from './union/handlers/run-command';
export * from './union/handlers/approve-union-establishment.handler';
export * from './union/handlers/assign-committee-roles.handler';
export * from './union/handlers/dissolve-union.handler';
export * from './union/handlers/establish-union.handler';
export * from './union/handlers/extend-term.handler';
export * from './union/handlers/recall-committee-member.handler';
export * from './union/handlers/record-committee-meeting.handler';
export * from './union/handlers/reject-union-establishment.handler';
export * from './union/handlers/request-union-establishment.handler';
export * from './union/handlers/set-governance-form.handler';
export * from './union/handlers/vacate-committee-seat.handler';
export type { ElectionOutcome } from './election/handlers/election-handler.base';
export * from './election/handlers/approve-election-result.handler';
export * from './election/handlers/call-election.handler';
export * from './election/handlers/record-election-result.handler';
export * from './tenant-settings/handlers/change-rule-settings.handler';
export * from './tenant-settings/handlers/provision-tenant.handler';
