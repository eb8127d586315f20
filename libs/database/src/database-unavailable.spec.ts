import { isDatabaseUnavailable } from './database-unavailable';

const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it('recognises a server that is gone, going or not there yet', () => {
    for (const error of [
      coded('ECONNREFUSED'),
      coded('ECONNRESET'),
      coded('57P01', 'terminating connection due to administrator command'),
      coded('57P03', 'the database system is starting up'),
      coded('08006'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new Error('wrapped', { cause: coded('ECONNREFUSED') }),
      new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'all refused'),
      { code: 'ECONNRESET', message: 'from another realm' },
    ])
      expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('leaves statement errors and everything else alone', () => {
    for (const error of [
      coded('23505', 'duplicate key'),
      coded('57014', 'canceling statement due to statement timeout'),
      coded('INVALID_CURSOR'),
      new Error('boom'),
      'ECONNREFUSED',
      null,
      undefined,
    ])
      expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
