import { withTenant } from '@app/database';
import { settingsOn } from '@app/read-models';
import { presetSettings } from '@app/unions';
import { ev, GovernanceHarness } from '../compliance/governance.fixtures';
import { transferEv } from '../transfers/transfer.fixtures';

describe('settings projection: the rule settings in force on any date', () => {
  let h: GovernanceHarness;
  beforeAll(async () => {
    h = await GovernanceHarness.start();
  });
  afterAll(() => h.close());

  const on = (t: string, date: string) => h.read(t, (c) => settingsOn(c, t, date));

  it('applies each change from its effective date, in effective-date order', async () => {
    const t = await h.tenant();
    // recorded out of order: the later change first
    await h.append(t, 'tenant-settings', [
      ev.settingsChanged('2026-09-01', { overrides: { arrearsWithdrawalMonths: 4 } }),
      ev.settingsChanged('2026-07-01', { preset: 'NATIONAL' }),
    ]);
    expect(await on(t, '2026-06-30')).toEqual(presetSettings('ENTERPRISE_REGULATION'));
    expect(await on(t, '2026-07-01')).toEqual(presetSettings('NATIONAL'));
    expect(await on(t, '2026-09-01')).toEqual({
      ...presetSettings('NATIONAL'),
      arrearsWithdrawalMonths: 4,
    });
    // dates before provisioning (imported history) are judged by the provisioned preset
    expect(await on(t, '2020-01-01')).toEqual(presetSettings('ENTERPRISE_REGULATION'));
  });

  it('gives a tenant never provisioned the default preset, and another tenant’s changes to nobody', async () => {
    const t = await h.tenant('NATIONAL');
    await h.append(t, 'tenant-settings', [
      ev.settingsChanged('2026-01-01', { overrides: { committeeRequiredAtMembers: 30 } }),
    ]);
    expect((await on(t, '2026-01-01')).committeeRequiredAtMembers).toBe(30);
    expect((await on(t, '2026-01-01')).preset).toBe('NATIONAL');
    const stranger = `t-stranger-${t}`;
    expect(await on(stranger, '2026-01-01')).toEqual(presetSettings('ENTERPRISE_REGULATION'));
  });

  it('rebuilds settings, transfers and elections to exactly the live state', async () => {
    const t = await h.tenant();
    await h.tree(t);
    await h.append(t, 'member-a', [ev.imported('a', 't1', 'MALE')]);
    await h.append(t, 'tenant-settings', [
      ev.settingsChanged('2026-07-01', { preset: 'NATIONAL' }),
    ]);
    await h.append(t, 'transfer-x', [
      transferEv.requested(
        'x',
        'a',
        { from: 't1', to: 't3', sending: 's1', receiving: 's2' },
        '2026-03-01',
      ),
      transferEv.released('x', 'a', 's1', '2026-03-05'),
    ]);
    await h.append(t, 'election-e', [
      {
        type: 'ElectionCalled',
        data: {
          electionId: 'e',
          unionId: 't1',
          unionLevel: 'TEAM',
          kind: 'CHAIR',
          seats: 1,
          expectedVoters: 3,
          candidateMemberIds: ['a'],
          termYears: null,
          calledOn: '2026-03-01',
        },
      },
    ]);
    const snapshot = () =>
      h.read(t, async (c) => ({
        settings: (await c.query('SELECT * FROM rm_tenant_settings ORDER BY position')).rows,
        transfers: (await c.query('SELECT * FROM rm_transfers ORDER BY transfer_id')).rows,
        elections: (await c.query('SELECT * FROM rm_elections ORDER BY election_id')).rows,
      }));
    const live = await snapshot();
    expect(live.settings).toHaveLength(2);
    expect(live.transfers).toHaveLength(1);
    expect(live.elections).toHaveLength(1);
    for (const name of ['settings', 'transfers', 'elections']) await h.runner.reset(name);
    const emptied = await withTenant(h.db.appPool, t, async (c) =>
      Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM rm_transfers')).rows[0]?.n),
    );
    expect(emptied).toBe(0);
    expect(await snapshot()).toEqual(live);
  });
});
