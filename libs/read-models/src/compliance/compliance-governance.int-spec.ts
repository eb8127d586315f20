import type { IsoDate } from '@app/core';
import { addDays, complianceAlerts, type AlertRule } from '@app/read-models';
import { ev, GovernanceHarness } from './governance.fixtures';

const TODAY = '2026-06-15';
const FUTURE_TERM_END = '2028-01-01';

describe('compliance alerts: governance rules evaluated at query time (Art. 6-9, 16)', () => {
  let h: GovernanceHarness;
  beforeAll(async () => {
    h = await GovernanceHarness.start();
  });
  afterAll(() => h.close());

  const rules = (t: string, unionId: string, today: IsoDate = TODAY): Promise<AlertRule[]> =>
    h.read(t, async (c) => (await complianceAlerts(c, t, unionId, { today })).map((a) => a.rule));

  /** A compliant committee: full seats, a chair, a women workers' member, a recent meeting. */
  async function seated(
    t: string,
    unionId: string,
    members: string[],
    seats = members.length,
    termEnd = FUTURE_TERM_END,
  ) {
    await h.append(t, `union-${unionId}`, [
      ev.form(unionId, 'COMMITTEE'),
      ev.committee(unionId, members, seats, '2025-01-01', termEnd),
      ev.chair(unionId, members[0]!),
      ev.roles(unionId, [{ memberId: members[1]!, roles: ['ORGANIZATION', 'WOMEN_WORKERS'] }]),
      ev.meeting(unionId, '2026-06-01'),
    ]);
  }

  it('requires a committee from 25 members, not at 24 (Art. 6)', async () => {
    const t = await h.tenant();
    await h.tree(t);
    await h.members(t, 't1', 24, 'MALE');
    expect(await rules(t, 't1')).toEqual([]);
    await h.members(t, 't1', 1, 'MALE', 24);
    expect(await rules(t, 't1')).toEqual(['COMMITTEE_REQUIRED']);
    const [alert] = await h.read(t, (c) => complianceAlerts(c, t, 't1', { today: TODAY }));
    expect(alert).toEqual({
      unionId: 't1',
      unionName: 'name-t1',
      rule: 'COMMITTEE_REQUIRED',
      article: { en: 'Art. 6', zh: '第六条' },
      severity: 'VIOLATION',
      message: {
        en: 'A union with 25 or more members must have an elected committee.',
        zh: '会员人数在 25 人以上的基层工会应当建立工会委员会。',
      },
      facts: { activeMembers: 25, femaleMembers: 0, threshold: 25, governanceForm: 'NONE' },
    });
  });

  it('flags a committee of 2 seats, not one of 3 (Art. 8)', async () => {
    const t = await h.tenant();
    await h.tree(t);
    const small = await h.members(t, 't1', 5, 'MALE');
    const ok = await h.members(t, 't2', 5, 'MALE');
    await seated(t, 't1', small.slice(0, 2));
    await seated(t, 't2', ok.slice(0, 3));
    expect(await rules(t, 't1')).toEqual(['COMMITTEE_SIZE_OUT_OF_RANGE']);
    expect(await rules(t, 't2')).toEqual([]);
    const [alert] = await h.read(t, (c) => complianceAlerts(c, t, 't1', { today: TODAY }));
    expect(alert?.facts).toEqual({ activeMembers: 5, femaleMembers: 0, min: 3, max: 7, seats: 2 });
  });

  it('flags a committee without a chair until one is elected (Art. 8)', async () => {
    const t = await h.tenant();
    await h.tree(t);
    const m = await h.members(t, 't1', 5, 'MALE');
    await h.append(t, 'union-t1', [
      ev.form('t1', 'COMMITTEE'),
      ev.committee('t1', m.slice(0, 3), 3, '2025-01-01', FUTURE_TERM_END),
      ev.meeting('t1', '2026-06-01'),
    ]);
    expect(await rules(t, 't1')).toEqual(['NO_CHAIR']);
    await h.append(t, 'union-t1', [ev.chair('t1', m[0]!)]);
    expect(await rules(t, 't1')).toEqual([]);
  });

  it('judges the term against the day asked: expired, expiring within 90 days, or not yet (Art. 7)', async () => {
    const t = await h.tenant();
    await h.tree(t);
    const m = await h.members(t, 't1', 5, 'MALE');
    const end = '2026-09-30';
    await seated(t, 't1', m.slice(0, 3), 3, end);
    const on = (days: number) => rules(t, 't1', addDays(end, days));
    // meetings are kept current on each day judged: only the term rules differ
    await h.append(t, 'union-t1', [ev.meeting('t1', addDays(end, 1))]);
    expect(await on(1)).toEqual(['TERM_EXPIRED']); // ended yesterday
    expect(await on(0)).toEqual(['TERM_EXPIRED']); // ends today
    expect(await on(-1)).toEqual(['TERM_EXPIRING']);
    expect(await on(-89)).toEqual(['TERM_EXPIRING']);
    expect(await on(-90)).toEqual(['TERM_EXPIRING']);
    expect(await on(-91)).toEqual([]);
    const [alert] = await h.read(t, (c) =>
      complianceAlerts(c, t, 't1', { today: addDays(end, -89) }),
    );
    expect(alert).toMatchObject({
      rule: 'TERM_EXPIRING',
      article: { en: 'Art. 7', zh: '第七条' },
      severity: 'WARNING',
      facts: { termEnd: end, daysLeft: 89 },
    });
  });

  it('flags a committee that has not met for more than two months (Art. 16)', async () => {
    const t = await h.tenant();
    await h.tree(t);
    const m = await h.members(t, 't1', 5, 'MALE');
    const n = await h.members(t, 't2', 5, 'MALE');
    await seated(t, 't1', m.slice(0, 3));
    await seated(t, 't2', n.slice(0, 3));
    await h.append(t, 'union-t1', [ev.meeting('t1', '2026-04-15')]); // not the latest: ignored
    expect(await rules(t, 't1', '2026-08-01')).toEqual([]);
    expect(await rules(t, 't1', '2026-08-02')).toEqual(['COMMITTEE_MEETING_OVERDUE']);
    // met 2 months ago vs 3 months ago
    const t2 = await h.tenant();
    await h.tree(t2);
    const a = await h.members(t2, 't1', 5, 'MALE');
    const b = await h.members(t2, 't2', 5, 'MALE');
    await h.append(t2, 'union-t1', [
      ev.form('t1', 'COMMITTEE'),
      ev.committee('t1', a.slice(0, 3), 3, '2025-01-01', FUTURE_TERM_END),
      ev.chair('t1', a[0]!),
      ev.meeting('t1', '2026-04-15'),
    ]);
    await h.append(t2, 'union-t2', [
      ev.form('t2', 'COMMITTEE'),
      ev.committee('t2', b.slice(0, 3), 3, '2025-01-01', FUTURE_TERM_END),
      ev.chair('t2', b[0]!),
      ev.meeting('t2', '2026-03-15'),
    ]);
    expect(await rules(t2, 't1')).toEqual([]);
    expect(await rules(t2, 't2')).toEqual(['COMMITTEE_MEETING_OVERDUE']);
  });

  it('asks for a women workers’ committee from 25 women, a women workers’ member below (Art. 9)', async () => {
    const t = await h.tenant();
    await h.tree(t);
    const women = await h.members(t, 't1', 24, 'FEMALE');
    await h.append(t, 'union-t1', [
      ev.form('t1', 'COMMITTEE'),
      ev.committee('t1', women.slice(0, 5), 5, '2025-01-01', FUTURE_TERM_END),
      ev.chair('t1', women[0]!),
      ev.meeting('t1', '2026-06-01'),
    ]);
    expect(await rules(t, 't1')).toEqual(['NO_FEMALE_COMMITTEE_MEMBER']);
    await h.append(t, 'union-t1', [
      ev.roles('t1', [{ memberId: women[1]!, roles: ['WOMEN_WORKERS'] }]),
    ]);
    expect(await rules(t, 't1')).toEqual([]);
    await h.members(t, 't1', 1, 'FEMALE', 24);
    expect(await rules(t, 't1')).toEqual(['WOMEN_COMMITTEE_REQUIRED']);
    await h.append(t, 'union-t1', [ev.womenCommittee('t1', women.slice(2, 5))]);
    expect(await rules(t, 't1')).toEqual([]);
  });

  it('applies the NATIONAL preset from the day it takes effect, and not before', async () => {
    const t = await h.tenant();
    await h.tree(t);
    const women = await h.members(t, 't1', 12, 'FEMALE');
    await h.append(t, 'union-t1', [
      ev.form('t1', 'COMMITTEE'),
      ev.committee('t1', women.slice(0, 5), 5, '2025-01-01', FUTURE_TERM_END),
      ev.chair('t1', women[0]!),
      ev.roles('t1', [{ memberId: women[1]!, roles: ['WOMEN_WORKERS'] }]),
      ev.meeting('t1', '2026-03-01'),
    ]);
    await h.append(t, 'tenant-settings', [
      ev.settingsChanged('2026-07-01', { preset: 'NATIONAL' }),
    ]);
    // this regulation: 3-7 seats, women's committee from 25, meetings every two months
    expect(await rules(t, 't1', '2026-06-30')).toEqual(['COMMITTEE_MEETING_OVERDUE']);
    // national: 3 seats for up to 25 members, women's committee from 10, no meeting interval
    expect(await rules(t, 't1', '2026-07-01')).toEqual([
      'COMMITTEE_SIZE_OUT_OF_RANGE',
      'WOMEN_COMMITTEE_REQUIRED',
    ]);
  });

  it('covers every active union of a subtree, or the union alone', async () => {
    const t = await h.tenant();
    await h.tree(t);
    await h.members(t, 't1', 25, 'MALE');
    await h.members(t, 't3', 25, 'MALE');
    const alerts = (unionId: string, includeSubtree: boolean) =>
      h.read(t, async (c) =>
        (await complianceAlerts(c, t, unionId, { today: TODAY, includeSubtree })).map(
          (a) => `${a.unionId}:${a.rule}`,
        ),
      );
    // the brigade's roll includes its teams' members: it needs a committee too
    expect(await alerts('s1', true)).toEqual(['b1:COMMITTEE_REQUIRED', 't1:COMMITTEE_REQUIRED']);
    expect(await alerts('s1', false)).toEqual([]);
    expect(await alerts('t1', false)).toEqual(['t1:COMMITTEE_REQUIRED']);
    expect(await alerts('co', true)).toEqual([
      'b1:COMMITTEE_REQUIRED',
      't1:COMMITTEE_REQUIRED',
      'b2:COMMITTEE_REQUIRED',
      't3:COMMITTEE_REQUIRED',
    ]);
    expect(await alerts('nowhere', true)).toEqual([]);
    expect(await alerts('nowhere', false)).toEqual([]);
  });
});
