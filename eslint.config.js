// @ts-check
// `npm run lint` (CI step "lint and boundaries"). Two jobs:
//  1. Boundaries: which top-level folder may import which (DESIGN.md, "Layout"). Static imports
//     and re-exports are checked by `no-restricted-imports`; `import()` (the CLI and the build
//     load heavy modules lazily) and `import('…')` types by `no-restricted-syntax`, which is
//     generated from the same table. Paths are matched exactly: a file N folders deep reaches the
//     repo root with N `../`, so `../search/x.ts` from core/http is core, `../../indexer` is not.
//  2. Typed linting (typescript-eslint, project service on tsconfig.json) for the bugs tsc does
//     not catch: promises nobody awaits or handles, async callbacks where void is expected,
//     `any` leaking out of JSON.parse, value imports kept only for types, numeric sorts.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// ---------------------------------------------------------------------------------------------
// Boundaries

/** Top-level folders with code; an import reaching one of them from a layer not allowed it fails. */
const FOLDERS = ['core', 'indexer', 'storage', 'ingest', 'cli', 'functions', 'local', 'widget', 'bin', 'test', 'bench', 'eval', 'load', 'tools', 'examples'];
const NOT_SHIPPED = ['test', 'bench', 'eval', 'load', 'tools', 'examples'];
const SEE = 'See DESIGN.md, "Layout".';

/**
 * The architecture, one entry per layer: `dir` (a top-level folder, or widget/src), the top-level
 * folders it may import (`may`), the rule as stated in messages, and extra patterns for packages.
 */
const LAYERS = [
  {
    dir: 'core',
    may: ['core'],
    rule: 'core/ is the pure runtime core the Lambda bundles: it imports only core/ itself',
    // Bare specifiers other than the allowed packages and built-ins (fs, AWS, http, worker_threads...).
    packages: {
      regex: '^(?![./])(?!(flexsearch|valibot|node:zlib|node:crypto|wink-porter2-stemmer|@orama/stemmers)(/|$))',
      message: 'core/ is pure: from outside core/ it may import only flexsearch, valibot, node:zlib, node:crypto and the stemmers (wink-porter2-stemmer, @orama/stemmers) (no filesystem, AWS, network or worker threads). ' + SEE,
    },
  },
  {
    dir: 'indexer',
    may: ['core', 'indexer'],
    rule: 'indexer/ (the build) may import only core/ (never storage/, cli/, functions/, local/, widget/)',
  },
  {
    dir: 'storage',
    may: ['core', 'storage'],
    rule: 'storage/ (local folder, S3) may import only core/ (never indexer/, cli/, functions/, local/)',
  },
  {
    dir: 'ingest',
    may: ['core', 'indexer', 'storage', 'ingest'],
    rule: 'ingest/ (the write path: a change to a published index, committed by compare-and-swap) may import only core/, indexer/ and storage/',
  },
  {
    dir: 'functions',
    may: ['core', 'storage', 'ingest', 'functions'],
    rule: 'functions/ (Lambda handlers) may import only core/, storage/ and ingest/ (the ingest function; never indexer/, cli/, local/)',
  },
  {
    dir: 'local',
    may: ['core', 'storage', 'local'],
    rule: 'local/ (the local HTTP server) may import only core/ and storage/ (never indexer/, cli/, functions/)',
  },
  {
    // local/ is allowed for `news-search serve` (cli/cli.ts loads local/server.ts).
    dir: 'cli',
    may: ['core', 'indexer', 'storage', 'ingest', 'local', 'widget', 'cli'],
    rule: 'cli/ may import everything but functions/ (the Lambda handlers are not a library)',
  },
  {
    dir: 'widget/src',
    may: ['widget'],
    rule: 'widget/src is the browser bundle: it imports only widget/, types from core/types.ts and core/http/*, and the constants of core/http/limits.ts',
    packages: {
      regex: '^(?![./])',
      message: 'widget/src is a dependency-free browser bundle: no npm packages and no node built-ins. ' + SEE,
    },
  },
];

/** Known violations, allowed exactly (file → specifiers) until fixed; each one is a to-do. */
const KNOWN = {};

const EXT = '{ts,mts,cts,js,mjs,cjs}';
const esc = (/** @type {string} */ s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** An esquery selector for `import('…')` (and `import('…')` types) whose specifier matches `re`. */
const dynamicImport = (/** @type {string} */ re, types = true) => {
  const r = re.replace(/\//g, '\\/');
  const call = `ImportExpression[source.value=/${r}/]`;
  return types ? `:matches(${call}, TSImportType[argument.literal.value=/${r}/])` : call;
};

/**
 * The rule settings for a file `depth` folders below the root in `layer`. `allowDynamic` lists
 * `import()` specifiers to let through exactly (known violations).
 * @param {(typeof LAYERS)[number]} layer @param {number} depth @param {string[]} allowDynamic
 */
function boundaryRules(layer, depth, allowDynamic = []) {
  const up = '../'.repeat(depth);
  /** @type {Array<{ group?: string[], regex?: string, message: string, allowTypeImports?: boolean }>} */
  const patterns = [];
  /** @type {Array<{ selector: string, message: string }>} */
  const dynamic = [];
  const except = allowDynamic.map((s) => `(?!${esc(s)}$)`).join('');
  /** Top-level folders: a `group` for static imports, the same as a regex for `import()`. */
  const folders = (/** @type {string[]} */ names, /** @type {string} */ message) => {
    if (names.length === 0) return;
    patterns.push({ group: names.flatMap((f) => [up + f, `${up}${f}/**`]), message });
    dynamic.push({ selector: dynamicImport(`^${except}${esc(up)}(${names.join('|')})(/|$)`), message });
  };
  const others = FOLDERS.filter((f) => !layer.may.includes(f) && !(layer.dir === 'widget/src' && f === 'core'));
  folders(others.filter((f) => !NOT_SHIPPED.includes(f)), `Boundary: ${layer.rule}. ${SEE}`);
  folders(others.filter((f) => NOT_SHIPPED.includes(f)),
    `Boundary: shipped code (${layer.dir}/) never imports test/, bench/, eval/, load/, tools/ or examples/; they import the app, not the other way round. ${SEE}`);
  if (layer.dir === 'widget/src') {
    const core = esc(`${up}core`);
    // Values from core/ would land in the browser bundle; types are erased. core/http/limits.ts is
    // the one constants module the widget may take values from (it imports nothing itself, below).
    const nothingElse = `^${core}(/(?!types\\.ts$|http/[^/]+$)|$)`;
    patterns.push({ regex: nothingElse, message: `Boundary: ${layer.rule}; nothing else from core/. ${SEE}` });
    dynamic.push({ selector: dynamicImport(`^${core}/`, false), message: `Boundary: ${layer.rule}; no import() of core/. ${SEE}` });
    patterns.push({
      regex: `^${core}/(types\\.ts|http/(?!limits\\.ts$)[^/]+)$`,
      allowTypeImports: true,
      message: `Boundary: ${layer.rule}: use \`import type\` (values from core/ would be bundled into the browser). ${SEE}`,
    });
  }
  if (layer.packages) {
    patterns.push(layer.packages);
    dynamic.push({ selector: dynamicImport(layer.packages.regex), message: layer.packages.message });
  }
  return {
    'no-restricted-imports': ['error', { patterns }],
    'no-restricted-syntax': ['error', ...dynamic],
  };
}

/** One config block per layer and folder depth (core/*.ts, core/*\/*.ts, ...), plus known violations. */
function boundaries() {
  const blocks = [];
  for (const layer of LAYERS) {
    const base = layer.dir.split('/').length;
    for (let extra = 0; extra < 4; extra++) {
      blocks.push({
        name: `boundaries/${layer.dir}/${'*/'.repeat(extra)}*`,
        files: [`${layer.dir}/${'*/'.repeat(extra)}*.${EXT}`],
        rules: boundaryRules(layer, base + extra),
      });
    }
  }
  for (const [file, specifiers] of Object.entries(KNOWN)) {
    const layer = LAYERS.find((l) => file.startsWith(`${l.dir}/`));
    if (!layer) throw new Error(`eslint.config.js: ${file} is in no layer`);
    blocks.push({ name: `boundaries/known/${file}`, files: [file], rules: boundaryRules(layer, file.split('/').length - 1, specifiers) });
  }
  blocks.push({
    // The widget takes values from this module, so whatever it imports ends up in the browser.
    name: 'boundaries/core/http/limits.ts',
    files: ['core/http/limits.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '.', message: `Boundary: core/http/limits.ts is bundled into the browser widget, so it imports nothing. ${SEE}` }] }],
      'no-restricted-syntax': ['error', { selector: 'ImportExpression', message: `Boundary: core/http/limits.ts is bundled into the browser widget, so it imports nothing. ${SEE}` }],
    },
  });
  return blocks;
}

// ---------------------------------------------------------------------------------------------

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    'widget/dist/',
    '.esbuild/',
    '.serverless/',
    '**/dist/',
    '.index/',
    'ix-*/',
    'bench/results/',
    'eval/results/',
    'test-output/',
    'scratch/',
  ]),
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    name: 'typescript',
    files: [`**/*.${EXT}`],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Kept from the recommended sets, and worth naming: no-floating-promises (a rejected promise
      // nobody handles takes the process down or is lost), no-misused-promises (an async function
      // passed where void is expected, e.g. an event listener or forEach), await-thenable,
      // only-throw-error, prefer-promise-reject-errors, no-unsafe-* (JSON and event bodies are
      // `any`: type them where they enter), no-unnecessary-type-assertion, no-unused-vars.

      // With verbatimModuleSyntax a value import used only as a type still loads the module at
      // run time (weight in the Lambda and widget bundles, import cycles): make it `import type`.
      // `import('…')` type annotations are fine (erased).
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', disallowTypeAnnotations: false }],
      // `import { type A } from 'x'` keeps a bare `import 'x'` under verbatimModuleSyntax.
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // `return promise` inside try/catch/finally skips the catch and runs finally too early.
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      // A switch over a union that misses a member (a new sort order, error code, facet).
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // `numbers.sort()` sorts as strings: scores, doc ids and offsets are numbers here.
      '@typescript-eslint/require-array-sort-compare': ['error', { ignoreStringArrays: true }],
      '@typescript-eslint/no-deprecated': 'error',
      // `_`-prefixed names are deliberate (signature placeholders, omitted rest properties).
      '@typescript-eslint/no-unused-vars': ['error', {
        argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_',
        destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true,
      }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],

      // Off: style noise here. An `async` method without `await` is how this code implements an
      // async interface (IndexSource.getIndex, peer engines) and turns throws into rejections.
      '@typescript-eslint/require-await': 'off',
      // Off: every hit was a deliberate String(unknown) on a narrowed `{}` (error fields, JSON
      // from the network); `${obj}` and `+ obj` stay checked by restrict-template-expressions and
      // restrict-plus-operands.
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    // Tests read response bodies as `any` (res.json(), JSON.parse) and assert on them: the
    // assertion is the check, so typing every body would be noise.
    name: 'tests',
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JS entry points (bin, widget build, worker boot, this file) are outside tsconfig.json.
    name: 'javascript',
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
  ...boundaries(),
);
