import { readFileSync, readdirSync } from 'node:fs';

/** utime, stime, cutime, cstime of a process in ms (USER_HZ = 100), or undefined once it is gone. */
function cpuOf(pid: number): { ppid: number; own: number; children: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name: state, ppid, … utime (14th), stime, cutime, cstime
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = (i: number) => Number(f[i] ?? 0);
    return {
      ppid: ticks(1),
      own: (ticks(11) + ticks(12)) * 10,
      children: (ticks(13) + ticks(14)) * 10,
    };
  } catch {
    return undefined;
  }
}

/** The kind of a PostgreSQL process from its title: `postgres: walwriter`, `postgres: app db [local] …`. */
function kindOf(pid: number): string {
  try {
    const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    const match = /^postgres: (.*)$/.exec(title);
    if (!match?.[1]) return 'other';
    const rest = match[1];
    for (const kind of [
      'autovacuum worker',
      'autovacuum launcher',
      'checkpointer',
      'walwriter',
      'background writer',
      'io worker',
      'walsummarizer',
      'logical replication',
    ])
      if (rest.startsWith(kind)) return kind;
    return 'backends';
  } catch {
    return 'other';
  }
}

/**
 * CPU ms the cluster has spent so far: the postmaster, its live children and the children it has
 * reaped (the CLI's backends end with it). On a shared machine CPU per row compares better than
 * rows/s between runs.
 */
export function postgresCpuMs(postmasterPid: number | undefined): number {
  if (postmasterPid === undefined) return Number.NaN;
  const postmaster = cpuOf(postmasterPid);
  let total = postmaster ? postmaster.own + postmaster.children : 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const p = cpuOf(Number(entry));
    if (p !== undefined && p.ppid === postmasterPid) total += p.own;
  }
  return total;
}

/**
 * The cluster's CPU split by process kind while some work runs: every 100 ms each child's own CPU
 * is read and remembered by pid, so a backend or an autovacuum worker that ends keeps what it had
 * used at its last sample; whatever ended unseen is "ended between samples".
 */
export async function postgresCpuByKind<T>(
  postmasterPid: number | undefined,
  work: () => Promise<T>,
): Promise<{ result: T; totalMs: number; byKind: Record<string, number> }> {
  if (postmasterPid === undefined) return { result: await work(), totalMs: Number.NaN, byKind: {} };
  const start = new Map<number, number>();
  const last = new Map<number, { kind: string; ms: number }>();
  const sample = (initial: boolean) => {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      const p = cpuOf(pid);
      if (p === undefined || p.ppid !== postmasterPid) continue;
      if (initial) start.set(pid, p.own);
      const seen = last.get(pid);
      // a process just forked still shows the postmaster's command line: ask again later
      const kind = seen === undefined || seen.kind === 'other' ? kindOf(pid) : seen.kind;
      last.set(pid, { kind, ms: p.own });
    }
  };
  const total0 = postgresCpuMs(postmasterPid);
  sample(true);
  const timer = setInterval(() => sample(false), 100);
  try {
    const result = await work();
    // backends of a client that just ended are reaped (their CPU moves to the postmaster's
    // children's time) a moment later: until then they are counted nowhere
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    sample(false);
    const totalMs = postgresCpuMs(postmasterPid) - total0;
    const byKind: Record<string, number> = {};
    for (const [pid, { kind, ms }] of last)
      byKind[kind] = (byKind[kind] ?? 0) + ms - (start.get(pid) ?? 0);
    const seen = Object.values(byKind).reduce((a, b) => a + b, 0);
    byKind['ended between samples'] = totalMs - seen;
    return { result, totalMs, byKind };
  } finally {
    clearInterval(timer);
  }
}
