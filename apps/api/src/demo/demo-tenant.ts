import { mintToken } from '@app/auth';
import { dateInZone, type LogSink } from '@app/core';
import type { EventStore } from '@app/event-store';
import { generateLargeTenant, writeLargeTenant } from '@app/testing';
import { tenantSettingsStreamId } from '@app/unions';

export const DEMO_TENANT = 'demo';

export interface DemoTenant {
  tenantId: string;
  rootUnionId: string;
  created: boolean;
  events: number;
}

/**
 * A small tenant for the first `npm start` (development only): the seed company's shape at
 * 1/500 of its size (a company union, secondary units, brigades, teams and groups, ~500 members
 * with six months of payroll dues, committees on part of the units, units under 25 members
 * without one), written once through the event store like any other history.
 */
export async function ensureDemoTenant(store: EventStore, log: LogSink): Promise<DemoTenant> {
  const tenant = generateLargeTenant({ tenantId: DEMO_TENANT, scale: 0.002, months: 6, seed: 7 });
  const rootUnionId = tenant.plan.unions[0]!.id;
  const existing = await store.readStream(DEMO_TENANT, tenantSettingsStreamId(DEMO_TENANT), {
    toVersion: 1,
  });
  if (existing.streamExists)
    return { tenantId: DEMO_TENANT, rootUnionId, created: false, events: 0 };
  const report = await writeLargeTenant(store, tenant, { progress: false, actor: 'system:demo' });
  log.log(
    `demo tenant "${DEMO_TENANT}" written: ${report.events} events in ${report.seconds.toFixed(1)} s`,
  );
  return { tenantId: DEMO_TENANT, rootUnionId, created: true, events: report.events };
}

/** What a developer pastes into Apollo Sandbox after the first start. */
export async function demoInstructions(
  secret: string,
  demo: DemoTenant,
  url: string,
): Promise<string> {
  const officer = await mintToken(secret, {
    sub: 'demo-hq-officer',
    tenant: demo.tenantId,
    roles: ['OFFICER'],
  });
  const auditor = await mintToken(secret, {
    sub: 'demo-auditor',
    tenant: demo.tenantId,
    roles: ['AUDITOR'],
  });
  return [
    '',
    `Demo tenant "${demo.tenantId}" (root union ${demo.rootUnionId}). Tokens valid for 8 hours:`,
    `  OFFICER (HQ):  Bearer ${officer}`,
    `  AUDITOR:       Bearer ${auditor}`,
    `Open ${url}, set the header Authorization to one of them, and try:`,
    `  { union(id: "${demo.rootUnionId}") { name stats { subtreeMembers subtreeFemaleMembers subtreeUnions arrearsMembers }`,
    `      children { name stats { subtreeMembers } } }`,
    `    complianceAlerts(unionId: "${demo.rootUnionId}", includeSubtree: true) { unionId rule article message } }`,
    `Live dashboards (Sandbox connection settings: subscriptions ${url.replace(/^http/, 'ws')},`,
    `  implementation graphql-ws, connection payload {"authorization": "Bearer <OFFICER token>"}):`,
    `  subscription { unionChanged(unionId: "${demo.rootUnionId}") { name stats { subtreeMembers arrearsMembers }`,
    `      duesPeriod(period: "${dateInZone(new Date()).slice(0, 7)}") { paidFen payingMembers unpaidMembers } } }`,
    `  (also complianceAlertsChanged(unionId, includeSubtree), and auditEvents(afterPosition) with the AUDITOR token)`,
    `More tokens: npm run token -- --tenant ${demo.tenantId} --role OFFICER --unit <unionId>`,
    '',
  ].join('\n');
}
