import { readdirSync, readFileSync } from 'node:fs';
import { DUES_PROJECTION } from '@app/read-models';
import { Client } from 'pg';

/** One append as the subscribers of a union wait for it. */
interface Commit {
  tx: bigint;
  position: number;
  committed: number;
  /** when the checkpoint poll first saw the dues projection past it */
  projected?: number;
}

/** Where one subscriber stands in its union's commits. */
export interface Follower {
  unionId: string;
  /** index of the first commit of its union not yet shown to it */
  next: number;
}

/**
 * Which message shows which commit. A message counts for a commit only if it arrived after the
 * dues projection had applied it (the checkpoint as polled every few milliseconds): "the first
 * message after the commit" would count a message read before the payment was projected, which
 * with a 1 s coalescing window is always at most about 1 s away whatever the projection lag.
 * Commits are kept per union in the order their appends returned; a subscriber's next message
 * shows every commit from its cursor up to the first one not yet projected (a slight
 * over-estimate when transactions commit out of order, never an under-estimate).
 */
export class DeliveryTracker {
  private readonly byUnion = new Map<string, Commit[]>();
  private unprojected: Commit[] = [];
  private checkpoint: { tx: bigint; position: number } = { tx: 0n, position: 0 };
  readonly projectionLagMs: number[] = [];
  private polling: Promise<void> | undefined;
  private stopped = false;

  /** Polls the dues checkpoint every `everyMs` until stop(). */
  start(ownerUrl: string, everyMs = 5): void {
    this.polling = (async () => {
      const client = new Client({ connectionString: ownerUrl });
      await client.connect();
      try {
        while (!this.stopped) {
          const { rows } = await client.query<{ tx: string; position: string }>(
            `SELECT transaction_id::text AS tx, global_position AS position
               FROM subscription_checkpoints WHERE name = $1`,
            [DUES_PROJECTION],
          );
          if (rows[0]) this.advance(BigInt(rows[0].tx), Number(rows[0].position), Date.now());
          await new Promise((resolve) => setTimeout(resolve, everyMs));
        }
      } finally {
        await client.end();
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.polling;
  }

  /** An append returned (committed) at `at`, moving these unions' figures. */
  committed(unionIds: Iterable<string>, tx: string, position: number, at: number): void {
    const commit: Commit = { tx: BigInt(tx), position, committed: at };
    if (this.passed(commit)) commit.projected = at;
    else this.unprojected.push(commit);
    for (const unionId of unionIds) {
      let list = this.byUnion.get(unionId);
      if (!list) this.byUnion.set(unionId, (list = []));
      list.push(commit);
    }
  }

  /** Starts a subscriber at the end of its union's commits (what it already saw is not timed). */
  follow(follower: Follower): void {
    follower.next = this.byUnion.get(follower.unionId)?.length ?? 0;
  }

  /** A message arrived at `at`: the latency of the oldest commit it shows, if it shows one. */
  message(follower: Follower, at: number): number | undefined {
    const list = this.byUnion.get(follower.unionId) ?? [];
    let oldest: number | undefined;
    while (follower.next < list.length) {
      const commit = list[follower.next]!;
      if (commit.projected === undefined || commit.projected > at) break;
      oldest ??= commit.committed;
      follower.next += 1;
    }
    return oldest === undefined ? undefined : at - oldest;
  }

  /** Commits of this union not shown to the follower yet. */
  waiting(follower: Follower): number {
    return (this.byUnion.get(follower.unionId)?.length ?? 0) - follower.next;
  }

  private passed(commit: Commit): boolean {
    const { tx, position } = this.checkpoint;
    return commit.tx < tx || (commit.tx === tx && commit.position <= position);
  }

  private advance(tx: bigint, position: number, at: number): void {
    this.checkpoint = { tx, position };
    this.unprojected = this.unprojected.filter((commit) => {
      if (!this.passed(commit)) return true;
      commit.projected = at;
      this.projectionLagMs.push(at - commit.committed);
      return false;
    });
  }
}

/** User + system CPU seconds of a process, or of a process and its children (/proc, Linux). */
export function cpuSeconds(pid: number | undefined, withChildren = false): number {
  if (pid === undefined) return 0;
  const ticks = (stat: string) => {
    // fields after the command name: state is field 3, utime 14, stime 15, ppid 4
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  };
  try {
    let total = ticks(readFileSync(`/proc/${pid}/stat`, 'utf8')).ticks;
    if (withChildren)
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          const child = ticks(readFileSync(`/proc/${entry}/stat`, 'utf8'));
          if (child.ppid === pid) total += child.ticks;
        } catch {
          // ended meanwhile
        }
      }
    return total / 100; // USER_HZ
  } catch {
    return 0; // gone, or not Linux
  }
}
