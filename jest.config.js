/** One Jest run: unit specs, integration specs (real PostgreSQL) and end-to-end GraphQL tests. */
const swcConfig = {
  swcrc: false,
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

const libs = ['core', 'event-store', 'database', 'unions', 'read-models', 'auth', 'testing'];

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.{spec,int-spec,e2e-spec}.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swcConfig] },
  moduleNameMapper: Object.fromEntries(
    libs.flatMap((lib) => [
      [`^@app/${lib}$`, `<rootDir>/libs/${lib}/src`],
      [`^@app/${lib}/(.*)$`, `<rootDir>/libs/${lib}/src/$1`],
    ]),
  ),
  globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
  // One worker: transaction ids are cluster-wide, so a test file that holds a writing transaction
  // open (the gap-free tests do, on purpose) holds back the gap-free horizon of every database on
  // the shared test cluster, and another file's "append, then read the log" would see nothing yet.
  maxWorkers: 1,
  testTimeout: 60_000,
  errorOnDeprecated: true,
};
