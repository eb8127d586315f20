import { Module, type DynamicModule } from '@nestjs/common';
import { APP_POOL } from '@app/database';
import {
  MEMBER_FACTS,
  MembershipModule,
  ORGANISATION_COMMAND_HANDLERS,
  PERSONAL_DATA_PROTECTOR,
  UNION_FACTS,
} from '@app/unions';
import type { Pool } from 'pg';
import { PostgresPersonalDataProtector } from '../personal-data/personal-data.protector';
import { ActorUnits } from './actor-units';
import { ReadModelMemberFacts } from './member-facts.adapter';
import { ReadModelUnionFacts } from './union-facts.adapter';

export interface CommandsModuleOptions {
  /** The key-encryption key of personal data: 32 bytes (PII_MASTER_KEY, or `developmentKek`). */
  readonly piiMasterKey: Buffer;
  /** The officer registry the API fills from verified tokens; a new one when absent. */
  readonly actorUnits?: ActorUnits;
}

/** The read-model adapters and the protector, one instance each, shared by the command modules. */
@Module({})
export class CommandFactsModule {
  static forRoot(options: CommandsModuleOptions): DynamicModule {
    const kek = Buffer.from(options.piiMasterKey);
    return {
      module: CommandFactsModule,
      providers: [
        { provide: ActorUnits, useValue: options.actorUnits ?? new ActorUnits() },
        {
          provide: PostgresPersonalDataProtector,
          useFactory: (pool: Pool) => new PostgresPersonalDataProtector(pool, kek),
          inject: [APP_POOL],
        },
        {
          provide: ReadModelMemberFacts,
          useFactory: (pool: Pool, actors: ActorUnits) => new ReadModelMemberFacts(pool, actors),
          inject: [APP_POOL, ActorUnits],
        },
        {
          provide: ReadModelUnionFacts,
          useFactory: (pool: Pool, actors: ActorUnits) => new ReadModelUnionFacts(pool, actors),
          inject: [APP_POOL, ActorUnits],
        },
        { provide: MEMBER_FACTS, useExisting: ReadModelMemberFacts },
        { provide: UNION_FACTS, useExisting: ReadModelUnionFacts },
        { provide: PERSONAL_DATA_PROTECTOR, useExisting: PostgresPersonalDataProtector },
      ],
      exports: [
        ActorUnits,
        PostgresPersonalDataProtector,
        ReadModelMemberFacts,
        ReadModelUnionFacts,
        MEMBER_FACTS,
        UNION_FACTS,
        PERSONAL_DATA_PROTECTOR,
      ],
    };
  }
}

/**
 * Every command handler of the domain, wired to the read models: membership, transfers and dues
 * (MembershipModule) and organisation, governance, elections and tenant settings
 * (ORGANISATION_COMMAND_HANDLERS), with MEMBER_FACTS, UNION_FACTS and PERSONAL_DATA_PROTECTOR.
 *
 * Needs APP_POOL (DatabaseModule) and EVENT_STORE (EventStoreModule) from the global modules; the
 * application imports `CqrsModule.forRoot()` once, which finds the handlers. Exports ActorUnits
 * (the API registers each verified officer's unit there before dispatching), the protector
 * (reveal, erase) and the fact adapters and tokens.
 */
@Module({})
export class CommandsModule {
  static forRoot(options: CommandsModuleOptions): DynamicModule {
    const facts = CommandFactsModule.forRoot(options);
    return {
      module: CommandsModule,
      imports: [facts, MembershipModule.forRoot({ imports: [facts], providers: [] })],
      providers: [...ORGANISATION_COMMAND_HANDLERS],
      exports: [facts, ...ORGANISATION_COMMAND_HANDLERS],
    };
  }
}
