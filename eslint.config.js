// ESLint (flat config): typescript-eslint's recommended rules plus the import boundaries between the top-level folders.
//
//   lib/         shared by browser and server: imports nothing of ours outside lib/, no node: modules, no react/next
//   native/      the libc binding: imports only lib/ and itself, node: modules and koffi
//   components/  the browser UI: never server/ or native/
//   app/         Next.js pages and route handlers: of ours, only components/ and lib/
//   server/      may use lib/ and native/, never components/ or app/
//
// no-restricted-imports matches the import string as written, not the file it resolves to, so "outside my folder"
// depends on how deep the importing file sits: from lib/x.ts `../server` leaves lib/, from lib/lang/x.ts it takes
// `../../server`. Each folder therefore gets one block per depth, whose patterns count the `../` exactly; the
// `@/` alias (tsconfig paths) is matched as well. Dynamic import() is not checked by this rule.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const SOURCES = '*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}';
/** Deepest folder level below a top-level folder that has its own boundary block; deeper files are refused outright. */
const MAX_DEPTH = 6;

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const oneOf = (names) => `(?:${names.map(esc).join('|')})`;

/**
 * The patterns that keep a file `depth` folders below its top-level folder from importing our own code outside it:
 * `forbidden` names the top-level folders it may not reach, or is { except: [...] } to refuse every folder but those.
 */
function outside(depth, forbidden, message) {
  const up = `^(?:\\./)?(?:\\.\\./){${depth}}\\.\\.`; // exactly as many ../ as lead to the repository root
  if (Array.isArray(forbidden)) {
    const to = oneOf(forbidden);
    return [
      { regex: `${up}/${to}(?:/|$)`, message },
      { regex: `^@/${to}(?:/|$)`, message },
    ];
  }
  const allowed = forbidden.except.length ? `(?!${oneOf(forbidden.except)}(?:/|$))` : '';
  return [
    { regex: `${up}(?:$|/${allowed})`, message },
    { regex: `^@/${allowed}`, message },
  ];
}

const NODE_BUILTINS = builtinModules.filter((m) => !m.startsWith('_'));

/** Per top-level folder: the no-restricted-imports options for a file `depth` folders below it. */
const BOUNDARIES = {
  lib: (depth) => ({
    paths: NODE_BUILTINS.map((name) => ({ name, message: 'lib/ runs in the browser too: no Node modules.' })),
    patterns: [
      ...outside(depth, { except: ['lib'] }, 'lib/ imports nothing of ours outside lib/.'),
      { regex: '^node:', message: 'lib/ runs in the browser too: no Node modules.' },
      { regex: '^(?:react|react-dom|next)(?:/|$)', message: 'lib/ is plain TypeScript: no React or Next.' },
    ],
  }),
  native: (depth) => ({
    patterns: [
      ...outside(depth, { except: ['lib'] }, 'native/ imports only lib/ and itself.'),
      { regex: '^(?![./]|@/|node:|koffi(?:/|$))', message: 'native/ uses only node: modules and koffi.' },
    ],
  }),
  components: (depth) => ({
    patterns: outside(depth, ['server', 'native'], 'components/ run in the browser: never import server/ or native/.'),
  }),
  app: (depth) => ({
    patterns: outside(depth, { except: ['components', 'lib'] }, 'app/ imports only components/ and lib/ of ours.'),
  }),
  server: (depth) => ({
    patterns: outside(depth, ['components', 'app'], 'server/ may use lib/ and native/, never components/ or app/.'),
  }),
};

const boundaryBlocks = Object.entries(BOUNDARIES).flatMap(([dir, optionsAt]) => [
  ...Array.from({ length: MAX_DEPTH + 1 }, (_, depth) => ({
    name: `boundaries/${dir}/depth-${depth}`,
    files: [`${dir}/${'*/'.repeat(depth)}${SOURCES}`],
    rules: { 'no-restricted-imports': ['error', optionsAt(depth)] },
  })),
  {
    name: `boundaries/${dir}/too-deep`,
    files: [`${dir}/${'*/'.repeat(MAX_DEPTH + 1)}**/${SOURCES}`],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\.(?:/|$)', message: `Deeper than MAX_DEPTH in eslint.config.js: raise it so the boundaries cover this file.` }] }],
    },
  },
]);

export default defineConfig(
  { ignores: ['.next/**', 'node_modules/**', '.cache/**', '.scratch/**', 'test-results/**', 'playwright-report/**', 'blob-report/**', 'runtime/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'project/rules',
    rules: {
      // Heterogeneous registries and parsed JSON use `any` on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      // a `let` filled in after a callback that reads it was created (e.g. server/run/soak.ts) cannot be a const
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    name: 'project/node-scripts',
    files: ['*.{js,mjs,cjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  ...boundaryBlocks,
);
