// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Import boundaries keep the three rings apart (see README "Where things live"). */
const nodeOnly = ['node:*', 'fs', 'path', 'child_process', 'electron', 'ws', 'node-hid', 'serialport'];
const restrict = (/** @type {string[]} */ modules, /** @type {string[]} */ folders, /** @type {string} */ why) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: [],
      patterns: [
        ...(modules.length ? [{ group: modules, message: why }] : []),
        ...(folders.length ? [{ group: folders.map((f) => `**/${f}/**`), message: why }] : []),
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ['dist/**', 'dist.next-*/**', 'dist.old-*/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: restrict([...nodeOnly, 'react', 'react-dom', 'dexie', 'zustand'], ['host', 'renderer', 'electron', 'native', 'server'], 'core/ runs anywhere: no Node, DOM libraries or outer rings.'),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(nodeOnly, ['host', 'electron', 'native', 'server'], 'renderer/ talks to the host only through the StationApi client.'),
    },
  },
  {
    files: ['native/**/*.ts'],
    rules: restrict(['electron', 'react', 'dexie', 'zustand'], ['host', 'renderer', 'electron', 'server'], 'native/ holds device protocols; it knows nothing of hosts, UI or the server.'),
  },
  {
    files: ['host/**/*.ts'],
    rules: restrict(['electron', 'react', 'dexie', 'zustand'], ['renderer', 'electron', 'server'], 'host/ is host-agnostic and station-side: no Electron, no UI, no server code (share through core/).'),
  },
  {
    files: ['server/**/*.ts'],
    rules: restrict(['electron', 'react', 'dexie', 'zustand', 'node-hid', 'serialport'], ['host', 'renderer', 'electron', 'native'], 'server/ is the central service: it shares only core/ with the station.'),
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: restrict(['react', 'dexie', 'zustand'], ['renderer', 'native', 'server'], 'electron/ is a thin shell over host/: it reaches devices and data only through it.'),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: restrict(['node:*', 'fs', 'path', 'ws', 'node-hid', 'serialport'], ['host', 'renderer', 'native', 'server'], 'Sandboxed preloads may use only electron and core/.'),
  },
  {
    files: ['scripts/**/*.mjs', '*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly' } },
  },
);
