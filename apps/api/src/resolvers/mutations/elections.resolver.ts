import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { dateInZone } from '@app/core';
import { withTenant } from '@app/database';
import { settingsOn } from '@app/read-models';
import {
  ApproveElectionResultCommand,
  AssignCommitteeRolesCommand,
  CallElectionCommand,
  ExtendTermCommand,
  RecordElectionResultCommand,
  idForCommand,
  type UnionOutcome,
} from '@app/unions';
import type { ApiContext } from '../../context/api-context';
import { CommitteeRole, ElectionKind } from '../../graphql/enums';
import {
  AssignCommitteeRolesInput,
  CallElectionInput,
  ElectionRefInput,
  ExtendTermInput,
  RecordElectionResultInput,
} from '../../graphql/inputs.types';
import { ElectionPayload, UnionPayload } from '../../graphql/payload.types';
import { MutationSupport, type OfficerAct } from './mutation-support';

/** Bounds of a well-formed request; the rules themselves (Art. 7-10, 13, 15) are the domain's. */
const SEATS_MAX = 100;
const CANDIDATES_MAX = 500;
const VOTERS_MAX = 1_000_000;
const TERM_MONTHS_MAX = 120;
const TERM_YEARS_MAX = 10;
const REF_MAX = 200;

/** Art. 7-10, 13, 15, 29: elections, the committee's portfolios and term extensions. */
@Resolver()
export class ElectionMutationsResolver {
  constructor(private readonly support: MutationSupport) {}

  @Mutation(() => ElectionPayload, {
    description:
      "Calls a ballot in an active union; a committee's term is the shortest the settings allow",
  })
  async callElection(
    @Context() ctx: ApiContext,
    @Args('input') input: CallElectionInput,
  ): Promise<ElectionPayload> {
    const act = await this.support.begin(ctx, input.commandId);
    const { check, scope } = act;
    const unionId = check.id('unionId', input.unionId);
    const kind = check.oneOf('kind', input.kind, ElectionKind);
    const seats = check.int('seats', input.seats, 1, SEATS_MAX);
    const expectedVoters = check.int('expectedVoters', input.expectedVoters, 1, VOTERS_MAX);
    const candidateMemberIds = check.ids(
      'candidateMemberIds',
      input.candidateMemberIds,
      1,
      CANDIDATES_MAX,
    );
    await scope.union(unionId, 'write', 'an election in this union');
    for (const memberId of candidateMemberIds)
      await scope.member(memberId, 'write', 'this candidate');
    const electionId = idForCommand(act.metadata, undefined, 'election');
    const given = check.optionalInt('termYears', input.termYears, 1, TERM_YEARS_MAX);
    if (given !== undefined && kind !== 'COMMITTEE')
      check.fail('termYears', 'is for COMMITTEE elections only', '仅适用于委员会选举');
    // the decider checks it against the tenant's allowed terms (Art. 7)
    const termYears =
      kind === 'COMMITTEE' ? (given ?? (await this.shortestTerm(ctx, act))) : undefined;
    const outcome = await this.support.execute(
      new CallElectionCommand(
        {
          electionId,
          unionId,
          kind,
          seats,
          expectedVoters,
          candidateMemberIds,
          ...(termYears === undefined ? {} : { termYears }),
        },
        act.metadata,
      ),
    );
    return this.electionPayload(ctx, act, electionId, outcome.position);
  }

  @Mutation(() => ElectionPayload, {
    description: 'Turnout and tallies: valid at 2/3 of the expected voters (Art. 13)',
  })
  async recordElectionResult(
    @Context() ctx: ApiContext,
    @Args('input') input: RecordElectionResultInput,
  ): Promise<ElectionPayload> {
    const act = await this.support.begin(ctx, input.commandId);
    const { check } = act;
    const electionId = check.id('electionId', input.electionId);
    const votersPresent = check.int('votersPresent', input.votersPresent, 0, VOTERS_MAX);
    check.ids(
      'tallies',
      input.tallies.map((t) => t.memberId),
      0,
      CANDIDATES_MAX,
    );
    const tallies = input.tallies.map((t, i) => ({
      memberId: t.memberId.trim(),
      votes: check.int(`tallies[${i}].votes`, t.votes, 0, VOTERS_MAX),
    }));
    const election = await this.support.electionView(ctx, act.tenantId, electionId);
    await act.scope.union(election.unionId, 'write', 'the result of this election');
    const outcome = await this.support.execute(
      new RecordElectionResultCommand(
        {
          electionId,
          votersPresent,
          tallies,
          ...(input.heldOn ? { heldOn: input.heldOn } : {}),
        },
        act.metadata,
      ),
    );
    return this.electionPayload(ctx, act, electionId, outcome.position);
  }

  @Mutation(() => ElectionPayload, {
    description: 'The parent union approves; the union installs the result (Art. 29)',
  })
  async approveElectionResult(
    @Context() ctx: ApiContext,
    @Args('input') input: ElectionRefInput,
  ): Promise<ElectionPayload> {
    const act = await this.support.begin(ctx, input.commandId);
    const electionId = act.check.id('electionId', input.electionId);
    const election = await this.support.electionView(ctx, act.tenantId, electionId);
    // the approver is an officer of the parent, whose subtree holds the election's union
    await act.scope.union(election.unionId, 'write', 'approving this election');
    const outcome = await this.support.execute(
      new ApproveElectionResultCommand({ electionId }, act.metadata),
    );
    return this.electionPayload(ctx, act, electionId, outcome.position);
  }

  @Mutation(() => UnionPayload, {
    description: "The committee's portfolios; one person may hold several (Art. 8, 9, 14)",
  })
  async assignCommitteeRoles(
    @Context() ctx: ApiContext,
    @Args('input') input: AssignCommitteeRolesInput,
  ): Promise<UnionPayload> {
    const act = await this.support.begin(ctx, input.commandId);
    const { check, scope } = act;
    const unionId = check.id('unionId', input.unionId);
    const memberIds = check.ids(
      'assignments',
      input.assignments.map((a) => a.memberId),
      1,
      SEATS_MAX,
    );
    const assignments = input.assignments.map((a, i) => ({
      memberId: memberIds[i] ?? a.memberId,
      roles: a.roles.map((role, j) =>
        check.oneOf(`assignments[${i}].roles[${j}]`, role, CommitteeRole),
      ),
    }));
    await scope.union(unionId, 'write', 'the committee of this union');
    for (const memberId of memberIds)
      await scope.member(memberId, 'write', 'this committee member');
    const outcome = await this.support.execute(
      new AssignCommitteeRolesCommand({ unionId, assignments }, act.metadata),
    );
    return this.unionPayload(ctx, act, unionId, outcome);
  }

  @Mutation(() => UnionPayload, {
    description: "Extends the committee's term with the parent's approval (Art. 7)",
  })
  async extendTerm(
    @Context() ctx: ApiContext,
    @Args('input') input: ExtendTermInput,
  ): Promise<UnionPayload> {
    const act = await this.support.begin(ctx, input.commandId);
    const { check } = act;
    const unionId = check.id('unionId', input.unionId);
    const months = check.int('months', input.months, 1, TERM_MONTHS_MAX);
    const approvalRef = check.text('approvalRef', input.approvalRef, REF_MAX);
    await act.scope.union(unionId, 'write', 'the term of this union');
    const outcome = await this.support.execute(
      new ExtendTermCommand(
        { unionId, months, approvalRef, special: input.special ?? false },
        act.metadata,
      ),
    );
    return this.unionPayload(ctx, act, unionId, outcome);
  }

  /**
   * A committee's term (Art. 7): the contract's CallElectionInput has no term yet, so the
   * shortest the tenant's settings allow today (3 years under both presets).
   */
  private async shortestTerm(ctx: ApiContext, act: OfficerAct): Promise<number> {
    const { tenantId } = act;
    const settings = await withTenant(
      ctx.pool,
      tenantId,
      (c) => settingsOn(c, tenantId, dateInZone(act.metadata.now)),
      { readOnly: true },
    );
    return Math.min(...settings.termYearsAllowed);
  }

  private async electionPayload(
    ctx: ApiContext,
    act: OfficerAct,
    electionId: string,
    at: number | null,
  ): Promise<ElectionPayload> {
    const position = await this.support.settle(ctx, act.tenantId, at);
    return { election: await this.support.election(ctx, act.tenantId, electionId), position };
  }

  private async unionPayload(
    ctx: ApiContext,
    act: OfficerAct,
    unionId: string,
    outcome: UnionOutcome,
  ): Promise<UnionPayload> {
    const position = await this.support.settle(ctx, act.tenantId, outcome.position);
    return { union: await this.support.union(ctx, act.tenantId, unionId), position };
  }
}
