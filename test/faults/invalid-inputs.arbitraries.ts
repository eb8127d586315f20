import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLInputObjectType,
  type GraphQLInputType,
} from 'graphql';
import type { Json } from '../api/mutation-client';
import type { TenantRefs } from './fuzz-fixture';

/** The contract's mutations (not the server's schema: a mutation it lacks must fail cleanly too). */
const contract = buildSchema(
  readFileSync(join(__dirname, '..', 'contract', 'api-contract.graphql'), 'utf8'),
);
export const MUTATIONS = Object.values(contract.getMutationType()!.getFields()).map((f) => ({
  name: f.name,
  inputType: getNamedType(f.args[0]!.type) as GraphQLInputObjectType,
}));

export interface InvalidCase {
  mutation: string;
  inputType: string;
  input: Json;
  /** Where the input was broken and how, for the failure message. */
  path: string;
  corruption: string;
}

interface Refs {
  own: TenantRefs;
  other: TenantRefs;
}

/** Which of a tenant's entities an id field names. */
function entityId(inputType: string, field: string, r: TenantRefs): string | undefined {
  if (field === 'memberId' || field === 'organizerMemberId')
    return inputType === 'ApproveMembershipInput' ? r.applied : r.active[0];
  if (field === 'toUnionId') return r.t3;
  if (field === 'unionId' || field === 'parentId') return r.t1;
  if (field === 'transferId') return r.transfer;
  if (field === 'electionId') return r.election;
  return undefined;
}

const STRINGS: Record<string, string> = {
  period: '2026-01',
  nationalId: '110105199003070028',
  phone: '13800138000',
  employeeNo: 'E-FUZZ-1',
};
const INTS: Record<string, number> = {
  wageBaseFen: 300_000,
  seats: 3,
  expectedVoters: 4,
  votersPresent: 4,
  votes: 1,
  months: 12,
};

/** A well-formed value for a field (the rest of the input stays valid around the broken part). */
function validValue(
  parent: string,
  field: string,
  type: GraphQLInputType,
  r: TenantRefs,
  fresh: string,
): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    if (field === 'candidateMemberIds') return r.active.slice(0, 3);
    if (field === 'jointWithUnionIds') return [r.t3];
    return [validValue(parent, field, inner.ofType, r, fresh)];
  }
  const named = getNamedType(inner);
  if (isInputObjectType(named)) return validObject(named, r, fresh, true);
  if (isEnumType(named)) return named.getValues()[0]!.value;
  switch (named.name) {
    case 'ID':
      if (field === 'commandId') return `fz-${fresh}`;
      if (field === 'tenantId') return `fz-${fresh}`;
      return entityId(parent, field, r) ?? r.active[0];
    case 'String':
      return STRINGS[field] ?? `fuzz ${field}`;
    case 'Int':
      return INTS[field] ?? 1;
    case 'Boolean':
      return true;
    case 'Date':
      return '2026-01-15';
    default:
      throw new Error(`no valid value for ${named.name}`);
  }
}

function validObject(
  type: GraphQLInputObjectType,
  r: TenantRefs,
  fresh: string,
  requiredOnly: boolean,
): Json {
  const out: Json = {};
  for (const f of Object.values(type.getFields())) {
    if (requiredOnly && !isNonNullType(f.type)) continue;
    // toUnionId and toExternal exclude each other: the valid base names the union
    if (f.name === 'toExternal') continue;
    out[f.name] = validValue(type.name, f.name, f.type, r, fresh);
  }
  return out;
}

const huge = 'x'.repeat(20_000);
const CONTROL = ['a\u0000b', '\u0007bell', 'esc\u001b[31m', 'del\u007f', 'nel\u0085'];
const BAD_DATES = ['2026-02-30', '2026-13-01', '20260101', '', 'yesterday', '2026-1-1', 20260101];
const BAD_PERIODS = ['2026-13', '2026-00', '26-01', '2026/01', '2026-1', '', 'January'];
/** Ids that are not ids: empty, blank, too long, control characters. */
const BAD_IDS = ['', '   ', 'x'.repeat(300), 'a\u0000b', 'line\nbreak'];
const LONG = 1000;

/** Values that break one field, each wrong whatever the rest of the input says. */
function breakers(
  parent: string,
  field: string,
  type: GraphQLInputType,
  refs: Refs,
): [string, unknown][] {
  const required = isNonNullType(type);
  const inner = isNonNullType(type) ? type.ofType : type;
  const named = getNamedType(inner);
  const out: [string, unknown][] = [
    ['wrong type', isInputObjectType(named) && !isListType(inner) ? 42 : { x: 1 }],
  ];
  if (required) out.push(['null', null], ['missing', undefined]);
  if (isListType(inner)) {
    const element = inner.ofType;
    if (['candidateMemberIds', 'assignments', 'rows'].includes(field)) out.push(['empty list', []]);
    if (getNamedType(element).name === 'ID') {
      const own = validValue(parent, field, inner, refs.own, 'x') as string[];
      out.push(['duplicate ids', [own[0], own[0]]]);
      out.push(['long list', Array.from({ length: LONG }, (_, i) => `m${i}`)]);
      out.push(['other tenant ids', validValue(parent, field, inner, refs.other, 'x')]);
      for (const bad of BAD_IDS.slice(0, 3))
        out.push([`bad id in list ${JSON.stringify(bad)}`, [bad]]);
    } else if (field === 'rows' && parent === 'ImportDuesPayrollInput') {
      // an import judges rows one by one: here every row is bad, so nothing may be recorded
      const rows = Array.from({ length: LONG }, (_, i) => ({ memberId: `m${i}`, wageBaseFen: 1 }));
      out.push(['long list of unknown members', rows]);
    } else if (field === 'rows' && parent === 'ImportMembersInput') {
      const row = validValue(parent, field, inner, refs.own, 'x') as Json[];
      const rows = Array.from({ length: LONG }, (_, i) => ({
        ...row[0],
        employeeNo: `E${i}`,
        name: ' ',
      }));
      out.push(['long list of nameless rows', rows]);
    } else if (isInputObjectType(getNamedType(element))) {
      const one = validValue(parent, field, inner, refs.own, 'x') as Json[];
      out.push(['long list', Array.from({ length: LONG }, () => one[0])]);
    } else {
      out.push(['long list of bad values', Array.from({ length: LONG }, () => 'NOT_A_VALUE')]);
    }
    return out;
  }
  if (isEnumType(named)) {
    const first = named.getValues()[0]!.value as string;
    out.push(['unknown enum', 'NOT_A_VALUE'], ['lower-case enum', first.toLowerCase()], ['', '']);
    return out;
  }
  switch (named.name) {
    case 'Int':
      out.push(['negative', -1], ['over Int32', 2 ** 31], ['fraction', 1.5]);
      out.push(['huge', 2_147_483_647], ['numeric string', '7']);
      break;
    case 'Boolean':
      out.push(['string', 'yes'], ['number', 1]);
      break;
    case 'Date':
      for (const d of BAD_DATES) out.push([`bad date ${JSON.stringify(d)}`, d]);
      break;
    case 'ID': {
      for (const bad of BAD_IDS) if (bad.trim() !== '' || required) out.push([`bad id`, bad]);
      if (field === 'tenantId') {
        out.push(['existing tenant', refs.other.tenantId], ['tenant id with a space', 'a b']);
      } else if (field !== 'commandId') {
        out.push(['unknown id', `nope-${field}`]);
        const theirs = entityId(parent, field, refs.other);
        if (theirs) out.push(["other tenant's id", theirs]);
      }
      break;
    }
    case 'String': {
      if (required) out.push(['empty', ''], ['blank', '   ']);
      out.push(['oversized', huge]);
      for (const c of CONTROL) out.push(['control character', c]);
      if (field === 'period') for (const p of BAD_PERIODS) out.push([`bad period ${p}`, p]);
      if (field === 'nationalId') out.push(['malformed', '12-34'], ['full-width', '１２３４５６']);
      if (field === 'phone') out.push(['malformed', 'call me']);
      break;
    }
    default:
      throw new Error(`no breakers for ${named.name}`);
  }
  return out;
}

/** Where an input can be broken: its fields, and the fields of the first element of its lists. */
function targets(type: GraphQLInputObjectType) {
  const out: { path: string[]; parent: string; field: string; type: GraphQLInputType }[] = [];
  for (const f of Object.values(type.getFields())) {
    out.push({ path: [f.name], parent: type.name, field: f.name, type: f.type });
    const inner = isNonNullType(f.type) ? f.type.ofType : f.type;
    const element = getNamedType(inner);
    if (isListType(inner) && isInputObjectType(element)) {
      for (const g of Object.values(element.getFields()))
        out.push({
          path: [f.name, '0', g.name],
          parent: element.name,
          field: g.name,
          type: g.type,
        });
    }
  }
  return out;
}

function setPath(input: Json, path: string[], value: unknown): void {
  let at: Record<string, unknown> | unknown[] = input;
  for (const key of path.slice(0, -1)) {
    const next: unknown = at[key];
    if (typeof next !== 'object' || next === null) return;
    at = next as Record<string, unknown>;
  }
  const last = path.at(-1)!;
  if (value === undefined) delete at[last];
  else at[last] = value;
}

/** Every mutation of the contract with a well-formed input broken in exactly one place. */
export function invalidCase(refs: Refs): fc.Arbitrary<InvalidCase> {
  return fc
    .record({
      m: fc.constantFrom(...MUTATIONS),
      fresh: fc.uuid(),
      withOptional: fc.boolean(),
      pick: fc.nat(),
    })
    .map(({ m, fresh, withOptional, pick }) => {
      const input = validObject(m.inputType, refs.own, fresh, !withOptional);
      const all = targets(m.inputType);
      // one more way to break any input object: a field the contract does not have
      const choices = all.flatMap((t) =>
        breakers(t.parent, t.field, t.type, refs).map(([how, value]) => ({ t, how, value })),
      );
      const index = pick % (choices.length + 1);
      if (index === choices.length) {
        return {
          mutation: m.name,
          inputType: m.inputType.name,
          input: { ...input, tenantId_: 'smuggled' },
          path: 'input',
          corruption: 'unknown field',
        };
      }
      const { t, how, value } = choices[index]!;
      // a nested target needs its list present
      if (t.path.length > 1 && !Array.isArray(input[t.path[0]!]))
        input[t.path[0]!] = validValue(
          m.inputType.name,
          t.path[0]!,
          m.inputType.getFields()[t.path[0]!]!.type,
          refs.own,
          fresh,
        );
      setPath(input, t.path, value);
      return {
        mutation: m.name,
        inputType: m.inputType.name,
        input,
        path: t.path.join('.'),
        corruption: how,
      };
    });
}
