import { AuditIndexProjection } from './audit/audit-index.projection';
import type { Projection } from './runner/projection';
import { RegistryProjection } from './registry/registry.projection';

/**
 * Every projection, dependencies first (a projection that reads another's tables comes after it
 * and names it in `dependsOn`).
 */
export function allProjections(): Projection[] {
  return [new RegistryProjection(), new AuditIndexProjection()];
}
