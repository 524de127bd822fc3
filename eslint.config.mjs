// `npm run lint` (part of `npm test`): typescript-eslint's recommended rules plus the project's layer rules, enforced by
// no-restricted-imports so that a wrong import fails `npm test` instead of waiting for a review.
// test/unit/scripts/eslintLayers.test.ts proves that each layer rule fires.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Import specifiers are matched as written: a relative path that climbs out of a layer (`../engine/…`,
// `../../host/…`) or one that names the folder from the repository (`src/engine/…`, used by media/ and tests).
const layer = (...names) => `^(\\.\\./)+(src/)?(${names.join('|')})(/|$)`;

const vscodeModule = {
  name: 'vscode',
  message: 'Only the extension host (src/host, src/panel, src/notebook, src/commands, src/extension.ts) talks to VS Code.',
};
const fileSystemModules = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'write-file-atomic'].map((name) => ({
  name,
  message: 'src/core is pure maths: file access belongs to src/engine (e.g. src/engine/atomicWrite).',
}));
const editorLayers = ['host', 'panel', 'notebook', 'commands', 'extension'];

/** One no-restricted-imports rule: forbidden module names plus forbidden path patterns, each with its reason. */
const restrict = (paths, patterns) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'media/dist/', '.tools/', '.test-output/', 'node_modules/', 'models/', 'results/', '.vscode-test/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `const { dropped: _dropped, ...rest } = x` is how the code leaves a field out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Cases sharing one outcome keep a comment on why; that comment is not a missing break.
      'no-fallthrough': ['error', { allowEmptyCase: true }],
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    // The CLI launcher is plain CommonJS run by node without a build step.
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['media/**/*.{ts,js}', 'test/webview/harness/**/*.js', 'test/renderer/fixtures/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },

  // Layer rules. Each `files` glob is one floor; flat config replaces (does not merge) a rule's options, so the
  // globs must not overlap.
  {
    files: ['src/core/**/*.ts'],
    rules: restrict(
      [vscodeModule, ...fileSystemModules],
      [
        {
          regex: layer('engine', 'cli', 'server', 'shared', ...editorLayers),
          message: 'src/core imports nothing above it: no engine, CLI, server or editor code.',
        },
      ],
    ),
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: restrict(
      [vscodeModule],
      [{ regex: layer('cli', 'server', ...editorLayers), message: 'src/engine knows no editor, CLI or server: they call it, not the other way round.' }],
    ),
  },
  {
    files: ['src/cli/**/*.ts', 'src/server/**/*.ts'],
    rules: restrict(
      [vscodeModule],
      [{ regex: layer(...editorLayers), message: 'The CLI and the server run without VS Code: no host, panel, notebook or command code.' }],
    ),
  },
  {
    files: ['media/src/**/*.ts'],
    rules: restrict(
      [vscodeModule],
      [
        { regex: '(^|/)src/(?!shared(/|$))', message: 'Webview and renderer code speak only the typed protocol in src/shared.' },
        { regex: `^(node:|(${builtinModules.join('|')})(/|$))`, message: 'Webview and renderer code runs in a browser: no Node modules.' },
      ],
    ),
  },
);
