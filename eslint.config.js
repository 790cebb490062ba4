// typescript-eslint's strict, type-checked rule sets over every TypeScript and JavaScript file of
// the repository; `npm run lint` runs it with Prettier's check, and .ci/run fails on any finding.
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', '**/node_modules/**', '**/generated/**', '.test-output/**'] },
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
    },
  },
  // The viewer's browser app runs in the page, not in Node.
  { files: ['packages/viewer/app/**'], languageOptions: { globals: globals.browser } },
  { files: ['**/*.{js,mjs,cjs}'], extends: [tseslint.configs.disableTypeChecked] },
);
