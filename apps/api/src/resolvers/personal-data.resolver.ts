import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { hasPermission } from '@app/auth';
import { withTenant } from '@app/database';
import {
  PostgresPersonalDataProtector,
  personalDataOf,
  type RevealMode,
  type RevealResult,
} from '@app/read-models';
import type { ProtectedValue } from '@app/unions';
import DataLoader from 'dataloader';
import type { ApiContext } from '../context/api-context';
import { Member } from '../graphql/member.types';

interface ShownPersonalData {
  readonly nationalId: string | null;
  readonly phone: string | null;
  readonly erased: boolean;
}

const NONE: ShownPersonalData = { nationalId: null, phone: null, erased: false };

/**
 * Member.nationalId / phone / personalDataErased. One loader per request: a page of members is
 * one read of the ciphertexts and one of their keys. Without the PII_READ permission only the
 * masked forms are decrypted (the full values never are); an erased key reads as null with
 * `personalDataErased: true`. Nothing here logs, and a value that does not decrypt is null.
 */
@Resolver(() => Member)
export class MemberPersonalDataResolver {
  private readonly loaders = new WeakMap<ApiContext, DataLoader<string, ShownPersonalData>>();

  constructor(private readonly protector: PostgresPersonalDataProtector) {}

  @ResolveField()
  async nationalId(@Context() ctx: ApiContext, @Parent() member: Member): Promise<string | null> {
    return (await this.load(ctx, member)).nationalId;
  }

  @ResolveField()
  async phone(@Context() ctx: ApiContext, @Parent() member: Member): Promise<string | null> {
    return (await this.load(ctx, member)).phone;
  }

  @ResolveField()
  async personalDataErased(@Context() ctx: ApiContext, @Parent() member: Member): Promise<boolean> {
    return (await this.load(ctx, member)).erased;
  }

  private async load(ctx: ApiContext, member: Member): Promise<ShownPersonalData> {
    let loader = this.loaders.get(ctx);
    if (!loader) {
      const scope = await ctx.scope();
      const mode: RevealMode = hasPermission(scope.viewer, 'PII_READ') ? 'full' : 'masked';
      loader = new DataLoader((ids) => this.show(ctx, scope.tenantId, ids, mode));
      this.loaders.set(ctx, loader);
    }
    return loader.load(member.id);
  }

  private async show(
    ctx: ApiContext,
    tenantId: string,
    memberIds: readonly string[],
    mode: RevealMode,
  ): Promise<ShownPersonalData[]> {
    const rows = await withTenant(
      ctx.pool,
      tenantId,
      (c) => personalDataOf(c, tenantId, memberIds),
      {
        readOnly: true,
      },
    );
    const values: ProtectedValue[] = [];
    for (const row of rows.values()) {
      if (row.nationalId) values.push(row.nationalId);
      if (row.phone) values.push(row.phone);
    }
    const revealed = await this.protector.revealMany(tenantId, values, mode);
    const results = new Map<ProtectedValue, RevealResult>(values.map((v, i) => [v, revealed[i]!]));
    return memberIds.map((id) => {
      const row = rows.get(id);
      if (!row) return NONE;
      const nationalId = row.nationalId ? results.get(row.nationalId) : undefined;
      const phone = row.phone ? results.get(row.phone) : undefined;
      const erased =
        row.erased ||
        [nationalId, phone].some((r) => r?.ok === false && r.code === 'PERSONAL_DATA_ERASED');
      if (erased) return { nationalId: null, phone: null, erased: true };
      return { nationalId: plain(nationalId), phone: plain(phone), erased: false };
    });
  }
}

const plain = (result: RevealResult | undefined): string | null =>
  result?.ok ? result.plaintext : null;
