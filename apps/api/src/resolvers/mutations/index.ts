import { DuesMutationsResolver } from './dues.resolver';
import { ElectionMutationsResolver } from './elections.resolver';
import { ImportMutationsResolver } from './imports.resolver';
import { MemberMutationsResolver } from './members.resolver';
import { MutationSupport } from './mutation-support';
import { PersonalDataMutationsResolver } from './personal-data.resolver';
import { TenantMutationsResolver } from './tenants.resolver';
import { TransferMutationsResolver } from './transfers.resolver';
import { UnionMutationsResolver } from './unions.resolver';

/** Every mutation of the contract, resolved through the CommandBus. */
export const MUTATION_PROVIDERS = [
  MutationSupport,
  TenantMutationsResolver,
  UnionMutationsResolver,
  ElectionMutationsResolver,
  MemberMutationsResolver,
  DuesMutationsResolver,
  ImportMutationsResolver,
  TransferMutationsResolver,
  PersonalDataMutationsResolver,
];
