import { addMonthsToDate, type IsoDate } from '@app/core';
import type {
  ChairElected,
  CommitteeElected,
  CommitteeMeetingHeld,
  GovernanceFormSet,
  GroupLeaderElected,
  UnionEvent,
  WomenCommitteeElected,
} from '@app/unions';
import { addDays, type MemberPlan, type UnionPlan } from './plan';
import type { Prng } from './prng';

/** Members counted on a union and its subtree at import (for candidates and Art. 6 / 9). */
function rollOf(unions: readonly UnionPlan[], union: UnionPlan, limit: number): number[] {
  const out: number[] = [...union.members];
  const queue = [...union.children];
  while (queue.length > 0 && out.length < limit) {
    const child = unions[queue.shift()!]!;
    out.push(...child.members);
    queue.push(...child.children);
  }
  return out;
}

/**
 * Committees and terms (some expired or expiring), chairs, organisers for small rolls, women
 * workers' committees where 25+ women, group leaders, last committee meetings (some overdue).
 * Shares are chosen so that every compliance rule fires somewhere in a large tenant.
 */
export function planGovernance(
  prng: Prng,
  unions: UnionPlan[],
  members: readonly MemberPlan[],
  windowEnd: IsoDate,
): void {
  const active = (i: number) => !members[i]!.retainedAtImport && members[i]!.joinMonth < 0;
  for (const union of unions) {
    const events: UnionEvent[] = [];
    if (union.level === 'GROUP') {
      const roll = unions[union.parent]!.members.filter(active);
      if (roll.length > 0 && prng.chance(0.8)) {
        events.push({
          type: 'GroupLeaderElected',
          data: {
            unionId: union.id,
            electionId: prng.uuid(),
            memberId: members[prng.pick(roll)]!.id,
            electedOn: addDays(windowEnd, -prng.int(60, 1500)),
          },
        } satisfies GroupLeaderElected);
      }
      union.governance = events;
      continue;
    }
    const roll = rollOf(unions, union, 400).filter(active);
    const own = union.members.filter(active).length;
    const grassroots = union.level === 'TEAM' || union.level === 'BRIGADE';
    const size = grassroots ? own : roll.length;
    const small = grassroots && own < 25;
    const form = small
      ? prng.chance(0.55)
        ? 'ORGANIZER'
        : prng.chance(0.55)
          ? 'COMMITTEE'
          : 'NONE'
      : prng.chance(union.level === 'TEAM' ? 0.88 : 0.97)
        ? 'COMMITTEE'
        : 'NONE';
    if (roll.length === 0 || form === 'NONE') {
      union.governance = events;
      continue;
    }
    if (form === 'ORGANIZER') {
      const organizer = members[prng.pick(roll)]!.id;
      events.push({
        type: 'GovernanceFormSet',
        data: {
          unionId: union.id,
          form: 'ORGANIZER',
          jointWithUnionIds: [],
          organizerMemberId: organizer,
          activeMembers: size,
          effectiveOn: addDays(windowEnd, -prng.int(200, 1500)),
        },
      } satisfies GovernanceFormSet);
      union.governance = events;
      continue;
    }
    const seats = Math.min(roll.length, small ? 3 : union.level === 'TEAM' ? prng.pick([3, 5]) : 7);
    const termYears = prng.pick([3, 4, 5]);
    // from a year past its end (expired) to fresh: roughly 1 in 8 terms has run out
    const termStart = addDays(windowEnd, -prng.int(30, termYears * 365 + 200));
    const electionId = prng.uuid();
    const committee = prng.sample(roll, seats).map((i) => members[i]!.id);
    events.push(
      {
        type: 'CommitteeElected',
        data: {
          unionId: union.id,
          electionId,
          seats,
          memberIds: committee,
          termYears,
          termStart,
          termEnd: addMonthsToDate(termStart, termYears * 12),
        },
      } satisfies CommitteeElected,
      {
        type: 'ChairElected',
        data: { unionId: union.id, electionId, memberId: committee[0]!, electedOn: termStart },
      } satisfies ChairElected,
    );
    const women = roll.filter((i) => members[i]!.female);
    const femaleCount = grassroots ? union.members.filter((i) => members[i]!.female).length : 99;
    if (femaleCount >= 25 && women.length >= 3 && prng.chance(0.85)) {
      events.push({
        type: 'WomenCommitteeElected',
        data: {
          unionId: union.id,
          electionId: prng.uuid(),
          memberIds: prng.sample(women, 3).map((i) => members[i]!.id),
          electedOn: termStart,
        },
      } satisfies WomenCommitteeElected);
    }
    const heldOn = addDays(windowEnd, prng.chance(0.75) ? -prng.int(5, 55) : -prng.int(70, 300));
    events.push({
      type: 'CommitteeMeetingHeld',
      data: {
        unionId: union.id,
        heldOn: heldOn < termStart ? termStart : heldOn,
        minutesRef: null,
      },
    } satisfies CommitteeMeetingHeld);
    union.governance = events;
  }
}
