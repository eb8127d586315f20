import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { eventMetadata } from '../../union/handlers/run-command';
import { businessDate } from '../../union/handlers/union-handler.base';
import { unionDecider, unionStreamId } from '../../union/union.decider';
import type { RulePreset } from '../rule-settings';
import { tenantSettingsDecider, tenantSettingsStreamId } from '../tenant-settings.decider';

export interface ProvisionTenantInput {
  /** The tenant's display name, kept in TenantSettingsProvisioned. */
  name?: string;
  rootUnionId: string;
  rootUnionName: string;
  preset?: RulePreset;
  provisionedOn?: IsoDate;
}

export interface ProvisionTenantOutcome {
  readonly tenantId: string;
  readonly rootUnionId: string;
  readonly position: number;
  readonly duplicate: boolean;
}

/**
 * PLATFORM_ADMIN: the tenant's rule settings and its COMPANY union, in one atomic append. Both
 * streams must not exist yet, which also keeps the company union unique per tenant (Art. 2).
 */
export class ProvisionTenantCommand extends Command<ProvisionTenantOutcome> {
  constructor(
    readonly input: ProvisionTenantInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(ProvisionTenantCommand)
export class ProvisionTenantHandler implements ICommandHandler<ProvisionTenantCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ input, metadata }: ProvisionTenantCommand): Promise<ProvisionTenantOutcome> {
    const { tenantId } = metadata;
    const provisionedOn = businessDate(metadata, input.provisionedOn);
    const settingsStream = tenantSettingsStreamId(tenantId);
    const settings = await this.store.aggregateStream(
      tenantId,
      settingsStream,
      tenantSettingsDecider,
    );
    const repeated = settings.streamExists ? await this.firstResult(input, metadata) : null;
    if (repeated) return repeated;
    const settingsEvents = tenantSettingsDecider.decide(
      {
        type: 'ProvisionTenantSettings',
        metadata,
        data: {
          tenantId,
          provisionedOn,
          ...(input.preset === undefined ? {} : { preset: input.preset }),
          ...(input.name === undefined ? {} : { name: input.name }),
        },
      },
      settings.state,
    );
    const unionEvents = unionDecider.decide(
      {
        type: 'ProvisionCompanyUnion',
        metadata,
        data: {
          unionId: input.rootUnionId,
          name: input.rootUnionName,
          establishedOn: provisionedOn,
          // Settings exist only once the company union does: both are written together.
          companyUnionExists: settings.streamExists,
        },
      },
      unionDecider.initialState(),
    );
    const result = await this.store.appendToStreams(
      tenantId,
      [
        { streamId: settingsStream, events: settingsEvents, expectedVersion: 'no_stream' },
        {
          streamId: unionStreamId(input.rootUnionId),
          events: unionEvents,
          expectedVersion: 'no_stream',
        },
      ],
      {
        ...(metadata.commandId === undefined ? {} : { commandId: metadata.commandId }),
        metadata: eventMetadata(metadata),
      },
    );
    return {
      tenantId,
      rootUnionId: input.rootUnionId,
      position: result.position,
      duplicate: result.duplicate,
    };
  }

  /** A repeated command id returns the first result instead of re-deciding (already provisioned). */
  private async firstResult(
    input: ProvisionTenantInput,
    metadata: CommandMetadata,
  ): Promise<ProvisionTenantOutcome | null> {
    const { tenantId, commandId } = metadata;
    if (commandId === undefined) return null;
    const written = async (streamId: string) =>
      (await this.store.readStream(tenantId, streamId)).events.filter(
        (e) => e.metadata.commandId === commandId,
      );
    const seen = await written(tenantSettingsStreamId(tenantId));
    if (seen.length === 0) return null;
    const root = await written(unionStreamId(input.rootUnionId));
    return {
      tenantId,
      rootUnionId: input.rootUnionId,
      position: Math.max(...[...seen, ...root].map((e) => e.globalPosition)),
      duplicate: true,
    };
  }
}
