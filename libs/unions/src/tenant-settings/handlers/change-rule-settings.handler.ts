import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { runCommand, type CommandOutcome } from '../../union/handlers/run-command';
import { businessDate } from '../../union/handlers/union-handler.base';
import type { RulePreset, RuleSettingsOverrides } from '../rule-settings';
import { tenantSettingsDecider, tenantSettingsStreamId } from '../tenant-settings.decider';
import type { ChangeRuleSettings } from '../tenant-settings.commands';
import type { TenantSettingsState } from '../tenant-settings.state';

export interface ChangeRuleSettingsInput {
  effectiveOn: IsoDate;
  preset?: RulePreset;
  overrides?: RuleSettingsOverrides;
  reason: string;
}

/** An effective-dated change of the tenant's rules; never earlier than the day it is decided. */
export class ChangeRuleSettingsCommand extends Command<CommandOutcome<TenantSettingsState>> {
  constructor(
    readonly input: ChangeRuleSettingsInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(ChangeRuleSettingsCommand)
export class ChangeRuleSettingsHandler implements ICommandHandler<ChangeRuleSettingsCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({
    input,
    metadata,
  }: ChangeRuleSettingsCommand): Promise<CommandOutcome<TenantSettingsState>> {
    return runCommand({
      store: this.store,
      decider: tenantSettingsDecider,
      metadata,
      streamId: tenantSettingsStreamId(metadata.tenantId),
      build: (): ChangeRuleSettings => ({
        type: 'ChangeRuleSettings',
        metadata,
        data: { ...input, decidedOn: businessDate(metadata) },
      }),
      retryOnConflict: true,
    });
  }
}
