import { runApiBench } from './api.bench';
import { runDuesImportBench } from './dues-import.bench';
import { runEventStoreBench } from './event-store.bench';
import { runImportBench } from './import.bench';
import { printTable, writeResults, type BenchResult } from './harness';
import { runLiveBench } from './live.bench';
import { runReadModelsBench } from './read-models.bench';

const benches: Record<string, () => Promise<BenchResult[]>> = {
  'event-store': runEventStoreBench,
  'read-models': runReadModelsBench,
  'dues-import': runDuesImportBench,
  api: runApiBench,
  live: runLiveBench,
  import: runImportBench,
};

/** `npm run bench` runs every bench; `npm run bench -- event-store` one of them. */
async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : Object.keys(benches);
  for (const name of names) {
    const bench = benches[name];
    if (!bench) throw new Error(`unknown bench ${name}; known: ${Object.keys(benches).join(', ')}`);
    const results = await bench();
    printTable(name, results);
    console.log(`written to ${writeResults(name, results)}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
