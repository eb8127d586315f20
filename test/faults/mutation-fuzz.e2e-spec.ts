import fc from 'fast-check';
import { fuzzFixture, type Reply } from './fuzz-fixture';
import { invalidCase, MUTATIONS, type InvalidCase } from './invalid-inputs.arbitraries';

/** What an invalid input may get: a typed client error. Never INTERNAL_SERVER_ERROR. */
const CLIENT_ERRORS = [
  'BAD_USER_INPUT',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'GRAPHQL_VALIDATION_FAILED',
];
/** Imports list their bad rows in the payload instead of failing as a whole. */
const ROW_JUDGED = new Set(['importDuesPayroll', 'importMembers']);
const SEED = 20261125;
const RUNS = 600;

/** The answer's kind: a client error code, or a payroll whose every row was rejected. */
function outcome(c: InvalidCase, reply: Reply): string {
  const body = reply.body;
  if (!body) return `not JSON (HTTP ${reply.status}): ${reply.text.slice(0, 200)}`;
  const payload = body.data?.[c.mutation] as Record<string, unknown> | null | undefined;
  const code = body.errors?.[0]?.extensions?.code;
  if (typeof code === 'string') return payload == null ? code : `${code} with data`;
  // an import is judged row by row: bad rows are listed, and here none was recorded
  if (ROW_JUDGED.has(c.mutation) && c.path.startsWith('rows') && payload?.accepted === 0)
    return 'ROWS_REJECTED';
  return `accepted: ${JSON.stringify(body).slice(0, 300)}`;
}

describe('property: every invalid mutation input gets a typed client error and changes nothing', () => {
  const api = fuzzFixture();
  beforeAll(() => api.start(), 120_000);
  afterAll(() => api.stop());

  it(`covers every mutation of the contract (${MUTATIONS.length})`, () => {
    expect(MUTATIONS.length).toBeGreaterThanOrEqual(27);
  });

  it(`${RUNS} broken inputs through the HTTP server (seed ${SEED})`, async () => {
    const seen = new Map<string, number>();
    const property = fc.asyncProperty(
      invalidCase({ own: api.own, other: api.other }),
      async (c) => {
        const selection = ROW_JUDGED.has(c.mutation) ? '{ accepted rejected }' : '{ __typename }';
        const before = await api.storeState();
        const reply = await api.post(
          `mutation M($input: ${c.inputType}!) { ${c.mutation}(input: $input) ${selection} }`,
          { input: c.input },
          c.mutation === 'provisionTenant' ? api.tokens.admin : api.tokens.officer,
        );
        const kind = outcome(c, reply);
        const where = `${c.mutation} ${c.path}: ${c.corruption}`;
        expect({ where, kind }).toEqual({
          where,
          kind: expect.stringMatching(
            new RegExp(`^(${[...CLIENT_ERRORS, 'ROWS_REJECTED'].join('|')})$`),
          ),
        });
        // nothing internal in the answer
        expect(reply.text).not.toMatch(/stacktrace|\.ts:\d+|\.js:\d+|SELECT |INSERT INTO/);
        expect(await api.storeState()).toEqual(before);
        seen.set(kind, (seen.get(kind) ?? 0) + 1);
      },
    );
    await fc.assert(property, { seed: SEED, numRuns: RUNS, endOnFailure: false });
    // the sample reached past the edge checks too
    expect(seen.get('BAD_USER_INPUT')).toBeGreaterThan(RUNS / 4);
    expect((seen.get('NOT_FOUND') ?? 0) + (seen.get('FORBIDDEN') ?? 0)).toBeGreaterThan(0);
  });
});
