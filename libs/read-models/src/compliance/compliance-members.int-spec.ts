import type { IsoDate } from '@app/core';
import { withTenant } from '@app/database';
import { complianceAlerts, SettingsProjection } from '@app/read-models';
import { transferEv } from '../transfers/transfer.fixtures';
import { ev, GovernanceHarness } from './governance.fixtures';

describe('compliance alerts: arrears candidates, stalled transfers, replay (Art. 19)', () => {
  let h: GovernanceHarness;
  beforeAll(async () => {
    h = await GovernanceHarness.start();
  });
  afterAll(() => h.close());

  const alerts = (t: string, unionId: string, today: IsoDate, includeSubtree = false) =>
    h.read(t, (c) => complianceAlerts(c, t, unionId, { today, includeSubtree }));
  const rules = async (t: string, unionId: string, today: IsoDate, includeSubtree = false) =>
    (await alerts(t, unionId, today, includeSubtree)).map((a) => `${a.unionId}:${a.rule}`);

  it('flags active, liable members with 6 unpaid months up to the last complete month (Art. 19(4))', async () => {
    const t = await h.tenant();
    await h.tree(t);
    const join = (id: string, options: Parameters<typeof ev.imported>[3] = {}) =>
      h.append(t, `member-${id}`, [
        ev.imported(id, 't1', 'MALE', { joinedOn: '2025-10-08', ...options }),
      ]);
    await join('late'); // liable from 2025-10, never paid
    await join('paid-once');
    await h.append(t, 'member-paid-once', [ev.duesPaid('paid-once', 't1', '2025-10')]);
    await join('exempt', { exempt: true });
    await join('imported', { liableFrom: '2025-11' }); // dues before 2025-11 settled elsewhere
    await join('retained');
    await h.append(t, 'member-retained', [
      {
        type: 'MembershipRetained',
        data: {
          memberId: 'retained',
          unionId: 't1',
          retainedOn: '2025-12-01',
          reason: 'RETIREMENT',
          duesExemptFrom: '2025-12',
          note: null,
        },
      },
    ]);
    // 2025-10 … 2026-02: five unpaid months; 2026-03 is not due until it has ended
    expect(await rules(t, 't1', '2026-03-31')).toEqual([]);
    const [alert] = await alerts(t, 't1', '2026-04-01');
    expect(alert).toEqual({
      unionId: 't1',
      unionName: 'name-t1',
      rule: 'ARREARS_WITHDRAWAL_CANDIDATE',
      article: { en: 'Art. 19(4)', zh: '第十九条第（四）项' },
      severity: 'WARNING',
      message: {
        en:
          '1 member(s) have paid no dues for 6 or more consecutive months (through 2026-03): ' +
          'educate them; only a member who still refuses may be deemed withdrawn.',
        zh:
          '1 名会员连续 6 个月以上未交纳会费（截至 2026-03），应进行教育；' +
          '经教育仍拒不交纳的，方可按自动退会处理。',
      },
      facts: {
        candidates: 1,
        educated: 0,
        memberIds: ['late'],
        minMonths: 6,
        throughPeriod: '2026-03',
      },
    });
    // a month later the member who paid 2025-10 and the one liable from 2025-11 reach 6 too
    expect((await alerts(t, 't1', '2026-05-01'))[0]?.facts.memberIds).toEqual([
      'imported',
      'late',
      'paid-once',
    ]);
    // paying the last due month clears the streak
    await h.append(t, 'member-late', [ev.duesPaid('late', 't1', '2026-03')]);
    expect((await alerts(t, 't1', '2026-04-01')).map((a) => a.rule)).toEqual([]);
  });

  it('uses the arrears threshold in force on the day judged', async () => {
    const t = await h.tenant();
    await h.tree(t);
    await h.append(t, 'member-m', [ev.imported('m', 't1', 'MALE', { joinedOn: '2026-01-10' })]);
    await h.append(t, 'tenant-settings', [
      ev.settingsChanged('2026-05-01', { overrides: { arrearsWithdrawalMonths: 3 } }),
    ]);
    // 2026-01 … 2026-03 unpaid: three months, enough only once the override is in force
    expect(await rules(t, 't1', '2026-04-30')).toEqual([]);
    const [alert] = await alerts(t, 't1', '2026-05-01');
    expect(alert?.facts).toMatchObject({ memberIds: ['m'], minMonths: 3 });
  });

  it('flags a transfer open more than 30 days at the union that has to act next', async () => {
    const t = await h.tenant();
    await h.tree(t);
    await h.append(t, 'member-x', [ev.imported('x', 't1', 'MALE', { joinedOn: '2026-04-01' })]);
    await h.append(t, 'transfer-x1', [
      transferEv.requested(
        'x1',
        'x',
        { from: 't1', to: 't3', sending: 's1', receiving: 's2' },
        '2026-05-01',
      ),
    ]);
    expect(await rules(t, 'co', '2026-05-31', true)).toEqual([]); // open 30 days
    expect(await rules(t, 'co', '2026-06-01', true)).toEqual(['s1:TRANSFER_STALLED']);
    const [alert] = await alerts(t, 's1', '2026-06-01');
    expect(alert).toMatchObject({
      rule: 'TRANSFER_STALLED',
      article: { en: 'Art. 19(3)', zh: '第十九条第（三）项' },
      facts: {
        transferId: 'x1',
        memberId: 'x',
        status: 'REQUESTED',
        requestedOn: '2026-05-01',
        fromUnionId: 't1',
        toUnionId: 't3',
        daysOpen: 31,
      },
    });
    await h.append(t, 'transfer-x1', [transferEv.released('x1', 'x', 's1', '2026-06-02')]);
    expect(await rules(t, 'co', '2026-06-03', true)).toEqual(['s2:TRANSFER_STALLED']);
    expect(await rules(t, 's1', '2026-06-03', true)).toEqual([]);
    await h.append(t, 'transfer-x1', [transferEv.received('x1', 'x', 't3', '2026-06-04')]);
    expect(await rules(t, 'co', '2026-06-05', true)).toEqual([]);
  });

  it('leaves dissolved unions out and reports vacancies of a partly filled committee', async () => {
    const t = await h.tenant();
    await h.tree(t);
    await h.members(t, 't2', 25, 'MALE');
    await h.append(t, 'union-t2', [ev.dissolved('t2', 'b1')]);
    const m = await h.members(t, 't1', 5, 'MALE');
    await h.append(t, 'union-t1', [
      ev.form('t1', 'COMMITTEE'),
      ev.committee('t1', m.slice(0, 3), 4, '2025-01-01', '2028-01-01'),
      ev.chair('t1', m[0]!),
      ev.meeting('t1', '2026-06-01'),
    ]);
    expect(await rules(t, 'b1', '2026-06-15', true)).toEqual([
      'b1:COMMITTEE_REQUIRED', // 25 + 5 members in the brigade's subtree
      't1:COMMITTEE_VACANCY',
    ]);
  });

  it('changes nothing when the settings batch is applied twice', async () => {
    const t = await h.tenant();
    await h.tree(t);
    await h.members(t, 't1', 12, 'FEMALE');
    await h.append(t, 'tenant-settings', [
      ev.settingsChanged('2026-07-01', { preset: 'NATIONAL' }),
    ]);
    const before = await alerts(t, 'co', '2026-07-01', true);
    // national: a women workers' committee from 10 women, on every union above them too
    expect(before.map((a) => `${a.unionId}:${a.rule}`)).toEqual([
      'co:WOMEN_COMMITTEE_REQUIRED',
      's1:WOMEN_COMMITTEE_REQUIRED',
      'b1:WOMEN_COMMITTEE_REQUIRED',
      't1:WOMEN_COMMITTEE_REQUIRED',
    ]);
    const rows = () =>
      withTenant(
        h.db.appPool,
        t,
        async (c) =>
          (await c.query<{ type: string }>('SELECT * FROM rm_tenant_settings ORDER BY position'))
            .rows,
      );
    const stored = await rows();
    expect(stored.map((r) => r.type)).toEqual(['TenantSettingsProvisioned', 'RuleSettingsChanged']);
    const { events } = await h.store.readAll({ tenantId: t, limit: 1000 });
    const projection = new SettingsProjection();
    for (let i = 0; i < 2; i++)
      await withTenant(h.db.appPool, t, (c) => projection.apply(c, { tenantId: t, events }));
    expect(await rows()).toEqual(stored);
    expect(await alerts(t, 'co', '2026-07-01', true)).toEqual(before);
  });
});
