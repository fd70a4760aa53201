// Lint rules, including the process boundaries as errors (not habits):
// src/shared imports nothing from the other roots; the renderer never imports main; only a few
// Electron-only files import `electron`; shell.openExternal has exactly one caller.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ELECTRON_FILES = [
  'src/main/index.ts',
  'src/main/ipc.ts',
  'src/main/shell/electron-shell.ts',
  'src/preload/**/*.ts',
];

const ipcRendererBan = {
  selector:
    "CallExpression[callee.property.name='exposeInMainWorld'] > Identifier[name='ipcRenderer']",
  message: 'Never expose ipcRenderer to the renderer; expose functions derived from the contract.',
};

const electronBan = {
  name: 'electron',
  message: 'Only the Electron-only files may import electron; the core must run under plain Node.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'build/',
      'coverage/',
      'test-results/',
      'playwright-report/',
      'bench-results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', ipcRendererBan],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan, { name: 'react', message: 'src/shared is pure TypeScript.' }],
          patterns: [
            {
              group: ['node:*'],
              message: 'src/shared runs in the renderer too: no node:* imports.',
            },
            {
              group: ['**/main/**', '**/renderer/**', '**/preload/**'],
              message: 'src/shared imports nothing from the other roots.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            {
              group: ['node:*'],
              message: 'The renderer has no Node; ask the main process through window.cadence.',
            },
            {
              group: ['**/main/**', '**/preload/**'],
              message: 'The renderer never imports main or preload; use window.cadence.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ELECTRON_FILES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            {
              group: ['**/renderer/**', '**/preload/**'],
              message: 'main does not import the renderer or preload.',
            },
          ],
        },
      ],
    },
  },
  {
    // Another process may share the data folder: a deferred transaction that reads then writes
    // fails at once when that process commits in between (see src/main/db/transactions.ts).
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/db/transactions.ts', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ipcRendererBan,
        {
          selector: "CallExpression[callee.property.name='transaction']",
          message:
            'Open transactions with writeTransaction or readTransaction (src/main/db/transactions.ts).',
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/main/shell/electron-shell.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'shell',
          property: 'openExternal',
          message: 'Use openExternalSafe (https and mailto only).',
        },
      ],
    },
  },
  prettier,
);
