import { SignJWT } from 'jose';
import { mintToken } from '@app/auth';
import { SECRET, type Json } from '../api/mutation-client';
import type { Refs } from './security-fixture';

/** Who attacks: tokens minted once the fixture is built. */
export type Who =
  'hq' | 's1' | 's2' | 't1' | 't3' | 'auditor' | 'auditorS2' | 'member' | 'admin' | 'adminT';

export interface Ctx {
  T: string;
  O: string;
  t: Refs;
  o: Refs;
  tk: Record<Who, string>;
}

export interface Request {
  headers: Record<string, string>;
  query: string;
  variables?: Json;
}

export type Code = 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHENTICATED' | 'BAD_USER_INPUT';

export interface Attempt {
  title: string;
  code: Code;
  /** The root field whose data must be null. */
  field: string;
  request: (c: Ctx) => Request | Promise<Request>;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const SELECTION: Record<string, string> = {
  union: '{ id name stats { subtreeMembers } }',
  member: '{ id name employeeNo }',
  election: '{ id unionId winners }',
  transfer: '{ id memberId toUnionId }',
  members: '{ totalCount nodes { id name } }',
  subordinateUnions: '{ totalCount nodes { id name } }',
  arrears: '{ totalCount nodes { id name } }',
  duesReport: '{ period paidFen payingMembers }',
  complianceAlerts: '{ unionId rule }',
  auditTrail: '{ nodes { streamId data } }',
  streamHistory: '{ version state }',
};

/** A query of one root field, as `who`. */
export const query = (
  title: string,
  code: Code,
  who: Who,
  field: string,
  args: (c: Ctx) => string,
): Attempt => ({
  title,
  code,
  field,
  request: (c) => ({
    headers: bearer(c.tk[who]),
    query: `{ ${field}(${args(c)}) ${SELECTION[field] ?? ''} }`,
  }),
});

const INPUT: Record<string, string> = {
  provisionTenant: 'ProvisionTenantInput',
  establishUnion: 'EstablishUnionInput',
  requestUnionEstablishment: 'EstablishUnionInput',
  approveUnionEstablishment: 'UnionRefInput',
  setGovernanceForm: 'SetGovernanceFormInput',
  dissolveUnion: 'DissolveUnionInput',
  applyForMembership: 'ApplyForMembershipInput',
  approveMembership: 'ApproveMembershipInput',
  rejectMembership: 'MemberDecisionInput',
  recordDuesPayment: 'RecordDuesPaymentInput',
  importDuesPayroll: 'ImportDuesPayrollInput',
  importMembers: 'ImportMembersInput',
  requestTransfer: 'RequestTransferInput',
  releaseTransfer: 'TransferRefInput',
  receiveTransfer: 'TransferRefInput',
  rejectTransfer: 'TransferRefInput',
  withdrawMember: 'WithdrawMemberInput',
  recordArrearsEducation: 'MemberDecisionInput',
  declareAutomaticWithdrawal: 'MemberDecisionInput',
  expelMember: 'ExpelMemberInput',
  startInternalRetirement: 'MemberDecisionInput',
  retainMembership: 'MemberDecisionInput',
  callElection: 'CallElectionInput',
  recordElectionResult: 'RecordElectionResultInput',
  approveElectionResult: 'ElectionRefInput',
  assignCommitteeRoles: 'AssignCommitteeRolesInput',
  extendTerm: 'ExtendTermInput',
};

export const mutationRequest = (name: string, headers: Record<string, string>, input: Json) => ({
  headers,
  query: `mutation M($input: ${INPUT[name]}!) { ${name}(input: $input) { position } }`,
  variables: { input },
});

/** A mutation, as `who`. */
export const mutation = (
  title: string,
  code: Code,
  who: Who,
  name: string,
  input: (c: Ctx) => Json,
): Attempt => ({
  title,
  code,
  field: name,
  request: (c) => mutationRequest(name, bearer(c.tk[who]), input(c)),
});

/** A well-formed input for every mutation (provisionTenant aside), aimed at one tenant's fixture. */
export const inputsFor = (r: Refs): Record<string, Json> => ({
  establishUnion: { parentId: r.s1, name: 'x', level: 'TEAM' },
  requestUnionEstablishment: { parentId: r.s1, name: 'x', level: 'TEAM' },
  approveUnionEstablishment: { unionId: r.t3 },
  setGovernanceForm: { unionId: r.t1, form: 'COMMITTEE' },
  dissolveUnion: { unionId: r.t3, reason: 'UNIT_TERMINATED', adminDecisionRef: 'ref-1' },
  applyForMembership: { unionId: r.t1, name: 'x', gender: 'MALE', employeeNo: 'E-x' },
  approveMembership: { memberId: r.P },
  rejectMembership: { memberId: r.P },
  recordDuesPayment: { memberId: r.A, period: '2026-11', wageBaseFen: 100_000 },
  importDuesPayroll: {
    unionId: r.t1,
    period: '2026-11',
    rows: [{ memberId: r.A, wageBaseFen: 100_000 }],
  },
  importMembers: {
    unionId: r.t1,
    rows: [{ employeeNo: 'E-imp', name: 'x', gender: 'MALE', joinedOn: '2020-01-01' }],
  },
  requestTransfer: { memberId: r.B, toUnionId: r.t2 },
  releaseTransfer: { transferId: r.transfer },
  receiveTransfer: { transferId: r.transfer },
  rejectTransfer: { transferId: r.transfer },
  withdrawMember: { memberId: r.A, cardReturned: true },
  recordArrearsEducation: { memberId: r.A },
  declareAutomaticWithdrawal: { memberId: r.A },
  expelMember: { memberId: r.A, criminalSanctionRef: 'c-1', committeeDecisionRef: 'd-1' },
  startInternalRetirement: { memberId: r.A },
  retainMembership: { memberId: r.A },
  callElection: {
    unionId: r.t1,
    kind: 'COMMITTEE',
    seats: 3,
    expectedVoters: 4,
    candidateMemberIds: [r.A, r.B, r.C],
  },
  recordElectionResult: {
    electionId: r.election,
    votersPresent: 4,
    tallies: [r.A, r.B, r.C].map((memberId) => ({ memberId, votes: 3 })),
  },
  approveElectionResult: { electionId: r.election },
  assignCommitteeRoles: { unionId: r.t1, assignments: [{ memberId: r.A, roles: ['LABOR'] }] },
  extendTerm: { unionId: r.t1, months: 6, approvalRef: 'ref-2' },
});

export const MUTATIONS = Object.keys(INPUT).filter((name) => name !== 'provisionTenant');

const b64 = (value: Json) => Buffer.from(JSON.stringify(value)).toString('base64url');
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
const signed = (claims: Json, alg = 'HS256', secret = SECRET) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg })
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));

/** Broken credentials: each yields the headers to send (T's own root union is the target). */
export const BAD_CREDENTIALS: [string, (c: Ctx) => Promise<Record<string, string>>][] = [
  ['no Authorization header', () => Promise.resolve({})],
  ['an empty bearer', () => Promise.resolve({ authorization: 'Bearer ' })],
  ['a Basic header', () => Promise.resolve({ authorization: 'Basic aGFjazpoYWNr' })],
  ['a bare token without "Bearer"', (c) => Promise.resolve({ authorization: c.tk.hq })],
  ['a header of three words', (c) => Promise.resolve({ authorization: `Bearer ${c.tk.hq} extra` })],
  ['a token that is not a JWT', () => Promise.resolve(bearer('not.a.jwt'))],
  [
    'a forged signature',
    async (c) =>
      bearer(
        await mintToken('another-secret'.padEnd(40, 'y'), {
          sub: 'x',
          tenant: c.T,
          roles: ['OFFICER'],
        }),
      ),
  ],
  [
    'an expired token',
    async (c) =>
      bearer(await mintToken(SECRET, { sub: 'x', tenant: c.T, roles: ['OFFICER'] }, -60)),
  ],
  [
    'alg: none',
    (c) =>
      Promise.resolve(
        bearer(
          `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', tenant: c.T, roles: ['OFFICER'], exp: inAnHour() })}.`,
        ),
      ),
  ],
  [
    'a payload swapped under a valid signature',
    (c) => {
      const [head, , sig] = c.tk.hq.split('.');
      const payload = b64({ sub: 'hq', tenant: c.O, roles: ['OFFICER'], exp: inAnHour() });
      return Promise.resolve(bearer(`${head}.${payload}.${sig}`));
    },
  ],
  [
    'HS512 with the right secret',
    async (c) => bearer(await signed({ sub: 'x', tenant: c.T, roles: ['OFFICER'] }, 'HS512')),
  ],
  ['a missing sub', async (c) => bearer(await signed({ tenant: c.T, roles: ['OFFICER'] }))],
  ['a missing tenant', async () => bearer(await signed({ sub: 'x', roles: ['OFFICER'] }))],
  [
    'an unknown role',
    async (c) => bearer(await signed({ sub: 'x', tenant: c.T, roles: ['SUPERUSER'] })),
  ],
  [
    'roles not an array',
    async (c) => bearer(await signed({ sub: 'x', tenant: c.T, roles: 'OFFICER' })),
  ],
  [
    'a MEMBER without a member claim',
    async (c) => bearer(await signed({ sub: 'x', tenant: c.T, roles: ['MEMBER'] })),
  ],
  [
    'no exp',
    async (c) =>
      bearer(
        await new SignJWT({ tenant: c.T, roles: ['OFFICER'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('x')
          .sign(new TextEncoder().encode(SECRET)),
      ),
  ],
];
