import { unionStreamId } from '../../union/union.decider';
import { ExtendTermCommand } from '../../union/handlers/extend-term.handler';
import {
  OrganisationBed,
  TODAY,
  domainError,
  eventCount,
  provisioned,
  seatedBrigade,
  writtenAfter,
  type OrganisationWorld,
} from '../../union/handlers/testing/organisation-fixtures';
import { tenantSettingsStreamId } from '../tenant-settings.decider';
import { ChangeRuleSettingsCommand } from './change-rule-settings.handler';
import { ProvisionTenantCommand } from './provision-tenant.handler';

describe('tenant settings handlers (real PostgreSQL event store, read-model facts)', () => {
  let bed: OrganisationBed;

  beforeAll(async () => {
    bed = await OrganisationBed.start();
  });
  afterAll(() => bed.close());

  const provision = (w: OrganisationWorld, commandId: string, rootUnionId = 'co') =>
    w.h.provision.execute(
      new ProvisionTenantCommand(
        {
          rootUnionId,
          rootUnionName: ' Company union ',
          preset: 'NATIONAL',
          provisionedOn: '2024-01-02',
        },
        w.meta('platform-admin', commandId),
      ),
    );

  describe('ProvisionTenant', () => {
    it('writes the settings and the company union in one transaction', async () => {
      const w = bed.world();
      const outcome = await provision(w, 'provision-1');
      const meta = { actor: 'platform-admin', commandId: 'provision-1' };

      const settings = await writtenAfter(w, tenantSettingsStreamId(w.tenantId), 0);
      expect(settings.heads).toEqual([['TenantSettingsProvisioned', 1, meta]]);
      expect(settings.data).toEqual([
        { tenantId: w.tenantId, preset: 'NATIONAL', provisionedOn: '2024-01-02' },
      ]);
      const union = await writtenAfter(w, unionStreamId('co'), 0);
      expect(union.heads).toEqual([['UnionEstablished', 1, meta]]);
      expect(union.data).toEqual([
        {
          unionId: 'co',
          name: 'Company union',
          level: 'COMPANY',
          parentId: null,
          establishedOn: '2024-01-02',
        },
      ]);
      expect(union.events[0]?.transactionId).toBe(settings.events[0]?.transactionId);
      expect(outcome).toEqual({
        tenantId: w.tenantId,
        rootUnionId: 'co',
        position: Math.max(settings.events[0]!.globalPosition, union.events[0]!.globalPosition),
        duplicate: false,
      });
      expect(w.store.appendToStreamsCalls).toBe(1);
    });

    it('defaults to the enterprise regulation and today', async () => {
      const w = bed.world();
      await w.h.provision.execute(
        new ProvisionTenantCommand({ rootUnionId: 'co', rootUnionName: 'C' }, w.meta('admin')),
      );
      const settings = await writtenAfter(w, tenantSettingsStreamId(w.tenantId), 0);
      expect(settings.data).toEqual([
        { tenantId: w.tenantId, preset: 'ENTERPRISE_REGULATION', provisionedOn: TODAY },
      ]);
    });

    it('a repeated command id returns the first result and appends nothing', async () => {
      const w = bed.world();
      const first = await provision(w, 'provision-x');
      const before = await eventCount(w);
      const again = await provision(w, 'provision-x');
      expect(again).toEqual({ ...first, duplicate: true });
      expect(await eventCount(w)).toBe(before);
      expect(before).toBe(2);
    });

    it('Art. 34: a tenant is provisioned once; a second company union is refused', async () => {
      const w = bed.world();
      await provision(w, 'provision-1');
      const error = await domainError(provision(w, 'provision-2', 'co-2'));
      expect([error.code, error.article?.en, error.kind]).toEqual([
        'TENANT_ALREADY_PROVISIONED',
        'Art. 34',
        'CONFLICT',
      ]);
      expect(await eventCount(w)).toBe(2);
      expect((await w.pg.readStream(w.tenantId, unionStreamId('co-2'))).streamExists).toBe(false);
    });
  });

  describe('ChangeRuleSettings', () => {
    const change = (w: OrganisationWorld, commandId: string, effectiveOn = '2025-08-01') =>
      w.h.changeSettings.execute(
        new ChangeRuleSettingsCommand(
          {
            effectiveOn,
            overrides: { committeeRequiredAtMembers: 30 },
            reason: ' Board decision 2025-7 ',
          },
          w.meta('hq', commandId),
        ),
      );

    it('appends the effective-dated change, decided today', async () => {
      const w = bed.world();
      await provisioned(w);
      const outcome = await change(w, 'change-1');
      const written = await writtenAfter(w, tenantSettingsStreamId(w.tenantId), 1);
      expect(written.heads).toEqual([
        ['RuleSettingsChanged', 2, { actor: 'hq', commandId: 'change-1' }],
      ]);
      expect(written.data).toEqual([
        {
          effectiveOn: '2025-08-01',
          overrides: { committeeRequiredAtMembers: 30 },
          reason: 'Board decision 2025-7',
          decidedOn: TODAY,
        },
      ]);
      expect(outcome).toMatchObject({
        version: 2,
        position: written.events[0]?.globalPosition,
        duplicate: false,
        state: {
          status: 'PROVISIONED',
          changes: [{ effectiveOn: '2025-08-01', overrides: { committeeRequiredAtMembers: 30 } }],
        },
      });
    });

    it('a repeated command id returns the first result and appends nothing', async () => {
      const w = bed.world();
      await provisioned(w);
      const first = await change(w, 'change-x');
      const before = await eventCount(w);
      const again = await change(w, 'change-x');
      expect(again).toMatchObject({ version: 2, position: first.position, duplicate: true });
      expect(await eventCount(w)).toBe(before);
    });

    it('Art. 34: a change cannot take effect before the day it is decided; nor before provisioning', async () => {
      const w = bed.world();
      const early = await domainError(change(w, 'change-0'));
      expect([early.code, early.article?.en]).toEqual(['TENANT_NOT_PROVISIONED', 'Art. 34']);
      await provisioned(w);
      const before = await eventCount(w);
      const error = await domainError(change(w, 'change-1', '2025-07-14'));
      expect([error.code, error.article?.en]).toEqual(['SETTINGS_CHANGE_RETROACTIVE', 'Art. 34']);
      expect(error.messages.en).toContain('cannot take effect before the day it is decided');
      expect(await eventCount(w)).toBe(before);
    });

    it('a decision is judged by the settings in force on its date', async () => {
      const w = bed.world();
      await seatedBrigade(w);
      await w.h.changeSettings.execute(
        new ChangeRuleSettingsCommand(
          { effectiveOn: '2025-09-01', overrides: { termExtensionMaxMonths: 3 }, reason: 'r' },
          w.meta('hq'),
        ),
      );
      const extend = (decidedOn: string) =>
        w.h.extend.execute(
          new ExtendTermCommand(
            { unionId: 'b1', months: 5, approvalRef: 'S1-2025-9', decidedOn },
            w.meta('officer-s1'),
          ),
        );
      const late = await domainError(extend('2025-09-01'));
      expect([late.code, late.article?.en, late.details]).toEqual([
        'TERM_EXTENSION_TOO_LONG',
        'Art. 7',
        { months: 5, max: 3, special: false },
      ]);
      const inTime = await extend('2025-08-31');
      expect(inTime.state).toMatchObject({ status: 'ACTIVE', term: { end: '2027-08-25' } });
    });
  });
});
