import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { foldEvents, type Period, type RecordedEvent } from '@app/core';
import { LOG_START, type EventStore, type LogCheckpoint } from '@app/event-store';
import type { PayrollMemberFacts } from '../../../dues/dues-payroll.commands';
import type { UnionPath } from '../../../transfer/transfer-routing.rules';
import type { UnionLevelName, UnionStatusName } from '../../member.commands';
import { evolveMember, memberDecider } from '../../member.decider';
import type { MemberEvent } from '../../member.events';
import { duesPaymentFacts } from '../../member-dues.rules';
import type { MemberState, ProtectedValue } from '../../member.state';
import type { MemberImportTenantFacts } from '../../member-import.decider';
import { cardNumberStreamId, generatedCardSequence } from '../card-numbers';
import type { MemberFactsPort, MemberUnionLookup } from '../member-facts.port';
import type { PersonalDataProtector } from '../personal-data.port';

interface UnionRow {
  readonly unionId: string;
  readonly level: UnionLevelName;
  readonly status: UnionStatusName;
  readonly parentId: string | null;
}

interface MemberRow {
  state: MemberState;
  version: number;
  employeeNo: string | null;
}

/**
 * A test double of the MEMBER_FACTS port (not of the database): the union tree and officers are
 * given by the test; members are projected from the real event store's log, like the read-model
 * adapter will. `frozen` stops the projection to play a read model that lags behind the store.
 */
export class InMemoryMemberFacts implements MemberFactsPort {
  private readonly unions = new Map<string, UnionRow>();
  private readonly officers = new Map<string, Set<string>>();
  private readonly members = new Map<string, MemberRow>();
  private checkpoint: LogCheckpoint = LOG_START;
  private cardSequence = 0;
  frozen = false;
  /** How often each method was called (a payroll must ask for its members once). */
  readonly calls = new Map<keyof MemberFactsPort, number>();

  constructor(
    private readonly store: EventStore,
    private readonly tenantId: string,
  ) {}

  addUnion(
    unionId: string,
    level: UnionLevelName,
    parentId: string | null,
    status: UnionStatusName = 'ACTIVE',
  ): this {
    this.unions.set(unionId, { unionId, level, status, parentId });
    return this;
  }

  addOfficer(userId: string, unionId: string): this {
    const set = this.officers.get(userId) ?? new Set<string>();
    set.add(unionId);
    this.officers.set(userId, set);
    return this;
  }

  memberState(memberId: string): MemberState | undefined {
    return this.members.get(memberId)?.state;
  }

  /** Projects every event recorded since the last call. */
  async catchUp(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({
        after: this.checkpoint,
        tenantId: this.tenantId,
        limit: 10_000,
      });
      page.events.forEach((event) => this.apply(event));
      if (page.checkpoint.position === this.checkpoint.position) return;
      this.checkpoint = page.checkpoint;
    }
  }

  private apply(recorded: RecordedEvent): void {
    if (!recorded.streamId.startsWith('member-')) return;
    const memberId = recorded.streamId.slice('member-'.length);
    const event = { type: recorded.type, data: recorded.data } as MemberEvent;
    const row = this.members.get(memberId) ?? {
      state: foldEvents(memberDecider, []),
      version: 0,
      employeeNo: null,
    };
    row.state = evolveMember(row.state, event);
    row.version = recorded.streamVersion;
    if (event.type === 'MembershipApplied' || event.type === 'MemberImported') {
      row.employeeNo = event.data.employeeNo;
    }
    if (
      (event.type === 'MembershipApproved' || event.type === 'MemberImported') &&
      event.data.cardNumberGenerated
    ) {
      const sequence = generatedCardSequence(event.data.cardNumber) ?? 0;
      this.cardSequence = Math.max(this.cardSequence, sequence);
    }
    this.members.set(memberId, row);
  }

  private async fresh(method: keyof MemberFactsPort): Promise<void> {
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    if (!this.frozen) await this.catchUp();
  }

  private path(unionId: string): UnionPath {
    const path: { unionId: string; level: UnionLevelName }[] = [];
    for (let row = this.unions.get(unionId); row;) {
      path.unshift({ unionId: row.unionId, level: row.level });
      row = row.parentId === null ? undefined : this.unions.get(row.parentId);
    }
    return path;
  }

  async union(tenantId: string, unionId: string): Promise<MemberUnionLookup> {
    await this.fresh('union');
    const row = tenantId === this.tenantId ? this.unions.get(unionId) : undefined;
    if (!row) return { unionId, status: 'NOT_FOUND' };
    return { unionId, level: row.level, status: row.status, path: this.path(unionId) };
  }

  async actsFor(tenantId: string, userId: string, unionIds: readonly string[]): Promise<string[]> {
    await this.fresh('actsFor');
    const roles = tenantId === this.tenantId ? this.officers.get(userId) : undefined;
    if (!roles) return [];
    return unionIds.filter((id) => this.path(id).some((entry) => roles.has(entry.unionId)));
  }

  async employeeNoInUse(
    tenantId: string,
    employeeNo: string,
    exceptMemberId: string,
  ): Promise<boolean> {
    await this.fresh('employeeNoInUse');
    if (tenantId !== this.tenantId) return false;
    return [...this.members.entries()].some(
      ([memberId, row]) =>
        memberId !== exceptMemberId &&
        row.employeeNo?.trim() === employeeNo &&
        ['APPLIED', 'ACTIVE', 'RETAINED'].includes(row.state.status),
    );
  }

  async lastGeneratedCardSequence(tenantId: string): Promise<number> {
    await this.fresh('lastGeneratedCardSequence');
    return tenantId === this.tenantId ? this.cardSequence : 0;
  }

  async importFacts(
    tenantId: string,
    query: {
      readonly memberIds: readonly string[];
      readonly employeeNos: readonly string[];
      readonly cardNumbers: readonly string[];
    },
  ): Promise<MemberImportTenantFacts> {
    await this.fresh('importFacts');
    const mine = tenantId === this.tenantId;
    const taken = async (card: string) =>
      (
        await this.store.readStream(tenantId, cardNumberStreamId(card), {
          fromVersion: 2 ** 31 - 1,
        })
      ).streamExists;
    const cards = new Set<string>();
    for (const card of query.cardNumbers) if (await taken(card)) cards.add(card.toUpperCase());
    const existing = new Set<string>();
    for (const memberId of query.memberIds) {
      const head = await this.store.readStream(tenantId, `member-${memberId}`, {
        fromVersion: 2 ** 31 - 1,
      });
      if (head.streamExists) existing.add(memberId);
    }
    const employees = new Set(
      mine
        ? [...this.members.values()]
            .filter((row) => ['APPLIED', 'ACTIVE', 'RETAINED'].includes(row.state.status))
            .map((row) => row.employeeNo?.trim() ?? '')
            .filter((no) => query.employeeNos.includes(no))
        : [],
    );
    return { existingMemberIds: existing, employeeNosInUse: employees, cardNumbersInUse: cards };
  }

  async payrollMembers(
    tenantId: string,
    period: Period,
    memberIds: readonly string[],
  ): Promise<ReadonlyMap<string, PayrollMemberFacts>> {
    await this.fresh('payrollMembers');
    const out = new Map<string, PayrollMemberFacts>();
    if (tenantId !== this.tenantId) return out;
    for (const memberId of memberIds) {
      const row = this.members.get(memberId);
      const dues = row ? duesPaymentFacts(row.state, period) : null;
      if (!row || dues === null) continue;
      const unionId = row.state.status === 'NONE' ? '' : row.state.unionId;
      out.set(memberId, {
        ...dues,
        unionPath: this.path(unionId).map((entry) => entry.unionId),
        streamVersion: row.version,
      });
    }
    return out;
  }
}

/** AES-256-GCM with one key per member, kept in memory: erasing a key erases the values. */
export class InMemoryPersonalDataProtector implements PersonalDataProtector {
  private readonly keys = new Map<string, Buffer>();

  protect(tenantId: string, memberId: string, plaintext: string): Promise<ProtectedValue> {
    const keyId = `${tenantId}/${memberId}`;
    const key = this.keys.get(keyId) ?? randomBytes(32);
    this.keys.set(keyId, key);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const ciphertext = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    return Promise.resolve({ ciphertext, keyId });
  }

  async protectMany(
    tenantId: string,
    items: readonly { readonly memberId: string; readonly plaintext: string }[],
  ): Promise<ProtectedValue[]> {
    const out: ProtectedValue[] = [];
    for (const { memberId, plaintext } of items) {
      out.push(await this.protect(tenantId, memberId, plaintext));
    }
    return out;
  }

  reveal(value: ProtectedValue): string {
    const key = this.keys.get(value.keyId);
    if (!key) throw new Error('key erased');
    const raw = Buffer.from(value.ciphertext, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  erase(tenantId: string, memberId: string): Promise<{ keyId: string; erasedAt: string }> {
    const keyId = `${tenantId}/${memberId}`;
    this.keys.delete(keyId);
    return Promise.resolve({ keyId, erasedAt: new Date().toISOString() });
  }
}
