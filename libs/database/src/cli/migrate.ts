import { bootstrapDatabase } from '../database-bootstrap';
import { loadConfig } from '../config/app-config';

/** `npm run migrate`: applies pending migrations (to DATABASE_URL, or the embedded database). */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = await bootstrapDatabase(config);
  const { applied, alreadyApplied } = database.migrations;
  console.log(
    applied.length
      ? `applied ${applied.length}: ${applied.join(', ')}`
      : `up to date (${alreadyApplied} applied before)`,
  );
  await database.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
