import { AuditIndexProjection } from './audit/audit-index.projection';
import { DuesProjection } from './dues/dues.projection';
import { ElectionsProjection } from './elections/elections.projection';
import { SettingsProjection } from './settings/settings.projection';
import { TransfersProjection } from './transfers/transfers.projection';
import type { Projection } from './runner/projection';
import { RegistryProjection } from './registry/registry.projection';
import { PersonalDataProjection } from './personal-data/personal-data.projection';

/**
 * Every projection, dependencies first (a projection that reads another's tables comes after it
 * and names it in `dependsOn`).
 */
export function allProjections(): Projection[] {
  return [
    new RegistryProjection(),
    new DuesProjection(),
    new SettingsProjection(),
    new TransfersProjection(),
    new ElectionsProjection(),
    new AuditIndexProjection(),
    new PersonalDataProjection(),
  ];
}
