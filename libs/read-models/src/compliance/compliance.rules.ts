import { addMonthsToPeriod, type IsoDate } from '@app/core';
import {
  committeeSizeRange,
  complianceFindings,
  hasCommitteeForm,
  type ActiveUnion,
  type ComplianceFinding,
  type Governance,
  type RuleSettings,
  type UnionLevel,
} from '@app/unions';
import {
  addDays,
  arrearsAlert,
  daysBetween,
  FINDING_ALERT,
  TERM_EXPIRING_DAYS,
  termExpiringAlert,
  transferStalledAlert,
  type ComplianceAlert,
  type FactValue,
} from './compliance-alert';
import type { ComplianceRow } from './compliance-sql';

function governanceOf(row: ComplianceRow): Governance {
  switch (row.governance_form) {
    case 'COMMITTEE':
      return { form: 'COMMITTEE' };
    case 'JOINT_COMMITTEE':
      return { form: 'JOINT_COMMITTEE', jointWithUnionIds: row.joint_with };
    case 'ORGANIZER':
      return { form: 'ORGANIZER', organizerMemberId: row.organizer_member_id ?? '' };
    default:
      return { form: 'NONE' };
  }
}

/**
 * The union as the shared compliance rules see it, rebuilt from its rm_unions row. The rules read
 * only the level, governance, committee (seats and roles), term dates, women's committee and last
 * meeting; election ids are not kept by the read model and left empty.
 */
export function activeUnionOf(row: ComplianceRow): ActiveUnion {
  const years =
    row.term_start && row.term_end
      ? Number(row.term_end.slice(0, 4)) - Number(row.term_start.slice(0, 4))
      : 0;
  return {
    status: 'ACTIVE',
    unionId: row.union_id,
    name: row.name,
    level: row.level as UnionLevel,
    parentId: row.parent_id,
    establishedOn: row.established_on ?? '',
    governance: governanceOf(row),
    committee:
      row.committee_seats > 0
        ? {
            electionId: '',
            seats: row.committee_seats,
            members: row.committee.map((s) => ({
              memberId: s.memberId,
              roles: s.roles,
              electionId: '',
              electedBy: 'MEMBERS_CONGRESS',
            })),
          }
        : null,
    term:
      row.term_start && row.term_end
        ? { years, start: row.term_start, end: row.term_end, extensions: [] }
        : null,
    womenCommittee:
      row.women_committee.length > 0 ? { electionId: '', memberIds: row.women_committee } : null,
    groupLeader: row.group_leader_id ? { electionId: '', memberId: row.group_leader_id } : null,
    lastMeetingOn: row.last_meeting_on,
    installedElectionIds: [],
  };
}

function findingFacts(
  finding: ComplianceFinding,
  row: ComplianceRow,
  settings: RuleSettings,
): Record<string, FactValue> {
  const counts = { activeMembers: row.sub_active, femaleMembers: row.sub_female };
  switch (finding.rule) {
    case 'COMMITTEE_REQUIRED':
      return {
        ...counts,
        threshold: settings.committeeRequiredAtMembers,
        governanceForm: row.governance_form,
      };
    case 'COMMITTEE_SIZE_OUT_OF_RANGE':
      return {
        ...counts,
        ...committeeSizeRange(settings.committeeSize, row.sub_active),
        seats: row.committee_seats,
      };
    case 'COMMITTEE_VACANCY':
      return { seats: row.committee_seats, filled: row.committee.length };
    case 'CHAIR_VACANT':
      return { committeeMembers: row.committee.map((s) => s.memberId) };
    case 'TERM_EXPIRED':
      return { termStart: row.term_start, termEnd: row.term_end };
    case 'COMMITTEE_MEETING_OVERDUE':
      return {
        lastMeetingOn: row.last_meeting_on,
        termStart: row.term_start,
        intervalMonths: settings.committeeMeetingIntervalMonths,
      };
    case 'WOMEN_COMMITTEE_REQUIRED':
    case 'WOMEN_WORKERS_MEMBER_REQUIRED':
      return { ...counts, threshold: settings.womenCommitteeRequiredAtFemaleMembers };
    default: {
      const unhandled: never = finding.rule;
      return { rule: unhandled };
    }
  }
}

/**
 * Every alert of one union on `today` under the settings in force then: the shared pure rules
 * (Art. 6-9, 16), then the read model's own (term expiring, arrears candidates, stalled
 * transfers). Member counts are the union's subtree (a union's roll includes its sub-unions').
 */
export function alertsOf(
  row: ComplianceRow,
  today: IsoDate,
  settings: RuleSettings,
): ComplianceAlert[] {
  const union = activeUnionOf(row);
  const who = { unionId: row.union_id, unionName: row.name };
  const alerts: ComplianceAlert[] = complianceFindings(
    union,
    { activeMembers: row.sub_active, femaleMembers: row.sub_female },
    today,
    settings,
  ).map((f) => ({
    ...who,
    rule: FINDING_ALERT[f.rule],
    article: { en: f.article.en, zh: f.article.zh },
    severity: f.severity,
    message: { en: f.messages.en, zh: f.messages.zh },
    facts: findingFacts(f, row, settings),
  }));
  const term = union.term;
  if (union.committee && hasCommitteeForm(union.governance) && term && today < term.end) {
    const daysLeft = daysBetween(today, term.end);
    if (term.end <= addDays(today, TERM_EXPIRING_DAYS))
      alerts.push(termExpiringAlert(who, term.end, daysLeft));
  }
  if (row.arrears_ids && row.arrears_ids.length > 0) {
    alerts.push(
      arrearsAlert(
        who,
        row.arrears_ids,
        row.arrears_educated ?? 0,
        settings.arrearsWithdrawalMonths,
        addMonthsToPeriod(today.slice(0, 7), -1),
      ),
    );
  }
  for (const transfer of row.stalled ?? []) alerts.push(transferStalledAlert(who, transfer, today));
  return alerts;
}
