import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client, type Pool } from 'pg';

/**
 * A logical dump of one database without pg_dump (the embedded PostgreSQL package ships none):
 * every row of every table, materialised view and TOAST table of every schema, system catalogs
 * included, as the superuser/owner (row-level security does not hide rows from it), each row in
 * its text form (bytea as hex). Returns one string per relation.
 */
export async function dumpDatabase(ownerPool: Pool): Promise<Map<string, string>> {
  const { rows: relations } = await ownerPool.query<{ name: string; kind: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name, c.relkind::text AS kind
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'm', 't')
      ORDER BY 1`,
  );
  const dump = new Map<string, string>();
  for (const { name, kind } of relations) {
    // TOAST tables have no row type: their chunks (possibly compressed) as hex
    const select =
      kind === 't'
        ? `SELECT concat_ws(' ', chunk_id, chunk_seq, encode(chunk_data, 'hex')) AS row FROM ${name}`
        : `SELECT t::text AS row FROM ${name} t`;
    const { rows } = await ownerPool.query<{ row: string }>(select);
    dump.set(name, rows.map((r) => r.row).join('\n'));
  }
  return dump;
}

/** Relations whose dump holds `needle` as text or as the hex of its bytes (bytea columns). */
export function findInDump(dump: Map<string, string>, needle: string): string[] {
  const hex = Buffer.from(needle, 'utf8').toString('hex');
  return [...dump]
    .filter(([, text]) => text.includes(needle) || text.includes(hex))
    .map(([n]) => n);
}

/**
 * The raw bytes of the whole cluster: after CHECKPOINT (dirty pages written to the table files,
 * WAL flushed), every file under the data directory (base/, global/, pg_wal/, pg_xact/, logs if
 * any) is read and searched. This sees what a logical dump cannot: dead row versions not yet
 * vacuumed, free space in pages, WAL records of rolled-back or failed statements, other
 * databases of the cluster. Values PostgreSQL compressed (TOAST, over ~2 kB) would not show here
 * as plaintext, which is why the logical dump is searched as well.
 */
export async function scanDataDirectory(
  superuserUrl: string,
  needles: readonly string[],
): Promise<{ files: number; bytes: number; hits: Map<string, string[]> }> {
  const client = new Client({ connectionString: superuserUrl });
  await client.connect();
  let dataDir: string;
  try {
    dataDir = (
      await client.query<{ dir: string }>(`SELECT current_setting('data_directory') AS dir`)
    ).rows[0]!.dir;
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
  const patterns = needles.map((n) => ({ needle: n, bytes: Buffer.from(n, 'utf8') }));
  const hits = new Map<string, string[]>(needles.map((n) => [n, []]));
  let files = 0;
  let bytes = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && statSync(path).size > 0) {
        const content = readFileSync(path);
        files += 1;
        bytes += content.length;
        for (const { needle, bytes: b } of patterns)
          if (content.includes(b)) hits.get(needle)!.push(path.slice(dataDir.length + 1));
      }
    }
  };
  walk(dataDir);
  return { files, bytes, hits };
}
