import { mutationRequest } from './attempts';
import { securityFixture } from './security-fixture';

describe('100 parallel retries of one mutation with one commandId', () => {
  const api = securityFixture();
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  it('all 100 answer alike and exactly one set of events is appended', async () => {
    const { t, T } = api;
    const auth = { authorization: `Bearer ${await api.token('hq')}` };
    const period = new Date().toISOString().slice(0, 7);
    const send = (memberId: string, commandId: string) => {
      const input = { memberId, period, wageBaseFen: 300_000, commandId };
      const { query, variables } = mutationRequest('recordDuesPayment', auth, input);
      return api.raw(
        query.replace('{ position }', '{ position member { id lastPaidPeriod version } }'),
        auth,
        variables,
      );
    };
    // the size of one set: the same mutation once, with its own commandId
    const start = (await api.eventsOf(T)).length;
    const single = await send(t.C, 'retry-reference');
    expect(single.errors).toBeUndefined();
    const oneSet = (await api.eventsOf(T)).length - start;
    expect(oneSet).toBeGreaterThanOrEqual(1);

    const before = await api.eventsOf(T);
    const replies = await Promise.all(Array.from({ length: 100 }, () => send(t.B, 'retry-100')));
    const first = replies[0];
    expect(first?.errors).toBeUndefined();
    expect(first?.data?.recordDuesPayment).toMatchObject({
      position: expect.stringMatching(/^[1-9][0-9]*$/),
      member: { id: t.B, lastPaidPeriod: period },
    });
    for (const reply of replies) expect(reply).toEqual(first);

    const appended = (await api.eventsOf(T)).slice(before.length);
    expect(appended).toHaveLength(oneSet);
    expect(appended.every((e) => e.streamId === `member-${t.B}`)).toBe(true);
    const position = (first?.data?.recordDuesPayment as { position: string }).position;
    expect(String(Math.max(...appended.map((e) => e.globalPosition)))).toBe(position);
    // and a later retry still appends nothing
    expect(await send(t.B, 'retry-100')).toEqual(first);
    expect((await api.eventsOf(T)).length).toBe(before.length + oneSet);
  });
});
