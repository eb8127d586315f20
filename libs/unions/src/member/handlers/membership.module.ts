import { Module, type DynamicModule, type ModuleMetadata, type Provider } from '@nestjs/common';
import { ImportDuesPayrollHandler } from '../../dues/handlers/import-dues-payroll.handler';
import { ReceiveTransferHandler } from '../../transfer/handlers/receive-transfer.handler';
import { RejectTransferHandler } from '../../transfer/handlers/reject-transfer.handler';
import { ReleaseTransferHandler } from '../../transfer/handlers/release-transfer.handler';
import { RequestTransferHandler } from '../../transfer/handlers/request-transfer.handler';
import { ApplyForMembershipHandler } from './apply-for-membership.handler';
import { ApproveMembershipHandler } from './approve-membership.handler';
import { CorrectDuesPaymentHandler } from './correct-dues-payment.handler';
import { DeclareAutomaticWithdrawalHandler } from './declare-automatic-withdrawal.handler';
import { EraseMemberPersonalDataHandler } from './erase-personal-data.handler';
import { ExpelMemberHandler } from './expel-member.handler';
import { ImportMemberHandler } from './import-member.handler';
import { ImportMembersHandler } from './import-members.handler';
import { RecordAbsenceHandler } from './record-absence.handler';
import { RecordArrearsEducationHandler } from './record-arrears-education.handler';
import { RecordDuesPaymentHandler } from './record-dues-payment.handler';
import { RejectMembershipHandler } from './reject-membership.handler';
import { RetainMembershipHandler } from './retain-membership.handler';
import { StartInternalRetirementHandler } from './start-internal-retirement.handler';
import { WithdrawMemberHandler } from './withdraw-member.handler';

/** Art. 19 and dues: every membership, transfer and dues command handler. */
export const MEMBERSHIP_COMMAND_HANDLERS = [
  ApplyForMembershipHandler,
  ApproveMembershipHandler,
  RejectMembershipHandler,
  ImportMemberHandler,
  ImportMembersHandler,
  RecordDuesPaymentHandler,
  CorrectDuesPaymentHandler,
  RecordAbsenceHandler,
  WithdrawMemberHandler,
  RecordArrearsEducationHandler,
  DeclareAutomaticWithdrawalHandler,
  ExpelMemberHandler,
  StartInternalRetirementHandler,
  RetainMembershipHandler,
  EraseMemberPersonalDataHandler,
  RequestTransferHandler,
  ReleaseTransferHandler,
  ReceiveTransferHandler,
  RejectTransferHandler,
  ImportDuesPayrollHandler,
] as const;

export interface MembershipModuleOptions {
  readonly imports?: ModuleMetadata['imports'];
  /**
   * Must provide `MEMBER_FACTS` (read-model adapter) and `PERSONAL_DATA_PROTECTOR`. `EVENT_STORE`
   * comes from the global EventStoreModule (or is listed here). The application imports
   * `CqrsModule.forRoot()` once, which finds these handlers.
   */
  readonly providers: Provider[];
}

@Module({})
export class MembershipModule {
  static forRoot(options: MembershipModuleOptions): DynamicModule {
    return {
      module: MembershipModule,
      imports: [...(options.imports ?? [])],
      providers: [...options.providers, ...MEMBERSHIP_COMMAND_HANDLERS],
      exports: [...MEMBERSHIP_COMMAND_HANDLERS],
    };
  }
}
