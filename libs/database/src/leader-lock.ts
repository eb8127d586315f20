import { Client } from 'pg';

/**
 * Leadership of one named job across processes: a session-level advisory lock held on a
 * dedicated connection. If the holder dies, PostgreSQL drops its session and the lock with it,
 * and the next `tryAcquire` elsewhere succeeds.
 */
export class LeaderLock {
  private client: Client | undefined;

  constructor(
    private readonly connectionString: string,
    readonly name: string,
  ) {}

  get isLeader(): boolean {
    return this.client !== undefined;
  }

  async tryAcquire(): Promise<boolean> {
    if (this.client) return true;
    const client = new Client({
      connectionString: this.connectionString,
      application_name: `leader:${this.name}`,
    });
    client.on('error', () => {
      // connection lost: leadership is gone with it
      this.client = undefined;
    });
    await client.connect();
    const { rows } = await client.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok',
      [`leader:${this.name}`],
    );
    if (rows[0]?.ok) {
      this.client = client;
      return true;
    }
    await client.end();
    return false;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await client.end().catch(() => undefined);
  }
}
