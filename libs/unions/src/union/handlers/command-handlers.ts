import { ApproveElectionResultHandler } from '../../election/handlers/approve-election-result.handler';
import { CallElectionHandler } from '../../election/handlers/call-election.handler';
import { RecordElectionResultHandler } from '../../election/handlers/record-election-result.handler';
import { ChangeRuleSettingsHandler } from '../../tenant-settings/handlers/change-rule-settings.handler';
import { ProvisionTenantHandler } from '../../tenant-settings/handlers/provision-tenant.handler';
import { ApproveUnionEstablishmentHandler } from './approve-union-establishment.handler';
import { AssignCommitteeRolesHandler } from './assign-committee-roles.handler';
import { DissolveUnionHandler } from './dissolve-union.handler';
import { EstablishUnionHandler } from './establish-union.handler';
import { ExtendTermHandler } from './extend-term.handler';
import { RecallCommitteeMemberHandler } from './recall-committee-member.handler';
import { RecordCommitteeMeetingHandler } from './record-committee-meeting.handler';
import { RejectUnionEstablishmentHandler } from './reject-union-establishment.handler';
import { RequestUnionEstablishmentHandler } from './request-union-establishment.handler';
import { SetGovernanceFormHandler } from './set-governance-form.handler';
import { VacateCommitteeSeatHandler } from './vacate-committee-seat.handler';

/**
 * Organisation and governance handlers, for a module that imports CqrsModule and provides
 * EVENT_STORE and UNION_FACTS.
 */
export const ORGANISATION_COMMAND_HANDLERS = [
  ProvisionTenantHandler,
  ChangeRuleSettingsHandler,
  EstablishUnionHandler,
  RequestUnionEstablishmentHandler,
  ApproveUnionEstablishmentHandler,
  RejectUnionEstablishmentHandler,
  SetGovernanceFormHandler,
  AssignCommitteeRolesHandler,
  ExtendTermHandler,
  RecallCommitteeMemberHandler,
  VacateCommitteeSeatHandler,
  RecordCommitteeMeetingHandler,
  DissolveUnionHandler,
  CallElectionHandler,
  RecordElectionResultHandler,
  ApproveElectionResultHandler,
] as const;
