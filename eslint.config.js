// typescript-eslint's strict, type-checked rule sets over every TypeScript and JavaScript file of
// the repository; `npm run lint` runs it with Prettier's check, and .ci/run fails on any finding.
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Bundles (dist/, packages/*/dist/) and generated code are built from the linted sources.
  { ignores: ['**/dist/**', '**/node_modules/**', '**/generated/**', '.test-output/**'] },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Numbers and booleans read fine in messages; objects and undefined are what this rule is for.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // With noUncheckedIndexedAccess, `list[i]!` after a bounds check is the honest form, not a smell.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `x => log(x)` and `.on('close', () => resolve())` are the codebase's one-liners; the rule still
      // catches a void value used anywhere else.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // `input || fallback` on strings is deliberate (an empty input or variable means unset, as on the runner),
      // and `flag || other` on booleans is a logical or, where `??` would mean something else.
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true, boolean: true } }],
      // Passing a caught value or an abort reason on as-is is honest (only-throw-error allows it by
      // default too); rejecting with a literal is still an error.
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      // `const { dropped: _, ...rest } = o` is how a key is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // An empty arrow or method is how this codebase writes a no-op: a silent logger, an ignored close error.
      '@typescript-eslint/no-empty-function': ['error', { allow: ['arrowFunctions', 'methods'] }],
    },
  },
  {
    // Test fakes implement async interfaces; `async` keeps a throw a rejection, as in the real thing.
    files: ['test/**'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // afterAll's `server?.close()` is for a beforeAll that failed half-way, which the types cannot know.
    files: ['test/**/*.test.ts'],
    rules: { '@typescript-eslint/no-unnecessary-condition': 'off' },
  },
  // The viewer's browser app runs in the page, not in Node.
  { files: ['packages/viewer/app/**'], languageOptions: { globals: globals.browser } },
  { files: ['**/*.{js,mjs,cjs}'], extends: [tseslint.configs.disableTypeChecked] },
);
