import { ConfigError, loadConfig } from './app-config';

describe('EVENT_STORE and KURRENTDB_URL', () => {
  it('defaults to the PostgreSQL event store', () => {
    expect(loadConfig({}).eventStore).toEqual({ kind: 'postgres' });
    expect(loadConfig({ EVENT_STORE: 'postgres', KURRENTDB_URL: 'x' }).eventStore).toEqual({
      kind: 'postgres',
    });
  });

  it('selects KurrentDB with its URL', () => {
    const url = 'kurrentdb://localhost:2113?tls=false';
    expect(loadConfig({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: url }).eventStore).toEqual({
      kind: 'kurrentdb',
      url,
    });
  });

  it('stops with a clear message when KURRENTDB_URL is missing or not a KurrentDB URL', () => {
    expect(() => loadConfig({ EVENT_STORE: 'kurrentdb' })).toThrow(
      new ConfigError(
        'KURRENTDB_URL',
        'is required with EVENT_STORE=kurrentdb (e.g. kurrentdb://localhost:2113?tls=false)',
      ),
    );
    expect(() => loadConfig({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: '  ' })).toThrow(
      /KURRENTDB_URL is required with EVENT_STORE=kurrentdb/,
    );
    const secret = 'postgres://admin:hunter2@db:5432/x';
    const wrong = (() => {
      try {
        loadConfig({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: secret });
      } catch (error) {
        return error as Error;
      }
      return null;
    })();
    expect(wrong).toBeInstanceOf(ConfigError);
    expect(wrong?.message).toMatch(/^Invalid configuration: KURRENTDB_URL must be a kurrentdb:/);
    expect(wrong?.message).not.toContain('hunter2');
  });

  it('refuses an unknown store', () => {
    expect(() => loadConfig({ EVENT_STORE: 'mongodb' })).toThrow(
      'Invalid configuration: EVENT_STORE must be one of postgres, kurrentdb, got "mongodb"',
    );
  });
});
