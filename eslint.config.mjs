// Lint, and the layer boundaries (VS Code style): each runtime folder may import
// only from the layers below it. TypeScript projects enforce the globals
// (common has neither DOM nor Node types); these rules enforce the imports.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodePackages = ['sharp', 'onnxruntime-node', 'tesseract.js', 'xmllint-wasm', 'electron', 'playwright-core'];

const restrict = (message, extraPatterns = []) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: [...nodeBuiltins, ...nodePackages].map((name) => ({ name, message })),
      patterns: extraPatterns,
    },
  ],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test-results/**', 'native-models/**/work/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['electron/common/**/*.ts'],
    languageOptions: { globals: {} },
    rules: restrict('electron/common is pure TypeScript: no Node, Electron or DOM imports.', [
      { group: ['**/node/**', '**/main/**', '**/preload/**', '**/cli/**', '**/renderer/**'], message: 'common may not import from higher layers.' },
    ]),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    rules: restrict('The renderer runs in a sandboxed browser: no Node or Electron imports; talk to the engine through the service API.', [
      { group: ['**/electron/node/**', '**/electron/main/**', '**/electron/cli/**', '**/electron/preload/**'], message: 'The renderer may import only electron/common.' },
    ]),
  },
  {
    // The editor's controller and the canvas tools: plain TypeScript the unit tests run without a browser.
    files: ['renderer/src/editor/core/**/*.ts', 'renderer/src/canvas/tools.ts', 'renderer/src/canvas/intents.ts', 'renderer/src/canvas/hit-test.ts'],
    rules: restrict('The editor controller is plain TypeScript (tested without a browser): no Node, React or DOM.', [
      { group: ['react', 'react-dom', 'react-konva', 'konva', '**/electron/node/**', '**/electron/main/**', '**/*.tsx', '**/panels/**'], message: 'The controller renders nothing: the editor (React) uses it, not the other way round.' },
    ]),
  },
  {
    files: ['electron/node/**/*.ts', 'electron/cli/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The Node engine must run without Electron (CLI, server, tests): only electron/main imports electron.' }],
        patterns: [{ group: ['**/electron/main/**', '**/main/**', '**/renderer/**'], message: 'node/ may import only common/.' }],
      }],
    },
  },
  {
    files: ['**/*.{mjs,cjs,js}', 'tests/**/*.ts', 'bench/**/*.ts', 'electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
