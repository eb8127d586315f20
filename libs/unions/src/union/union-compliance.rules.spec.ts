import { foldEvents } from '@app/core';
import { unionDecider } from './union.decider';
import type { UnionEvent } from './union.events';
import { ENTERPRISE, established, NATIONAL, SEATED, UNION_ID } from './union.fixtures';
import type { ActiveUnion } from './union.state';
import { committeeMeetingOverdue, complianceFindings } from './union-compliance.rules';

const fold = (events: UnionEvent[]) => foldEvents(unionDecider, events) as ActiveUnion;
const held = (heldOn: string): UnionEvent => ({
  type: 'CommitteeMeetingHeld',
  data: { unionId: UNION_ID, heldOn, minutesRef: null },
});
const rules = (
  union: ActiveUnion,
  activeMembers: number,
  femaleMembers: number,
  date = '2025-01-15',
  settings = ENTERPRISE,
) =>
  complianceFindings(union, { activeMembers, femaleMembers }, date, settings).map(
    (f) => `${f.rule} ${f.article.en}`,
  );

describe('union compliance', () => {
  it('flags a meeting overdue only after more than two months (Art. 16)', () => {
    const union = fold([...SEATED, held('2025-01-15')]);
    expect(committeeMeetingOverdue(union, '2025-03-15', ENTERPRISE)).toBe(false);
    expect(committeeMeetingOverdue(union, '2025-03-16', ENTERPRISE)).toBe(true);
    expect(committeeMeetingOverdue(union, '2025-09-01', NATIONAL)).toBe(false);
    // Before the first meeting the term start counts (2024-03-01).
    expect(committeeMeetingOverdue(fold(SEATED), '2024-05-02', ENTERPRISE)).toBe(true);
  });

  it('requires a committee at 25 members, not at 24 (Art. 6)', () => {
    const union = fold([established()]);
    expect(rules(union, 24, 0)).toEqual([]);
    expect(rules(union, 25, 0)).toEqual(['COMMITTEE_REQUIRED Art. 6']);
  });

  it('requires a women workers’ committee at the threshold and a women workers’ member below it (Art. 9)', () => {
    const union = fold([...SEATED, held('2025-01-01')]);
    expect(rules(union, 30, 24)).toEqual(['WOMEN_WORKERS_MEMBER_REQUIRED Art. 9']);
    expect(rules(union, 30, 25)).toEqual(['WOMEN_COMMITTEE_REQUIRED Art. 9']);
    expect(rules(union, 30, 0)).toEqual([]);
  });

  it('flags an expired term, a vacancy and a missing chair (Art. 7, 8)', () => {
    const union = fold([
      ...SEATED.slice(0, 3),
      held('2027-03-01'),
      {
        type: 'CommitteeSeatVacated',
        data: { unionId: UNION_ID, memberId: 'm5', cause: 'RESIGNED', decidedOn: '2025-01-01' },
      },
    ]);
    expect(rules(union, 30, 0, '2027-02-28')).toEqual([
      'COMMITTEE_VACANCY Art. 8',
      'CHAIR_VACANT Art. 8',
    ]);
    expect(rules(union, 30, 0, '2027-03-01')).toEqual([
      'COMMITTEE_VACANCY Art. 8',
      'CHAIR_VACANT Art. 8',
      'TERM_EXPIRED Art. 7',
    ]);
  });

  it('judges the committee size by the membership band in force (NATIONAL)', () => {
    const union = fold([...SEATED, held('2025-01-01')]);
    expect(rules(union, 25, 0, '2025-01-15', NATIONAL)).toEqual([
      'COMMITTEE_SIZE_OUT_OF_RANGE Art. 8',
    ]);
    expect(rules(union, 26, 0, '2025-01-15', NATIONAL)).toEqual([]);
  });
});
