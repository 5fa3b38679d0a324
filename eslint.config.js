// Flat config: typescript-eslint + vue, Prettier-compatible, and house rule 1 — process boundaries
// are folders, enforced per folder with no-restricted-imports.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto'], message: 'src/shared is pure TypeScript: no Node built-ins.' };
const tfjs = { group: ['@tensorflow/*'], message: 'Only src/main/compute/ (tf.ts, tfjs.ts) imports tfjs; import { tf } from compute/tf.ts.' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [nodeBuiltins, tfjs, { group: ['electron', 'vue', 'pinia', '**/main/**', '**/renderer/**', '**/preload/**'], message: 'src/shared imports nothing from other processes.' }] }],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [tfjs, { group: ['**/main/**', '**/renderer/**', 'node:*', 'better-sqlite3', 'sharp'], message: 'The preload imports only electron and src/shared.' }] }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [tfjs, { group: ['**/main/**', '**/preload/index', 'electron', 'node:*'], message: 'The renderer talks to the main process only through src/renderer/src/api.' }] }],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/compute/tf.ts', 'src/main/compute/tfjs.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [tfjs, { group: ['**/renderer/**', '**/preload/**'], message: 'Main code does not import renderer or preload code.' }] }],
    },
  },
  {
    files: ['src/main/{ssl,augment,data}/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [tfjs, { group: ['electron', '**/store/**', '**/ipc/**', '**/server/**', '**/cli/**', 'better-sqlite3'], message: 'Pure core: ssl/, augment/ and data/ know nothing of Electron, IPC, HTTP or SQL.' }] }],
    },
  },
  {
    // Type-aware rules for the main process and the shared contract: a promise nobody awaits is how a
    // rejection went unhandled at start-up (issue: the desktop app hung with no window).
    files: ['src/main/**/*.ts', 'src/shared/**/*.ts', 'src/preload/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }] },
  },
  prettier,
);
